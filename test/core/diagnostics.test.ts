import assert from 'node:assert/strict';
import sinon from 'sinon';
import { describeError, diagnose, diagnoseAlways, setDiagnosticSink } from '../../src/core/diagnostics.ts';

describe('diagnostics', () => {
  let lines: string[];
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 10, 28) });
    lines = [];
    setDiagnosticSink((line) => lines.push(line));
  });
  afterEach(() => {
    setDiagnosticSink(undefined);
    sinon.restore();
  });

  describe('diagnose()', () => {
    it('writes one line per code every 10 s and counts what it held back', () => {
      diagnose('TEST_CODE', 'first');
      diagnose('TEST_CODE', 'second');
      diagnose('TEST_CODE', 'third');
      clock.tick(9_999);
      diagnose('TEST_CODE', 'fourth');
      assert.deepEqual(lines, ['logbridge: TEST_CODE: first\n']);
      clock.tick(1);
      diagnose('TEST_CODE', 'fifth');
      assert.deepEqual(lines, ['logbridge: TEST_CODE: first\n', 'logbridge: TEST_CODE: fifth (3 similar suppressed)\n']);
    });

    it('limits each code on its own', () => {
      diagnose('CODE_A', 'a');
      diagnose('CODE_B', 'b');
      diagnose('CODE_A', 'a again');
      assert.deepEqual(lines, ['logbridge: CODE_A: a\n', 'logbridge: CODE_B: b\n']);
    });

    it('drops a diagnostic raised while one is being written, instead of recursing', () => {
      setDiagnosticSink((line) => {
        lines.push(line);
        diagnose('NESTED', 'from inside the sink');
      });
      diagnose('OUTER', 'outer');
      assert.deepEqual(lines, ['logbridge: OUTER: outer\n']);
    });

    it('never throws, even when writing fails', () => {
      setDiagnosticSink(() => {
        throw new Error('stderr closed');
      });
      assert.doesNotThrow(() => diagnose('ANY', 'x'));
    });
  });

  describe('diagnoseAlways()', () => {
    it('is not rate-limited', () => {
      diagnoseAlways('ACCOUNTING', 'one');
      diagnoseAlways('ACCOUNTING', 'two');
      assert.equal(lines.length, 2);
    });
  });

  describe('describeError()', () => {
    it('names an error by name and message, and anything else by its text', () => {
      assert.equal(describeError(new RangeError('out')), 'RangeError: out');
      assert.equal(describeError('plain'), 'plain');
      assert.equal(describeError({ toString() { throw new Error('no'); } }), 'unprintable error');
    });
  });
});
