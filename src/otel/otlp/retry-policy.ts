/**
 * When to try a failed export again: exponential backoff with full jitter
 * (so many processes hitting one recovering collector spread out), capped,
 * unless the collector named a time with Retry-After.
 */

/** First delay, ms. */
export const INITIAL_BACKOFF_MS = 250;
/** Longest delay between two attempts, ms. */
export const MAX_BACKOFF_MS = 5000;

/** Delay before attempt `attempt + 1` (attempt 1 = the first retry): random in [d/2, d], d = 250 ms × 2^(attempt-1), capped. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Parses a Retry-After header: delta-seconds or an HTTP date. `undefined`
 * when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
