import assert from 'node:assert/strict';
import { claimSignal, DEFAULT_SIGNALS, handledSignals, setHandledSignals, signalsFromEnv } from '../../src/lifecycle/signals.ts';
import { LogbridgeError } from '../../src/core/errors.ts';

// What a real signal does to a process (flush, re-raise, exit status) is tested in child
// processes (test/integration/crash-signal.test.ts, exit-matrix.test.ts); here what is seen from inside.

describe('signals', () => {
  afterEach(() => setHandledSignals(signalsFromEnv()));

  describe('signalsFromEnv()', () => {
    it('handles SIGTERM, SIGINT and SIGHUP by default', () => {
      assert.deepEqual(signalsFromEnv({}), ['SIGTERM', 'SIGINT', 'SIGHUP']);
      assert.deepEqual(DEFAULT_SIGNALS, ['SIGTERM', 'SIGINT', 'SIGHUP']);
    });

    it('handles none with LOGBRIDGE_SIGNALS=off', () => {
      assert.deepEqual(signalsFromEnv({ LOGBRIDGE_SIGNALS: 'off' }), []);
    });
  });

  describe('setHandledSignals()', () => {
    it('listens to exactly the signals named, once each', () => {
      setHandledSignals([]);
      const base = process.listenerCount('SIGTERM');
      setHandledSignals(['SIGTERM']);
      setHandledSignals(['SIGTERM']);
      assert.deepEqual(handledSignals(), ['SIGTERM']);
      assert.equal(process.listenerCount('SIGTERM'), base + 1);
      setHandledSignals([]);
      assert.equal(process.listenerCount('SIGTERM'), base);
      assert.deepEqual(handledSignals(), []);
    });

    it('throws LOGBRIDGE_ERR_INVALID_CONFIG for a name that is not a signal', () => {
      assert.throws(() => setHandledSignals(['TERM' as NodeJS.Signals]),
        (error: unknown) => error instanceof LogbridgeError && error.code === 'LOGBRIDGE_ERR_INVALID_CONFIG');
    });
  });

  describe('claimSignal()', () => {
    it('hands a claimed signal to the claimer instead of ending the process, and gives it back', () => {
      setHandledSignals(['SIGHUP']);
      const seen: string[] = [];
      const release = claimSignal('SIGHUP', (signal) => seen.push(signal));
      process.emit('SIGHUP', 'SIGHUP');
      assert.deepEqual(seen, ['SIGHUP']);
      release();
      assert.ok(handledSignals().includes('SIGHUP'), 'still a termination signal for logbridge after release');
    });

    it('listens for a claimed signal even when termination signals are off', () => {
      setHandledSignals([]);
      const release = claimSignal('SIGHUP', () => {});
      assert.deepEqual(handledSignals(), ['SIGHUP']);
      release();
      assert.deepEqual(handledSignals(), []);
    });
  });
});
