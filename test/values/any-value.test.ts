import assert from 'node:assert/strict';
import { toAnyValue } from '../../src/values/any-value.ts';
import { DEFAULT_LIMITS } from '../../src/values/limits.ts';

describe('toAnyValue()', () => {
  it('copies binary data, so a reused buffer does not change a queued record', () => {
    const buffer = Buffer.from('abc');
    const arrayBuffer = new Uint8Array([1, 2]).buffer;
    const out = toAnyValue({ buffer, arrayBuffer }, DEFAULT_LIMITS) as { buffer: Uint8Array; arrayBuffer: Uint8Array };
    buffer[0] = 0x7a;
    new Uint8Array(arrayBuffer)[0] = 9;
    assert.deepEqual([...out.buffer], [0x61, 0x62, 0x63]);
    assert.deepEqual([...out.arrayBuffer], [1, 2]);
  });

  it('makes fresh arrays and prototype-less maps, with __proto__ as an ordinary key', () => {
    const input = { list: [1, 'a'], nested: JSON.parse('{"__proto__": {"x": 1}}') as object };
    const out = toAnyValue(input, DEFAULT_LIMITS) as { list: unknown[]; nested: Record<string, unknown> };
    assert.notEqual(out.list, input.list);
    assert.equal(Object.getPrototypeOf(out), null);
    assert.deepEqual(Object.keys(out.nested), ['__proto__']);
  });

  it('turns BigInt, non-finite numbers and dates into strings', () => {
    assert.deepEqual(toAnyValue([1n, NaN, -Infinity, new Date(0)], DEFAULT_LIMITS),
      ['1', 'NaN', '-Infinity', '1970-01-01T00:00:00.000Z']);
  });
});
