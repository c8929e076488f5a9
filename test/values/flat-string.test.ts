import assert from 'node:assert/strict';
import { toFlatString } from '../../src/values/flat-string.ts';

describe('toFlatString()', () => {
  it('returns a concatenated string with the same value', () => {
    let s = '';
    for (let i = 0; i < 20; i++) s += ',"k' + i + '":' + i;
    const expected = Array.from({ length: 20 }, (_, i) => `,"k${i}":${i}`).join('');
    assert.equal(toFlatString(s), expected);
  });

  it('leaves numeric, empty, non-ASCII and lone-surrogate strings as they are', () => {
    for (const s of ['', '42', ' 1e3 ', 'Infinity', '0x10', 'héllo ' + 'wörld', 'snow ☃ ' + '\ud83d', '\udc00' + 'tail']) {
      assert.equal(toFlatString(s), s);
    }
  });
});
