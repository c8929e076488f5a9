import assert from 'node:assert/strict';
import sinon from 'sinon';
import { installCrashHandlers, uninstallCrashHandlers, hasCrashHandlers, unhandledRejectionsMode } from '../../src/lifecycle/crash.ts';
import { LogbridgeError } from '../../src/core/errors.ts';
import { setHandledSignals, signalsFromEnv } from '../../src/lifecycle/signals.ts';

// The behaviour on a real crash or signal is tested in child processes
// (test/integration/crash-*.test.ts); here only what can be seen from inside.

describe('installCrashHandlers()', () => {
  const events = ['uncaughtExceptionMonitor', 'uncaughtException', 'SIGTERM', 'SIGINT', 'SIGHUP'] as const;
  let before: Record<string, number>;
  beforeEach(() => {
    setHandledSignals([]); // start from no signal listener of ours, whatever ran before
    before = Object.fromEntries(events.map((e) => [e, process.listenerCount(e)]));
  });
  afterEach(() => {
    uninstallCrashHandlers();
    setHandledSignals(signalsFromEnv());
    sinon.restore();
  });

  function added(): Record<string, number> {
    return Object.fromEntries(events.map((e) => [e, process.listenerCount(e) - before[e]!]));
  }

  it('adds one monitor and one uncaughtException listener, leaving signals to their own handling', () => {
    installCrashHandlers();
    assert.equal(hasCrashHandlers(), true);
    assert.deepEqual(added(), { uncaughtExceptionMonitor: 1, uncaughtException: 1, SIGTERM: 0, SIGINT: 0, SIGHUP: 0 });
  });

  it('listens to the signals its options name', () => {
    installCrashHandlers({ signals: ['SIGTERM', 'SIGINT'] });
    assert.deepEqual(added(), { uncaughtExceptionMonitor: 1, uncaughtException: 1, SIGTERM: 1, SIGINT: 1, SIGHUP: 0 });
  });

  it('replaces its listeners when called again instead of adding more', () => {
    installCrashHandlers();
    installCrashHandlers({ signals: ['SIGHUP'] });
    assert.deepEqual(added(), { uncaughtExceptionMonitor: 1, uncaughtException: 1, SIGTERM: 0, SIGINT: 0, SIGHUP: 1 });
  });

  it('listens to no signal with signals: [] and to no exception with exceptions: false', () => {
    installCrashHandlers({ signals: [], exceptions: false });
    assert.deepEqual(added(), { uncaughtExceptionMonitor: 0, uncaughtException: 0, SIGTERM: 0, SIGINT: 0, SIGHUP: 0 });
  });

  it('returns a function that removes every listener it added', () => {
    const uninstall = installCrashHandlers({ timeoutMs: 100 });
    uninstall();
    assert.equal(hasCrashHandlers(), false);
    assert.deepEqual(added(), { uncaughtExceptionMonitor: 0, uncaughtException: 0, SIGTERM: 0, SIGINT: 0, SIGHUP: 0 });
  });

  it('leaves listeners of the application alone when removed', () => {
    const mine = (): void => {};
    process.on('SIGTERM', mine);
    try {
      installCrashHandlers();
      uninstallCrashHandlers();
      assert.ok(process.listeners('SIGTERM').includes(mine));
    } finally {
      process.removeListener('SIGTERM', mine);
    }
  });

  for (const [label, options] of [
    ['a negative timeout', { timeoutMs: -1 }],
    ['a timeout that is not a number', { timeoutMs: '5s' }],
    ['a signal name that is not one', { signals: ['TERM'] }],
    ['signals that are not a list', { signals: 'SIGTERM' }],
  ] as const) {
    it(`throws LOGBRIDGE_ERR_INVALID_CONFIG for ${label}, installing nothing`, () => {
      assert.throws(() => installCrashHandlers(options as never),
        (error: unknown) => error instanceof LogbridgeError && error.code === 'LOGBRIDGE_ERR_INVALID_CONFIG');
      assert.equal(hasCrashHandlers(), false);
    });
  }
});

describe('unhandledRejectionsMode()', () => {
  afterEach(() => sinon.restore());

  const cases: Array<[string, string | undefined, string[], string]> = [
    ['is throw by default', undefined, [], 'throw'],
    ['reads the command line', undefined, ['--unhandled-rejections=warn'], 'warn'],
    ['reads the command line with a space', undefined, ['--unhandled-rejections', 'none'], 'none'],
    ['reads NODE_OPTIONS', '--max-old-space-size=100 --unhandled-rejections=strict', [], 'strict'],
    ['lets the command line win over NODE_OPTIONS', '--unhandled-rejections=warn', ['--unhandled-rejections=throw'], 'throw'],
  ];
  for (const [label, nodeOptions, execArgv, mode] of cases) {
    it(label, () => {
      sinon.stub(process, 'execArgv').value(execArgv);
      sinon.stub(process, 'env').value({ ...process.env, NODE_OPTIONS: nodeOptions });
      assert.equal(unhandledRejectionsMode(), mode);
    });
  }
});
