import assert from 'node:assert/strict';
import { truncate } from '../../src/values/truncate.ts';

describe('truncate()', () => {
  it('keeps strings within the limit as they are', () => {
    assert.equal(truncate('abc', 3), 'abc');
  });

  it('ends a cut with a marker that counts the cut characters, within the limit', () => {
    const out = truncate('a'.repeat(50), 30);
    assert.equal(out, `${'a'.repeat(9)}…[truncated 41 chars]`);
    assert.equal(out.length, 30);
  });

  it('never splits a surrogate pair', () => {
    const out = truncate('😀'.repeat(40), 31);
    assert.doesNotMatch(out, /[\ud800-\udbff](?![\udc00-\udfff])/);
    assert.ok(out.length <= 31);
  });

  it('gives just an ellipsis when the marker does not fit, and nothing for 0', () => {
    assert.equal(truncate('abcdefgh', 4), 'abc…');
    assert.equal(truncate('abcdefgh', 0), '');
  });
});
