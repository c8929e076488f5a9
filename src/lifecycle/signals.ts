import { runtime } from '../core/runtime.ts';
import { startExitDeadline } from '../core/exit-deadline.ts';
import { LogbridgeError } from '../core/errors.ts';
import { ENV, readEnv, type Env } from '../config/env.ts';
import { deliverThen, isEnding } from './ending.ts';
import { finalFlush } from './final-flush.ts';
import { hasApplicationListener, markOurs } from './ours.ts';
import { isSignalClaimed } from './signal-hooks.ts';

/**
 * Termination signals, handled by default (`LOGBRIDGE_SIGNALS=off` turns
 * this off): SIGTERM, SIGINT and SIGHUP never lose buffered records.
 *
 * - The application has **no listener** of its own for the signal: every
 *   sink is flushed within the exit deadline, then our listener is removed
 *   and the signal raised again, so the process ends by the signal exactly
 *   as Node would have ended it (the status a supervisor sees is
 *   unchanged). A second signal during the wait ends it at once.
 * - The application **has a listener** (a graceful shutdown): it stays in
 *   charge. What is buffered for stdout is written at once and the other
 *   sinks start delivering; the process does not end on our account, and
 *   what is left is delivered on the exit path the application takes later
 *   (`process.exit()`, or the natural end).
 *
 * A signal can be claimed by another part of logbridge (signal-hooks.ts:
 * SIGHUP for live reloading, `LOGBRIDGE_RELOAD_ON_SIGHUP=true`): it is then
 * not a termination signal any more, and the claim's handler runs instead.
 * This module and its siblings in src/lifecycle/ are the only ones that
 * listen to the process's events.
 */

/** The signals handled unless configured otherwise. */
export const DEFAULT_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

const listening = new Set<NodeJS.Signals>();
let timeoutOverride: number | undefined;
/** Whether code chose the signals (crash handler options): the environment's default then does not apply. */
let chosen = false;
/** The termination signals chosen (claimed signals aside). */
let wanted = new Set<NodeJS.Signals>();

/**
 * Sets the signals handled (default: {@link DEFAULT_SIGNALS}, or none
 * under `LOGBRIDGE_SIGNALS=off`) and, optionally, the deadline of the
 * flush (default `LOGBRIDGE_EXIT_TIMEOUT_MS`). Replaces the previous
 * choice. Throws a {@link LogbridgeError} for a name that is not a signal.
 */
export function setHandledSignals(signals: readonly NodeJS.Signals[], timeoutMs?: number): void {
  if (!Array.isArray(signals) || signals.some((s) => typeof s !== 'string' || !/^SIG[A-Z0-9]+$/.test(s))) {
    throw new LogbridgeError('LOGBRIDGE_ERR_INVALID_CONFIG', 'signals must be a list of signal names');
  }
  chosen = true;
  timeoutOverride = timeoutMs;
  wanted = new Set(signals);
  for (const signal of [...listening]) if (!wanted.has(signal)) stopListening(signal);
  for (const signal of wanted) startListening(signal);
}

/** Handles the signals the environment asks for, unless code chose already. Never throws. */
export function installDefaultSignals(env: Env = process.env): void {
  if (chosen) return;
  setHandledSignals(signalsFromEnv(env));
  chosen = false;
}

/** The signals the environment asks for: {@link DEFAULT_SIGNALS}, or none with `LOGBRIDGE_SIGNALS=off`. */
export function signalsFromEnv(env: Env = process.env): readonly NodeJS.Signals[] {
  return readEnv(ENV.signals, env) ? DEFAULT_SIGNALS : [];
}

/** The signals logbridge listens to now. */
export function handledSignals(): NodeJS.Signals[] {
  return [...listening];
}

function startListening(signal: NodeJS.Signals): void {
  if (listening.has(signal)) return;
  listening.add(signal);
  // First in line, so the application's listeners (`once` ones too) are still counted when we look.
  process.prependListener(signal, onSignal);
}

function stopListening(signal: NodeJS.Signals): void {
  listening.delete(signal);
  process.removeListener(signal, onSignal);
}

const onSignal = markOurs((signal: NodeJS.Signals): void => {
  if (isSignalClaimed(signal)) return; // a logbridge feature took it (live reloading): not an end
  const timeoutMs = timeoutOverride ?? readEnv(ENV.exitTimeout);
  if (hasApplicationListener(signal)) {
    // The application handles this signal itself: write what we hold, and let it decide.
    // Nothing of this flush holds the process: its later exit path delivers the rest, within its own deadline.
    void runtime.pipeline.flush(timeoutMs, false);
    return;
  }
  if (isEnding()) {
    startExitDeadline(0); // a second signal (or one during a crash): stop waiting
    raiseSignal(signal);
    return;
  }
  deliverThen(signal, timeoutMs, () => raiseSignal(signal));
});

/** Ends the process by `signal`, as it would have ended without our listener. */
function raiseSignal(signal: NodeJS.Signals): void {
  finalFlush(); // no 'exit' event when a signal ends the process
  stopListening(signal);
  process.kill(process.pid, signal);
}
