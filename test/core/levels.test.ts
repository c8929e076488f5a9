import assert from 'node:assert/strict';
import {
  isLevelName, LEVEL_NAMES, levelText, OFF, SEVERITY, SEVERITY_TEXT, severityShortName, thresholdText, toSeverityThreshold, toThresholdName,
} from '../../src/core/levels.ts';

describe('levels', () => {
  it('uses the OpenTelemetry severity numbers and texts, lowest first', () => {
    assert.deepEqual(LEVEL_NAMES.map((n) => [n, SEVERITY[n], SEVERITY_TEXT[n]]), [
      ['trace', 1, 'TRACE'], ['debug', 5, 'DEBUG'], ['info', 9, 'INFO'], ['warn', 13, 'WARN'], ['error', 17, 'ERROR'], ['fatal', 21, 'FATAL'],
    ]);
  });

  describe('isLevelName()', () => {
    it('accepts the level names as written, nothing else (not even inherited keys)', () => {
      assert.ok(LEVEL_NAMES.every(isLevelName));
      for (const other of ['INFO', 'warning', 'off', 'toString', '__proto__', '']) assert.equal(isLevelName(other), false, other);
    });
  });

  describe('toSeverityThreshold()', () => {
    it('gives the severity of a level in any case, with spaces around', () => {
      assert.equal(toSeverityThreshold(' DEBUG '), 5);
      assert.equal(toSeverityThreshold('Error'), 17);
    });

    it('takes warning for warn and off, none, silent for off', () => {
      assert.equal(toSeverityThreshold('warning'), 13);
      for (const off of ['off', 'none', 'SILENT']) assert.equal(toSeverityThreshold(off), OFF);
    });

    it('is undefined for anything else', () => {
      for (const bad of ['verbose', '9', '', 'constructor']) assert.equal(toSeverityThreshold(bad), undefined, bad);
    });
  });

  describe('toThresholdName()', () => {
    it('names the lowest level at or above a severity, off above fatal', () => {
      assert.equal(toThresholdName(9), 'info');
      assert.equal(toThresholdName(10), 'warn');
      assert.equal(toThresholdName(1), 'trace');
      assert.equal(toThresholdName(22), 'off');
      assert.equal(toThresholdName(OFF), 'off');
    });
  });

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

  describe('levelText()', () => {
    it('names the level that owns each of its four numbers', () => {
      assert.deepEqual([1, 4, 5, 9, 12, 13, 17, 21, 24].map(levelText),
        ['TRACE', 'TRACE', 'DEBUG', 'INFO', 'INFO', 'WARN', 'ERROR', 'FATAL', 'FATAL']);
    });

    it('clamps numbers outside 1–24 to TRACE / FATAL and gives INFO for NaN', () => {
      assert.deepEqual([0, -3, 25, 99, NaN].map(levelText), ['TRACE', 'TRACE', 'FATAL', 'FATAL', 'INFO']);
    });
  });

  describe('thresholdText()', () => {
    it('writes a level threshold by name, off as off, anything else as its number', () => {
      assert.deepEqual([1, 9, 21, OFF, 3].map(thresholdText), ['trace', 'info', 'fatal', 'off', '3']);
    });

    it('reads back what it writes', () => {
      for (const severity of [1, 5, 9, 13, 17, 21, OFF]) assert.equal(toSeverityThreshold(thresholdText(severity)), severity);
    });
  });
});
