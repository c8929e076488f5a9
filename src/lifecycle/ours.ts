/**
 * Telling logbridge's own process listeners from the application's, across
 * copies of logbridge in one process (a CommonJS and an ES module copy, two
 * versions): each marks its listeners with one registered symbol. Without
 * it, each copy takes the other's listener for the application's and leaves
 * the exit to it — and a SIGTERM or an uncaught exception ends nothing.
 */

const OURS = Symbol.for('logbridge.lifecycle.listener');
const LOGGED = Symbol.for('logbridge.lifecycle.crash-logged');

/** Marks `listener` as logbridge's (any copy's); returns it. */
export function markOurs<T extends (...args: never[]) => unknown>(listener: T): T {
  (listener as unknown as Record<symbol, boolean>)[OURS] = true;
  return listener;
}

/** Whether a listener that is not any logbridge copy's listens for `event`. */
export function hasApplicationListener(event: string): boolean {
  return process.listeners(event as NodeJS.Signals).some((l) => (l as unknown as Record<symbol, unknown>)[OURS] !== true);
}

/**
 * Records that a FATAL record was written for `thrown` (by any copy);
 * returns false when one was already. Primitives cannot be told apart and
 * always return true.
 */
export function firstReportOf(thrown: unknown): boolean {
  if ((typeof thrown !== 'object' || thrown === null) && typeof thrown !== 'function') return true;
  const registry = globalThis as unknown as Record<symbol, WeakSet<object> | undefined>;
  const seen = (registry[LOGGED] ??= new WeakSet<object>());
  if (seen.has(thrown)) return false;
  seen.add(thrown);
  return true;
}
