import { runtime } from '../core/runtime.ts';
import { reportAccounting } from './accounting.ts';
import { ENV, readEnv } from '../config/env.ts';
import { exitTimeLeft, startExitDeadline } from '../core/exit-deadline.ts';

/**
 * The process hooks logbridge installs as soon as it is configured. They do
 * not change how or when the process ends, with one bounded exception:
 *
 * - `beforeExit` (the event loop ran dry): every sink is flushed, so records
 *   still queued (an OTLP batch waiting for its timer) are delivered. If a
 *   sink is still busy when the exit deadline passes (a hanging collector
 *   whose socket keeps the loop alive), the process ends then, with the exit
 *   code it was about to end with (`process.exitCode`).
 * - `exit` (natural end, `process.exit()`, an uncaught exception): a
 *   synchronous best-effort flush of every sink within what is left of the
 *   exit deadline, then the final accounting line if anything was lost.
 */

let installed = false;
/** `pipeline.emitted` when the last natural-end delivery started. */
let deliveredUpTo = -1;

/** The exit deadline in ms: `LOGBRIDGE_EXIT_TIMEOUT_MS`, default 5000. */
export function exitTimeoutMs(): number {
  return readEnv(ENV.exitTimeout);
}

/**
 * The last thing logbridge does in a process: a synchronous flush of every
 * sink (within what is left of the exit deadline) and the accounting line.
 * Safe to call more than once. Never throws.
 */
export function finalFlush(): void {
  const pipeline = runtime.pipeline;
  pipeline.flushSync(exitTimeLeft());
  reportAccounting(pipeline);
  // 'exit' listeners added after ours still run, and may log: no event-loop turn is coming to write that.
  pipeline.afterEmit = () => pipeline.flushSync(exitTimeLeft());
}

/** Installs the `beforeExit` and `exit` hooks, once. */
export function installExitHooks(): void {
  if (installed) return;
  installed = true;
  process.on('beforeExit', onBeforeExit);
  process.on('exit', finalFlush);
}

function onBeforeExit(): void {
  const pipeline = runtime.pipeline;
  // Our own flush makes the loop run again and 'beforeExit' fire again: only
  // deliver when something was logged since the last time, or this never ends.
  if (pipeline.emitted === deliveredUpTo) return;
  deliveredUpTo = pipeline.emitted;
  const timeoutMs = exitTimeLeft() ?? exitTimeoutMs();
  let settled = false;
  const timer = setTimeout(() => {
    if (settled) return;
    // Only a busy sink can keep us here (this timer is unref'd): end the
    // process the way its natural end would have.
    startExitDeadline(0);
    process.exit();
  }, timeoutMs);
  timer.unref();
  void pipeline.flush(timeoutMs + 1000).then(() => {
    settled = true;
    clearTimeout(timer);
  });
}
