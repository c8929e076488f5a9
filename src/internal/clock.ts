/**
 * Wall-clock time with sub-millisecond precision. `performance.now()` is
 * monotonic and precise but drifts from the wall clock (NTP, suspend), so the
 * anchor to `Date.now()` is checked once a second and reset when they differ
 * by more than 2 ms.
 */

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

let cachedSecond = NaN;
let cachedPrefix = '';

/**
 * RFC 3339 UTC with microseconds: `2026-11-28T09:14:03.123456Z`. The
 * date-time part is formatted once per second; the hot path only pads digits.
 */
export function formatTimestamp(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const iso = new Date(second * 1000).toISOString();
    if (iso.length !== 24) return new Date(ms).toISOString(); // outside years 0000–9999
    cachedSecond = second;
    cachedPrefix = iso.slice(0, 20);
  }
  const micros = Math.min(999_999, Math.floor((ms - second * 1000) * 1000));
  return cachedPrefix + pad6(micros) + 'Z';
}

function pad6(n: number): string {
  if (n >= 100_000) return String(n);
  return (n + 1_000_000).toString().slice(1);
}

/** Splits epoch milliseconds into OpenTelemetry HrTime `[seconds, nanoseconds]`. */
export function toHrTime(ms: number): [number, number] {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.min(999_999_999, Math.round((ms - seconds * 1000) * 1e6))];
}
