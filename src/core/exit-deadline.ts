/**
 * The one deadline of a process's end. The lifecycle owner starts it when
 * the process begins to end; every sink reads what is left of it, so all of
 * them share one budget instead of adding their own.
 */

/** Epoch ms by which every delivery must be over, once the process has started to end. */
let exitDeadline: number | undefined;

/**
 * Marks the start of the end: from now on all deliveries share one deadline,
 * `timeoutMs` from now (an earlier deadline already set is kept). Returns
 * the deadline (epoch ms).
 */
export function startExitDeadline(timeoutMs: number): number {
  const deadline = Date.now() + timeoutMs;
  if (exitDeadline === undefined || deadline < exitDeadline) exitDeadline = deadline;
  return exitDeadline;
}

/** Milliseconds left before the exit deadline, or `undefined` when none is running. */
export function exitTimeLeft(): number | undefined {
  return exitDeadline === undefined ? undefined : Math.max(0, exitDeadline - Date.now());
}
