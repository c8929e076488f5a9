import { runtime } from '../core/runtime.ts';
import { toExceptionInfo } from '../values/exception.ts';
import { exitTimeoutMs, finalFlush } from './exit-hooks.ts';
import { startExitDeadline } from '../core/exit-deadline.ts';
import { LogbridgeError } from '../core/errors.ts';
import { ENV, readEnv } from '../config/env.ts';

/**
 * Crash and signal handlers, opt-in (`installCrashHandlers()`,
 * `configure({ crashHandlers: true })` or `LOGBRIDGE_CRASH_HANDLERS=true`).
 *
 * - An uncaught exception, or an unhandled rejection that Node treats as
 *   fatal under its `--unhandled-rejections` mode (`throw`, the default, and
 *   `strict`), gives one FATAL record with the full exception, written to
 *   stdout synchronously. If nothing else handles it, every sink is then
 *   flushed within the exit deadline and the exception is raised again, so
 *   Node ends the process exactly as it would have (its usual stderr report,
 *   exit code 1, `exit` listeners). If the application has its own
 *   `uncaughtException` listener, that listener decides, as before; we only
 *   start a flush. Under `--unhandled-rejections=warn` or `none` (where a
 *   listener changes nothing), an unhandled rejection gives an ERROR record.
 * - SIGTERM and SIGINT: if the application has no listener of its own for
 *   the signal, every sink is flushed within the deadline, then our listener
 *   is removed and the signal raised again, so the process ends by the
 *   signal as it would have. A second signal ends the wait at once. If the
 *   application listens for the signal itself, it decides; we only start a
 *   flush.
 *
 * A hanging collector cannot hold the process: the deadline timer ends the
 * wait, and the synchronous exit flush only gets what is left of it.
 */

/** Options for {@link installCrashHandlers}. */
export interface CrashHandlerOptions {
  /** Longest wait for the sinks before the process ends, ms (default `LOGBRIDGE_EXIT_TIMEOUT_MS`, else 5000). */
  readonly timeoutMs?: number;
  /** Log uncaught exceptions and fatal unhandled rejections (default true). */
  readonly exceptions?: boolean;
  /** Signals on which to flush before the process ends (default `['SIGTERM', 'SIGINT']`; `[]` for none). */
  readonly signals?: readonly NodeJS.Signals[];
  /** Logger name (scope) of the FATAL records (default `process`). */
  readonly loggerName?: string;
}

interface Settings {
  readonly timeoutMs: number | undefined;
  readonly exceptions: boolean;
  readonly signals: readonly NodeJS.Signals[];
  readonly loggerName: string;
}

let settings: Settings | undefined;
/** The crash being delivered before it is raised again, once one is. */
let ending: { value: unknown } | undefined;
/** Values we raised again ourselves: the monitor must not log them twice. */
let reraised: { value: unknown } | undefined;
const signalHandlers = new Map<NodeJS.Signals, (signal: NodeJS.Signals) => void>();

/**
 * Installs the crash and signal handlers (see the module comment); calling
 * it again replaces the options. Returns a function that removes them.
 * Throws a {@link LogbridgeError} (`LOGBRIDGE_ERR_INVALID_CONFIG`) for an
 * invalid option.
 */
export function installCrashHandlers(options: CrashHandlerOptions = {}): () => void {
  const next = validate(options);
  uninstallCrashHandlers();
  settings = next;
  if (next.exceptions) {
    process.on('uncaughtExceptionMonitor', onCrashMonitor);
    process.on('uncaughtException', onUncaught);
    // Only where a listener changes nothing Node does (it warns, or stays silent, either way).
    if (['warn', 'none'].includes(unhandledRejectionsMode())) process.on('unhandledRejection', onSurvivedRejection);
  }
  for (const signal of next.signals) {
    const handler = (received: NodeJS.Signals): void => onSignal(received);
    signalHandlers.set(signal, handler);
    process.on(signal, handler);
  }
  return uninstallCrashHandlers;
}

/** Removes the crash and signal handlers, if installed. */
export function uninstallCrashHandlers(): void {
  process.removeListener('uncaughtExceptionMonitor', onCrashMonitor);
  process.removeListener('uncaughtException', onUncaught);
  process.removeListener('unhandledRejection', onSurvivedRejection);
  for (const [signal, handler] of signalHandlers) process.removeListener(signal, handler);
  signalHandlers.clear();
  settings = undefined;
}

/** Whether the crash handlers are installed. */
export function hasCrashHandlers(): boolean {
  return settings !== undefined;
}

function validate(options: CrashHandlerOptions): Settings {
  const timeoutMs = options.timeoutMs;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs >= 0 && timeoutMs <= 600_000)) {
    throw new LogbridgeError('LOGBRIDGE_ERR_INVALID_CONFIG', 'crashHandlers.timeoutMs must be a number in [0, 600000]');
  }
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  if (!Array.isArray(signals) || signals.some((s) => typeof s !== 'string' || !/^SIG[A-Z0-9]+$/.test(s))) {
    throw new LogbridgeError('LOGBRIDGE_ERR_INVALID_CONFIG', 'crashHandlers.signals must be a list of signal names');
  }
  return {
    timeoutMs,
    exceptions: options.exceptions !== false,
    signals: [...new Set(signals)],
    loggerName: typeof options.loggerName === 'string' && options.loggerName !== '' ? options.loggerName : 'process',
  };
}

