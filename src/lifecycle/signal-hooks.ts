import { describeError, diagnose } from '../core/diagnostics.ts';
import { markOurs } from './ours.ts';

/**
 * The one door through which a logbridge feature takes a signal for itself
 * (the live levels' opt-in SIGHUP reload). A claimed signal is handled by its
 * claims and does not end the process; the lifecycle's own signal handling
 * asks {@link isSignalClaimed} before treating it as an end. One process
 * listener per signal, removed when the last claim is released.
 */

const claims = new Map<NodeJS.Signals, { readonly handlers: Set<() => void>; readonly listener: () => void }>();

/**
 * Claims `signal`: `handler` runs on each delivery instead of the signal
 * ending the process. Returns the release function (idempotent). The
 * handler's exceptions are reported on stderr, never thrown.
 */
export function onSignal(signal: NodeJS.Signals, handler: () => void): () => void {
  let claim = claims.get(signal);
  if (claim === undefined) {
    const handlers = new Set<() => void>();
    // marked as logbridge's: the termination handling must not take it for the application's listener
    const listener = markOurs((): void => {
      for (const h of [...handlers]) {
        try {
          h();
        } catch (error) {
          diagnose('SIGNAL_HANDLER_FAILED', `a ${signal} handler threw (${describeError(error)})`);
        }
      }
    });
    claim = { handlers, listener };
    claims.set(signal, claim);
    process.on(signal, listener);
  }
  const entry = (): void => handler();
  claim.handlers.add(entry);
  return () => {
    const current = claims.get(signal);
    if (current === undefined || !current.handlers.delete(entry) || current.handlers.size > 0) return;
    claims.delete(signal);
    process.removeListener(signal, current.listener);
  };
}

/** Whether a logbridge feature has claimed `signal` (so it must not be taken as a request to end). */
export function isSignalClaimed(signal: NodeJS.Signals): boolean {
  return claims.has(signal);
}
