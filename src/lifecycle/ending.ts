import { runtime } from '../core/runtime.ts';
import { startExitDeadline } from '../core/exit-deadline.ts';
import { finalFlushReserve } from './final-flush.ts';

/**
 * The end that logbridge itself carries out, after a signal or a crash it
 * handles: deliver within the deadline, then let the process end the way
 * it would have (the signal or the exception raised again). Shared by the
 * signal and crash handlers, so a second cause during the wait is seen.
 */

/** What is ending the process, once logbridge is delivering before ending it. */
let ending: { readonly cause: unknown } | undefined;

/** Whether logbridge is already delivering before it ends the process. */
export function isEnding(): boolean {
  return ending !== undefined;
}

/**
 * Starts the exit deadline, flushes every sink, then calls `then` — at the
 * latest shortly before `timeoutMs` has passed (the rest is the final
 * synchronous flush's). The timer is not unref'd on purpose:
 * it keeps the process alive until we end it, so the event loop cannot run
 * dry and end the process with the wrong exit status in between.
 */
export function deliverThen(cause: unknown, timeoutMs: number, then: () => void): void {
  ending = { cause };
  startExitDeadline(timeoutMs);
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    then();
  };
  // The wait ends a little before the deadline: what is left of it is the final flush's (see finalFlushReserve).
  const timer = setTimeout(finish, timeoutMs - finalFlushReserve(timeoutMs));
  runtime.ensureConfigured();
  runtime.pipeline.flush(timeoutMs - finalFlushReserve(timeoutMs)).then(finish, finish);
}
