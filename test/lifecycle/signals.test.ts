import assert from 'node:assert/strict';
import { DEFAULT_SIGNALS, handledSignals, setHandledSignals, signalsFromEnv } from '../../src/lifecycle/signals.ts';
import { onSignal } from '../../src/lifecycle/signal-hooks.ts';
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

  describe('a signal claimed through signal-hooks.ts (live reloading)', () => {
    it('runs the claim instead of ending the process: no flush starts, nothing is raised', () => {
      setHandledSignals(['SIGHUP']);
      const seen: string[] = [];
      const release = onSignal('SIGHUP', () => seen.push('reload'));
      try {
        // Without the claim, our listener would deliver and then raise SIGHUP again, ending this test run.
        process.emit('SIGHUP', 'SIGHUP');
        assert.deepEqual(seen, ['reload']);
      } finally {
        release();
      }
      assert.deepEqual(handledSignals(), ['SIGHUP']);
    });
  });
});
