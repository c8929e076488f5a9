import assert from 'node:assert/strict';
import fc from 'fast-check';
import { generateRequestId, isValidRequestId, MAX_REQUEST_ID_LENGTH } from '../../src/http/request-id.ts';

const SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-';
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('isValidRequestId()', () => {
  it('accepts 1 to 128 characters of [A-Za-z0-9._:-]', () => {
    fc.assert(fc.property(
      fc.string({ unit: fc.constantFrom(...SAFE), minLength: 1, maxLength: MAX_REQUEST_ID_LENGTH }),
      (id) => isValidRequestId(id)));
  });

  it('accepts common ID shapes (UUIDs, hex, prefixed)', () => {
    for (const id of ['f47ac10b-58cc-4372-a567-0e02b2c3d479', '0af7651916cd43dd8448eb211c80319c', 'req_01J:abc.9', 'a']) {
      assert.equal(isValidRequestId(id), true, id);
    }
  });

  it('rejects the empty string and anything longer than 128 characters', () => {
    assert.equal(isValidRequestId(''), false);
    assert.equal(isValidRequestId('a'.repeat(129)), false);
    assert.equal(isValidRequestId('a'.repeat(128)), true);
  });

  it('rejects control characters, newlines, spaces, commas, quotes and non-ASCII', () => {
    for (const id of ['a\nb', 'a\r\nX-Evil: 1', 'a\u0000', 'a\tb', 'a b', 'a, b', 'a"b', 'é', 'a\u2028b', '😀', 'a/b', '{"x":1}', '<script>']) {
      assert.equal(isValidRequestId(id), false, JSON.stringify(id));
    }
  });

  it('rejects any string holding one character outside the set', () => {
    fc.assert(fc.property(
      fc.string({ maxLength: 60 }), fc.string({ minLength: 1, maxLength: 1 }).filter((c) => !SAFE.includes(c)), fc.string({ maxLength: 60 }),
      (a, bad, b) => !isValidRequestId(a + bad + b)));
  });

  it('rejects non-strings (arrays from repeated headers, numbers, undefined)', () => {
    for (const value of [['a'], ['a', 'b'], 42, undefined, null, { toString: () => 'a' }]) {
      assert.equal(isValidRequestId(value), false);
    }
  });
});

describe('generateRequestId()', () => {
  it('returns a UUID version 7 with the RFC 9562 variant', () => {
    for (let i = 0; i < 1000; i++) assert.match(generateRequestId(), UUID_V7);
  });

  it('returns IDs that pass isValidRequestId()', () => {
    assert.equal(isValidRequestId(generateRequestId()), true);
  });

  it('puts the current Unix time in milliseconds in the first 48 bits', () => {
    const before = Date.now();
    const id = generateRequestId();
    const after = Date.now();
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    assert.ok(ms >= before && ms <= after, `${ms} not in [${before}, ${after}]`);
  });

  it('returns no duplicate in 200,000 IDs (the random pool refills correctly)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(generateRequestId());
    assert.equal(seen.size, 200_000);
  });

  it('spreads the random bits (every hex digit appears in each random position)', () => {
    const positions = new Map<number, Set<string>>();
    for (let i = 0; i < 2000; i++) {
      const id = generateRequestId();
      for (const p of [15, 20, 24, 35]) {
        let set = positions.get(p);
        if (set === undefined) positions.set(p, set = new Set());
        set.add(id[p]!);
      }
    }
    for (const [p, set] of positions) assert.equal(set.size, 16, `position ${p}`);
  });
});
