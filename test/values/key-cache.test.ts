import assert from 'node:assert/strict';
import { cachedByKey } from '../../src/values/key-cache.ts';

describe('cachedByKey()', () => {
  it('computes once per key', () => {
    const seen: string[] = [];
    const upper = cachedByKey((key) => {
      seen.push(key);
      return key.toUpperCase();
    });
    assert.deepEqual([upper('a'), upper('b'), upper('a')], ['A', 'B', 'A']);
    assert.deepEqual(seen, ['a', 'b']);
  });

  it('does not keep long keys, nor more than 4096 of them', () => {
    let calls = 0;
    const same = cachedByKey((key) => {
      calls++;
      return key;
    });
    const long = 'k'.repeat(200);
    same(long);
    same(long);
    assert.equal(calls, 2);
    calls = 0;
    for (let i = 0; i < 5000; i++) same(`key${i}`);
    same('key0');
    same('key4999');
    assert.equal(calls, 5001); // key0 was kept, key4999 came after the cache was full
  });
});
