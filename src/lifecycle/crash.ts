import { runtime } from '../core/runtime.ts';
import { toExceptionInfo } from '../values/exception.ts';
import { exitTimeoutMs } from './final-flush.ts';
import { deliverThen, isEnding } from './ending.ts';
import { handledSignals, setHandledSignals, signalsFromEnv } from './signals.ts';
import { LogbridgeError } from '../core/errors.ts';
import { ENV, readEnv } from '../config/env.ts';
import { firstReportOf, hasApplicationListener, markOurs } from './ours.ts';

/**
 * Crash handlers, opt-in (`installCrashHandlers()`,
 * `configure({ crashHandlers: true })` or `LOGBRIDGE_CRASH_HANDLERS=true`).
 *
 * An uncaught exception, or an unhandled rejection that Node treats as
 * fatal under its `--unhandled-rejections` mode (`throw`, the default, and
 * `strict`), gives one FATAL record with the full exception, written to
 * stdout at once. If nothing else handles it, every sink is then flushed
 * within the exit deadline and the exception is raised again, so Node ends
 * the process exactly as it would have (its usual stderr report, exit code
 * 1, `exit` listeners). If the application has its own `uncaughtException`
 * listener, that listener decides, as before; we only start a flush. Under
 * `--unhandled-rejections=warn` or `none` (where a listener changes
 * nothing), an unhandled rejection gives an ERROR record.
 *
 * Opt-in because they change what a crashing process does: it lives on, up
 * to the deadline, after the exception (its timers and sockets still run).
 * Termination signals need no such choice and are handled by default
 * (signals.ts); the `signals` and `timeoutMs` options only adjust them.
 * A hanging collector cannot hold the process: the deadline timer ends the
 * wait, and the synchronous exit flush only gets what is left of it.
 */

/** Options for {@link installCrashHandlers}. */
export interface CrashHandlerOptions {
  /** Longest wait for the sinks before the process ends, ms (default `LOGBRIDGE_EXIT_TIMEOUT_MS`, else 5000). */
  readonly timeoutMs?: number;
  /** Log uncaught exceptions and fatal unhandled rejections (default true). */
  readonly exceptions?: boolean;
  /** Signals on which to flush before the process ends (default: the handled signals, `SIGTERM`, `SIGINT`, `SIGHUP`; `[]` for none). */
  readonly signals?: readonly NodeJS.Signals[];
  /** Logger name (scope) of the FATAL records (default `process`). */
  readonly loggerName?: string;
}

interface Settings {
  readonly timeoutMs: number | undefined;
  readonly exceptions: boolean;
  readonly signals: readonly NodeJS.Signals[] | undefined;
  readonly loggerName: string;
}

let settings: Settings | undefined;
/** The signals handled before our options changed them, restored on uninstall. */
let signalsBefore: NodeJS.Signals[] | undefined;
/** Values we raised again ourselves: the monitor must not log them twice. */
let reraised: { value: unknown } | undefined;

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
  // Signals are handled by default (signals.ts); the options only change which, and the deadline.
  if (next.signals !== undefined || next.timeoutMs !== undefined) {
    signalsBefore = handledSignals();
    setHandledSignals(next.signals ?? signalsFromEnv(), next.timeoutMs);
  }
  return uninstallCrashHandlers;
}

/** Removes the crash handlers, if installed (the signals handled go back to what they were). */
export function uninstallCrashHandlers(): void {
  process.removeListener('uncaughtExceptionMonitor', onCrashMonitor);
  process.removeListener('uncaughtException', onUncaught);
  process.removeListener('unhandledRejection', onSurvivedRejection);
  if (signalsBefore !== undefined) setHandledSignals(signalsBefore);
  signalsBefore = undefined;
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
  const signals = options.signals;
  if (signals !== undefined && (!Array.isArray(signals) || signals.some((s) => typeof s !== 'string' || !/^SIG[A-Z0-9]+$/.test(s)))) {
    throw new LogbridgeError('LOGBRIDGE_ERR_INVALID_CONFIG', 'crashHandlers.signals must be a list of signal names');
  }
  return {
    timeoutMs,
    exceptions: options.exceptions !== false,
    signals: signals === undefined ? undefined : [...new Set(signals)],
    loggerName: typeof options.loggerName === 'string' && options.loggerName !== '' ? options.loggerName : 'process',
  };
}

/**
 * Runs before any `uncaughtException` listener (the application's too), for
 * every uncaught exception and every rejection Node turns into one: the
 * FATAL record, written through to stdout before anything else can exit.
 */
const onCrashMonitor = markOurs((error: unknown, origin: NodeJS.UncaughtExceptionOrigin): void => {
  // raised again by us, or reported by another copy of logbridge in this process
  if ((reraised !== undefined && reraised.value === error) || !firstReportOf(error)) return;
  try {
    const what = origin === 'unhandledRejection' ? 'Unhandled rejection' : 'Uncaught exception';
    runtime.getLogger(settings?.loggerName ?? 'process').fatal(`${what}: ${summary(error)}`, error);
  } catch {
    // the crash report must never turn into a second crash
  }
});

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

const onUncaught = markOurs((error: unknown): void => {
  const timeoutMs = settings?.timeoutMs ?? exitTimeoutMs();
  if (hasApplicationListener('uncaughtException')) {
    // The application handles uncaught exceptions itself: it decides what happens next.
    void runtime.pipeline.flush(timeoutMs);
    return;
  }
  if (isEnding()) return; // Node would have ended at the first one (or a signal is ending it)
  // If the process ends some other way while we wait, it ends with Node's code for a crash.
  process.exitCode = 1;
  deliverThen(error, timeoutMs, () => reraise(error));
});

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
