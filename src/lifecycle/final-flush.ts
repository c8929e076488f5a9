import { runtime } from '../core/runtime.ts';
import { reportAccounting } from './accounting.ts';
import { ENV, readEnv } from '../config/env.ts';
import { exitTimeLeft, startExitDeadline } from '../core/exit-deadline.ts';
import { runExitClosers, runExitTasks } from '../core/exit-tasks.ts';

/** The exit deadline in ms: `LOGBRIDGE_EXIT_TIMEOUT_MS`, default 5000. */
export function exitTimeoutMs(): number {
  return readEnv(ENV.exitTimeout);
}

/**
 * The part of an exit deadline kept for the final synchronous flush: the
 * asynchronous wait (a signal's, a crash's, the natural end's) ends this
 * long before the deadline, so that lines logged meanwhile still get time to
 * be written even when a collector that never answers took the rest.
 * A quarter of the deadline, at most 250 ms.
 */
export function finalFlushReserve(timeoutMs: number): number {
  return Math.min(250, Math.floor(timeoutMs / 4));
}

/**
 * The last thing logbridge does in a process (the 'exit' event, or just
 * before a signal is raised again): the exit closers (the throttle's
 * summaries), then a synchronous flush of every sink within
 * what is left of the exit deadline (started now if no earlier step started
 * it), the exit tasks of sinks no longer in the pipeline, and the
 * accounting line. Safe to call more than once. Never throws.
 */
export function finalFlush(): void {
  const pipeline = runtime.pipeline;
  startExitDeadline(exitTimeoutMs());
  runExitClosers();
  pipeline.flushSync(exitTimeLeft());
  runExitTasks();
  reportAccounting(pipeline);
  // 'exit' listeners added after ours still run, and may log: no event-loop turn is coming to write that.
  pipeline.afterEmit = () => pipeline.flushSync(exitTimeLeft());
}
