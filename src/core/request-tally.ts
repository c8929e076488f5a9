import { AsyncLocalStorage } from 'node:async_hooks';
import type { Attributes, LogRecord } from './record.ts';
import { mergeAttributes } from './attributes.ts';
import { toExceptionInfo } from '../values/exception.ts';

/**
 * What one request's canonical line reports besides its outcome: how many
 * records the request made at each level, its first error, and the
 * attributes its handler added with {@link addRequestAttributes}. Kept in
 * an AsyncLocalStorage of its own (entered with `run()` by the HTTP core
 * when the canonical line is on), so a nested `withRequestContext` inside
 * the request still counts toward it.
 */

/** Level names by index of {@link RequestTally.counts}. */
export const TALLY_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** One request's counters. Made by the HTTP core; read once, when the request ends. */
export class RequestTally {
  /** Records made during the request, by level (index of {@link TALLY_LEVELS}). */
  readonly counts = [0, 0, 0, 0, 0, 0];
  /** The first error of the request: a record at `error` or above with an exception, or what the framework reported. */
  firstError: { readonly type: string; readonly message: string } | undefined;
  /** What the handler added with {@link addRequestAttributes}. */
  attributes: Attributes | undefined;
  /** Set when the line is written: later records and attributes no longer count. */
  closed = false;

  /** Counts one record (called for every record made inside the request). */
  count(record: LogRecord): void {
    if (this.closed) return;
    this.counts[Math.min(5, Math.max(0, (record.severityNumber - 1) >> 2))]!++;
    const exception = record.exception;
    if (this.firstError === undefined && exception !== undefined && record.severityNumber >= 17) {
      this.firstError = { type: exception.type, message: exception.message };
    }
  }

  /** Records `error` as the first error unless one is known already (an error the framework caught). Never throws. */
  noteError(error: unknown): void {
    if (this.closed || this.firstError !== undefined) return;
    try {
      const info = toExceptionInfo(error, { stack: false });
      this.firstError = { type: info.type, message: info.message };
    } catch {
      this.firstError = { type: 'unknown', message: '' };
    }
  }
}

const storage = new AsyncLocalStorage<RequestTally>();
// Until some request is tallied, records skip the store lookup altogether.
let inUse = false;

/** Runs `fn` with `tally` counting every record made in it and its async continuations. */
export function withRequestTally<T>(tally: RequestTally, fn: () => T): T {
  inUse = true;
  return storage.run(tally, fn);
}

/** Counts `record` toward the current request's tally, if any. Called by the runtime for every record. */
export function tallyRecord(record: LogRecord): void {
  if (inUse) storage.getStore()?.count(record);
}

/**
 * Adds `attributes` to the current request's canonical line only (not to
 * every record, as `setRequestAttributes` does): `addRequestAttributes({
 * 'cart.items': 3, 'cache.hit': false })`. Later calls win per key. Returns
 * `false`, doing nothing, outside a request whose adapter has the
 * canonical line on, or after the line was written. Never throws.
 */
export function addRequestAttributes(attributes: Attributes): boolean {
  const tally = storage.getStore();
  if (tally === undefined || tally.closed) return false;
  tally.attributes = Object.freeze(mergeAttributes(tally.attributes, attributes));
  return true;
}
