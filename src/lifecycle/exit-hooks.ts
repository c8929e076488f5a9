import { runtime } from '../core/runtime.ts';
import { exitTimeLeft, markProcessExiting, restartExitDeadline, startExitDeadline } from '../core/exit-deadline.ts';
import type { Env } from '../config/env.ts';
import { exitTimeoutMs, finalFlush, finalFlushReserve } from './final-flush.ts';
import { installDefaultSignals } from './signals.ts';

export { exitTimeoutMs, finalFlush } from './final-flush.ts';

/**
 * The process hooks logbridge installs as soon as it is configured (or an
 * OpenTelemetry stdout exporter is made). src/lifecycle/ is the only place
 * that listens to the process's events (a test checks). They do not change
 * how or when the process ends, apart from bounded waits:
 *
 * - `beforeExit` (the event loop ran dry): the exit deadline starts and
 *   every sink is flushed, so records still queued (an OTLP batch waiting
 *   for its timer, a request in flight: export sockets are unref'd, so they
 *   do not hold the loop) are delivered. If a sink is still busy when the
 *   deadline passes (a hanging collector), the process ends then, with the
 *   exit code it was about to end with (`process.exitCode`).
 * - `exit` (natural end, `process.exit()`, an uncaught exception): a
 *   synchronous flush of every sink within what is left of the exit
 *   deadline, then the final accounting line if anything was lost.
 * - Termination signals: see signals.ts (on by default).
 */

let installed = false;
/** `pipeline.emitted` when the last natural-end delivery started. */
let deliveredUpTo = -1;
/** Whether the last natural-end delivery finished before its deadline (the process may then live on). */
let lastSettled = false;

/** Installs the `beforeExit` and `exit` hooks and, unless `LOGBRIDGE_SIGNALS=off`, the signal handlers; once. */
export function installExitHooks(env: Env = process.env): void {
  if (installed) return;
  installed = true;
  process.on('beforeExit', onBeforeExit);
  process.on('exit', onExit);
  installDefaultSignals(env);
}

function onExit(): void {
  markProcessExiting();
  finalFlush();
}

function onBeforeExit(): void {
  const pipeline = runtime.pipeline;
  // Our own flush makes the loop run again and 'beforeExit' fire again: only
  // deliver when something was logged since the last time, or this never ends.
  if (pipeline.emitted === deliveredUpTo) return;
  // The process lived on after an earlier natural end was delivered: this is a new end, with its own deadline.
  if (lastSettled) restartExitDeadline(exitTimeoutMs());
  else startExitDeadline(exitTimeoutMs());
  deliveredUpTo = pipeline.emitted;
  lastSettled = false;
  const left = exitTimeLeft() ?? 0;
  const timeoutMs = left - finalFlushReserve(left);
  let settled = false;
  // Ref'd on purpose: export sockets are unref'd, so this timer is what keeps the loop alive
  // while answers are awaited, and it ends the wait shortly before the deadline (the rest is
  // the exit flush's, see finalFlushReserve).
  const timer = setTimeout(() => {
    if (settled) return;
    process.exit();
  }, timeoutMs);
  void pipeline.flush(timeoutMs).then(() => {
    settled = true;
    lastSettled = true;
    clearTimeout(timer);
  });
}