/**
 * Runs before any `uncaughtException` listener (the application's too), for
 * every uncaught exception and every rejection Node turns into one: the
 * FATAL record, written through to stdout before anything else can exit.
 */
function onCrashMonitor(error: unknown, origin: NodeJS.UncaughtExceptionOrigin): void {
  if (reraised !== undefined && reraised.value === error) return;
  try {
    const what = origin === 'unhandledRejection' ? 'Unhandled rejection' : 'Uncaught exception';
    runtime.getLogger(settings?.loggerName ?? 'process').fatal(`${what}: ${summary(error)}`, error);
  } catch {
    // the crash report must never turn into a second crash
  }
}

/**
 * Under `--unhandled-rejections=warn` or `none` a rejection does not end the
 * process: an ERROR record, not a FATAL one.
 */
function onSurvivedRejection(reason: unknown): void {
  try {
    runtime.getLogger(settings?.loggerName ?? 'process').error(`Unhandled rejection: ${summary(reason)}`, reason);
  } catch {
    // never turn a warning into a crash
  }
}

/** `TypeError: boom` for an error or object; just the value for a thrown primitive (`boom`, `null`). */
function summary(thrown: unknown): string {
  const { type, message } = toExceptionInfo(thrown, { stack: false });
  return (typeof thrown === 'object' && thrown !== null) || typeof thrown === 'function' ? `${type}: ${message}` : message;
}

/** Node's `--unhandled-rejections` mode, from NODE_OPTIONS and the command line (which wins); default `throw`. */
export function unhandledRejectionsMode(): string {
  const args = [...readEnv(ENV.nodeOptions).split(/\s+/), ...process.execArgv];
  let mode = 'throw';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--unhandled-rejections=')) mode = arg.slice('--unhandled-rejections='.length);
    else if (arg === '--unhandled-rejections' && i + 1 < args.length) mode = args[++i]!;
  }
  return mode;
}

function onUncaught(error: unknown): void {
  const timeoutMs = settings?.timeoutMs ?? exitTimeoutMs();
  if (process.listenerCount('uncaughtException') > 1) {
    // The application handles uncaught exceptions itself: it decides what happens next.
    void runtime.pipeline.flush(timeoutMs);
    return;
  }
  if (ending !== undefined) return; // Node would have ended at the first one
  ending = { value: error };
  // If the process ends some other way while we wait, it ends with Node's code for a crash.
  process.exitCode = 1;
  deliverThen(timeoutMs, () => reraise(error));
}

function reraise(error: unknown): void {
  process.removeListener('uncaughtException', onUncaught);
  reraised = { value: error };
  process.nextTick(() => {
    // With no uncaughtException listener this throw ends the process: the monitors (the
    // application's too) saw this exception already and must not report it twice.
    if (process.listenerCount('uncaughtException') === 0) process.removeAllListeners('uncaughtExceptionMonitor');
    throw error; // logbridge: logs delivered; the uncaught exception is raised again for Node to report
  });
}

function onSignal(signal: NodeJS.Signals): void {
  const timeoutMs = settings?.timeoutMs ?? exitTimeoutMs();
  if (process.listenerCount(signal) > 1) {
    // The application handles this signal itself: it decides if and when to exit.
    void runtime.pipeline.flush(timeoutMs);
    return;
  }
  if (ending !== undefined) {
    startExitDeadline(0); // a second signal (or one during a crash): stop waiting
    raiseSignal(signal);
    return;
  }
  ending = { value: signal };
  deliverThen(timeoutMs, () => raiseSignal(signal));
}

/** Ends the process by `signal`, as it would have ended without our listener. */
function raiseSignal(signal: NodeJS.Signals): void {
  finalFlush(); // no 'exit' event when a signal ends the process
  const handler = signalHandlers.get(signal);
  if (handler !== undefined) process.removeListener(signal, handler);
  signalHandlers.delete(signal);
  process.kill(process.pid, signal);
}

/**
 * Flushes every sink, then calls `then` — at the latest when `timeoutMs`
 * has passed. The timer is not unref'd on purpose: it keeps the process
 * alive until we end it, so the event loop cannot run dry and end the
 * process with the wrong exit code in between.
 */
function deliverThen(timeoutMs: number, then: () => void): void {
  startExitDeadline(timeoutMs);
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    then();
  };
  const timer = setTimeout(() => {
    startExitDeadline(0); // the sinks had their chance: the exit flush must not wait again
    finish();
  }, timeoutMs);
  runtime.ensureConfigured();
  runtime.pipeline.flush(timeoutMs).then(finish, finish);
}
