import assert from 'node:assert/strict';
import { isLevelName, LEVEL_NAMES, OFF, SEVERITY, SEVERITY_TEXT, toSeverityThreshold, toThresholdName } from '../../src/core/levels.ts';

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
});
