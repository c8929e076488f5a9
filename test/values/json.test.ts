import assert from 'node:assert/strict';
import { jsonKey, jsonString, jsonValue, toBase64 } from '../../src/values/json.ts';
import { DEFAULT_LIMITS } from '../../src/values/limits.ts';

describe('jsonString()', () => {
  it('escapes quotes, backslashes, controls and lone surrogates, short and long', () => {
    for (const s of ['a"b\\c\n\u0000', '\ud800x', 'z'.repeat(80) + '\udc00' + 'z'.repeat(80), 'é✓😀', 'x'.repeat(100) + '\u001b', 'y'.repeat(6000) + '"']) {
      const text = jsonString(s);
      assert.equal(JSON.parse(text), s);
      assert.doesNotMatch(text, /[\u0000-\u001f]|\ud800(?![\udc00-\udfff])/);
    }
  });

  it('cuts to maxLength with the truncation marker', () => {
    assert.equal(JSON.parse(jsonString('z'.repeat(100), 40)), `${'z'.repeat(18)}…[truncated 82 chars]`);
  });
});

describe('jsonKey()', () => {
  it('gives an escaped member key with its colon', () => {
    assert.equal(jsonKey('a"b'), '"a\\"b":');
    assert.equal(jsonKey('a"b'), '"a\\"b":');
  });
});

describe('toBase64()', () => {
  it('encodes only the viewed bytes of a Uint8Array, and whole ArrayBuffers', () => {
    const bytes = new Uint8Array([0, 1, 2, 3, 255]);
    assert.equal(toBase64(bytes.subarray(1, 4)), Buffer.from([1, 2, 3]).toString('base64'));
    assert.equal(toBase64(bytes.buffer), Buffer.from(bytes).toString('base64'));
  });
});

describe('jsonValue()', () => {
  it('stops a value that grows past the record size limit and counts what it left out', () => {
    const big = Array.from({ length: 100 }, (_, i) => `item-${i}-${'x'.repeat(20)}`);
    const text = jsonValue(big, { ...DEFAULT_LIMITS, recordSize: 200 })!;
    const parsed = JSON.parse(text) as string[];
    assert.ok(parsed.length < 100);
    assert.equal(parsed.at(-1), `[${100 - (parsed.length - 1)} more]`);
  });

  it('leaves out undefined, and writes bytes as base64', () => {
    assert.equal(jsonValue(undefined, DEFAULT_LIMITS), undefined);
    assert.equal(jsonValue({ a: undefined, b: Buffer.from('hi') }, DEFAULT_LIMITS), '{"b":"aGk="}');
  });
});
