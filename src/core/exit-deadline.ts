/**
 * The one deadline of a process's end. The lifecycle owner starts it when
 * the process begins to end; every sink reads what is left of it, so all of
 * them share one budget instead of adding their own.
 */

/** Epoch ms by which every delivery must be over, once the process has started to end. */
let exitDeadline: number | undefined;
/** Epoch ms when the end started. */
let exitStart: number | undefined;
/** Whether the 'exit' event came: no event-loop turn is left, delivery must be synchronous. */
let exiting = false;

/**
 * Marks the start of the end: from now on all deliveries share one deadline,
 * `timeoutMs` from now (an earlier deadline already set is kept). Returns
 * the deadline (epoch ms).
 */
export function startExitDeadline(timeoutMs: number): number {
  const now = Date.now();
  exitStart ??= now;
  const deadline = now + timeoutMs;
  if (exitDeadline === undefined || deadline < exitDeadline) exitDeadline = deadline;
  return exitDeadline;
}

/**
 * Starts the deadline afresh, `timeoutMs` from now, even if one ran: only
 * for a process that went on living after an end that did not come (an
 * application's 'beforeExit' listener gave the loop more work).
 */
export function restartExitDeadline(timeoutMs: number): void {
  exitStart = Date.now();
  exitDeadline = exitStart + timeoutMs;
}

/** Milliseconds left before the exit deadline, or `undefined` when none is running. */
export function exitTimeLeft(): number | undefined {
  return exitDeadline === undefined ? undefined : Math.max(0, exitDeadline - Date.now());
}

/** Epoch ms when the process started to end, or `undefined` while it is not ending. */
export function exitStartedAt(): number | undefined {
  return exitStart;
}

/** Called by the lifecycle owner from the 'exit' event. */
export function markProcessExiting(): void {
  exiting = true;
}

/** Whether the 'exit' event came (synchronous delivery only from here on). */
export function isProcessExiting(): boolean {
  return exiting;
}
