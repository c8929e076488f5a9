import { performance } from 'node:perf_hooks';
import { toFlatString } from '../values/flat-string.ts';

/**
 * Wall-clock time with sub-millisecond precision, and the one conversion
 * every output derives its timestamp from: {@link toEpochMicros}. A record
 * carries epoch milliseconds as a float; stdout (RFC 3339, 6 fraction
 * digits) and OTLP (`timeUnixNano`, whole microseconds) both start from the
 * same whole microsecond, so they agree digit for digit. `performance.now()` is
 * monotonic and precise but drifts from the wall clock (NTP, suspend), so the
 * anchor to `Date.now()` is checked once a second and reset when they differ
 * by more than 2 ms.
 */

// perf_hooks' object, not the global: the global `performance` is a lazy
// accessor that runs a getter on every read (~50 instructions per record).
let anchor = Date.now() - performance.now();
let checkedAt = performance.now();

/** Milliseconds since the Unix epoch, with microsecond precision. */
export function now(): number {
  const mono = performance.now();
  if (mono - checkedAt > 1000) {
    checkedAt = mono;
    const wall = Date.now();
    if (Math.abs(wall - (anchor + mono)) > 2) anchor = wall - mono;
  }
  return anchor + mono;
}

/**
 * The whole microsecond of an epoch-milliseconds time: the one time
 * representation every sink derives its timestamp from (the JSON, logfmt
 * and pretty `timestamp`, OTLP `timeUnixNano`). Rounded, not truncated: the
 * float carries no more than microsecond precision, and `x.456` may be
 * stored as `x.45599…`. NaN and ±Infinity come back unchanged.
 */
export function toEpochMicros(ms: number): number {
  return Math.round(ms * 1000);
}

let cachedSecond = NaN;
let cachedPrefix = '';
let cachedMilli = NaN;
let cachedMilliPrefix = '';

// '000'…'999', and the same with the closing 'Z': two array loads instead of
// number-to-string conversions per record.
const DIGITS3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DIGITS3Z: readonly string[] = DIGITS3.map((d) => d + 'Z');

/**
 * RFC 3339 UTC with microseconds: `2026-11-28T09:14:03.123456Z`. The
 * date-time part is formatted once per second and the millisecond digits
 * once per millisecond (hundreds of records share one); the hot path only
 * appends the microsecond digits.
 */
export function formatTimestamp(ms: number): string {
  const micros = toEpochMicros(ms);
  const milli = Math.floor(micros / 1000);
  const prefix = milliPrefix(milli);
  if (prefix === undefined) return isoFallback(ms); // outside years 0000–9999
  return prefix + DIGITS3Z[micros - milli * 1000];
}

let headText = '';
let headMilli = NaN;
let headMilliPrefix = '';

/**
 * `head + formatTimestamp(ms)`, with `head` folded into the cached
 * per-millisecond prefix: one string node less per record, which the write
 * then does not have to flatten. Made for one constant `head` (the JSON
 * encoder's); another head just rebuilds the cache.
 */
export function formatTimestampAfter(head: string, ms: number): string {
  const micros = toEpochMicros(ms);
  const milli = Math.floor(micros / 1000);
  if (milli !== headMilli || head !== headText) {
    const prefix = milliPrefix(milli);
    if (prefix === undefined) return head + isoFallback(ms);
    headText = head;
    headMilli = milli;
    headMilliPrefix = toFlatString(head + prefix);
  }
  return headMilliPrefix + DIGITS3Z[micros - milli * 1000];
}

/** Times outside years 0000–9999 (a processor's doing): never throws, even for NaN. */
function isoFallback(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? 'Invalid Date' : date.toISOString();
}

/** `2026-11-28T09:14:03.123` for an epoch millisecond, cached; undefined outside years 0000–9999. */
function milliPrefix(milli: number): string | undefined {
  if (milli === cachedMilli) return cachedMilliPrefix;
  if (!(Math.abs(milli) < 8.64e15)) return undefined; // NaN, ±Infinity, beyond the Date range
  const second = Math.floor(milli / 1000);
  if (second !== cachedSecond) {
    const iso = new Date(second * 1000).toISOString();
    if (iso.length !== 24) return undefined;
    cachedSecond = second;
    cachedPrefix = iso.slice(0, 20);
  }
  cachedMilli = milli;
  cachedMilliPrefix = cachedPrefix + DIGITS3[milli - second * 1000];
  return cachedMilliPrefix;
}
