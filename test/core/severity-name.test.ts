import assert from 'node:assert/strict';
import { severityShortName } from '../../src/core/severity-name.ts';

describe('severityShortName()', () => {
  it('names the first step of each level after the level', () => {
    assert.deepEqual([1, 5, 9, 13, 17, 21].map(severityShortName), ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);
  });

  it('numbers the other steps', () => {
    assert.deepEqual([2, 10, 12, 24].map(severityShortName), ['TRACE2', 'INFO2', 'INFO4', 'FATAL4']);
  });

  it('gives UNSPECIFIED outside 1–24', () => {
    assert.deepEqual([0, 25, -1, NaN].map(severityShortName), ['UNSPECIFIED', 'UNSPECIFIED', 'UNSPECIFIED', 'UNSPECIFIED']);
  });
});
