import { describeError, diagnose } from './diagnostics.ts';

/**
 * Synchronous work that must run when the process exits, for things that
 * are not (or no longer) sinks of the pipeline: an OTLP sink replaced by a
 * later configure() whose shutdown has not finished, the OpenTelemetry
 * stdout exporter. They register here; the lifecycle owner
 * (src/lifecycle/exit-hooks.ts), the only module that listens to the
 * process's events, runs them after the pipeline's own exit flush.
 */

const tasks = new Set<() => void>();
const closers = new Set<() => void>();

/** Registers `task` for the process's exit; returns a function that removes it. Never throws. */
export function addExitTask(task: () => void): () => void {
  tasks.add(task);
  return () => void tasks.delete(task);
}

/** Runs every registered task once, in registration order; a task that throws is reported and skipped. */
export function runExitTasks(): void {
  const all = [...tasks];
  tasks.clear();
  for (const task of all) {
    try {
      task();
    } catch (error) {
      diagnose('SINK_FAILED', `an exit task threw (${describeError(error)})`);
    }
  }
}

/**
 * Registers `task` to run at exit *before* the pipeline's final flush: for
 * parts that still have records to hand on (the throttle's open windows,
 * summarised), so that those records are written by that flush. Returns a
 * function that removes it. Never throws.
 */
export function addExitCloser(task: () => void): () => void {
  closers.add(task);
  return () => void closers.delete(task);
}

/** Runs every exit closer (see {@link addExitCloser}); they stay registered (an exit may start twice). Never throws. */
export function runExitClosers(): void {
  for (const task of [...closers]) {
    try {
      task();
    } catch (error) {
      diagnose('SINK_FAILED', `an exit closer threw (${describeError(error)})`);
    }
  }
}

/** How many tasks are registered (for tests: a component that shuts down removes its task). */
export function exitTaskCount(): number {
  return tasks.size;
}
