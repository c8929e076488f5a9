import { PatternRules } from '../core/logger-patterns.ts';
import { OFF, SEVERITY, toSeverityThreshold, toThresholdName } from '../core/levels.ts';
import type { ThrottleLimit, ThrottleRules } from '../core/throttle.ts';
import type { TraceFilterRules } from '../core/trace-filter.ts';

/**
 * The text forms of the volume controls' rules (docs/volume-controls.md),
 * shared by the environment, `configure()` and the live level file. Each
 * parser returns the rules or the reason the text is not valid; none throws.
 */

/** A parse result: the value, or why the text was refused. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

const NAME = /^[\w.:/@*?-]+$/;
const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses throttle rules: `10/1s` (a default), `10/1s,db=100/1m,chatty=1/10s,audit=off`.
 * A limit is `<records>/<window>`, the window in `ms`, `s`, `m` or `h` (`1s` is `1000ms`);
 * `off` leaves the logger unthrottled (also the default when no bare limit is given).
 */
export function parseThrottleRules(text: string): Parsed<ThrottleRules> {
  return parsePatterns<ThrottleLimit | undefined>(text, undefined, (value) => {
    if (value.toLowerCase() === 'off') return { ok: true, value: undefined };
    const m = /^(\d+)\s*\/\s*(\d+)\s*(ms|s|m|h)?$/.exec(value);
    if (m === null) return { ok: false, problem: `invalid throttle limit ${JSON.stringify(value)} (expected e.g. 10/1s or off)` };
    const limit = Number(m[1]);
    const windowMs = Number(m[2]) * UNITS[m[3] ?? 'ms']!;
    if (limit < 1 || windowMs < 1 || windowMs > 86_400_000) {
      return { ok: false, problem: `throttle limit ${JSON.stringify(value)} out of range (at least 1 record per 1ms..24h)` };
    }
    return { ok: true, value: { limit, windowMs } };
  });
}

/**
 * Parses trace-based rules: `on` (drop every record of an unsampled trace),
 * `off`, or a level (`warn`: drop what is below it), with per-logger
 * overrides: `warn,payments=off,noisy.*=on`.
 */
export function parseTraceBasedRules(text: string): Parsed<TraceFilterRules> {
  return parsePatterns<number>(text, 0, (value) => {
    const v = value.toLowerCase();
    if (v === 'on' || v === 'true') return { ok: true, value: OFF };
    if (v === 'off' || v === 'false') return { ok: true, value: 0 };
    const severity = toSeverityThreshold(v);
    if (severity === undefined || severity === OFF) return { ok: false, problem: `invalid trace-based value ${JSON.stringify(value)} (expected on, off or a level)` };
    return { ok: true, value: severity };
  });
}

/** Parses `off` (undefined), `on` (every level: 1) or a level name (its severity): source location, debug buffer. */
export function parseLevelOrOff(text: string, what: string): Parsed<number | undefined> {
  const v = text.trim().toLowerCase();
  if (v === 'off' || v === 'false' || v === '') return { ok: true, value: undefined };
  if (v === 'on' || v === 'true') return { ok: true, value: SEVERITY.trace };
  const severity = toSeverityThreshold(v);
  if (severity === undefined || severity === OFF) return { ok: false, problem: `invalid ${what} ${JSON.stringify(text)} (expected on, off or a level)` };
  return { ok: true, value: severity };
}

/** The text form of throttle rules (`10/1000ms,db=off`). */
export function formatThrottleRules(rules: ThrottleRules): string {
  const show = (v: ThrottleLimit | undefined): string => v === undefined ? 'off' : `${v.limit}/${v.windowMs}ms`;
  return formatPatterns(rules, show);
}

/** The text form of trace-based rules (`off,payments=warn`). */
export function formatTraceBasedRules(rules: TraceFilterRules): string {
  return formatPatterns(rules, (v) => v === 0 ? 'off' : v >= OFF ? 'on' : toThresholdName(v));
}

/** The text form of a level-or-off setting. */
export function formatLevelOrOff(severity: number | undefined): string {
  return severity === undefined ? 'off' : toThresholdName(severity);
}

function formatPatterns<T>(rules: PatternRules<T>, show: (value: T) => string): string {
  return [show(rules.defaultValue), ...rules.overrides.map(([name, v]) => `${name}=${show(v)}`)].join(',');
}

function parsePatterns<T>(text: string, fallback: T, parseValue: (value: string) => Parsed<T>): Parsed<PatternRules<T>> {
  let defaultValue = fallback;
  const overrides = new Map<string, T>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? '*' : part.slice(0, eq).trim();
    const parsed = parseValue(eq === -1 ? part : part.slice(eq + 1).trim());
    if (!parsed.ok) return parsed;
    if (name === '*') defaultValue = parsed.value;
    else if (!NAME.test(name)) return { ok: false, problem: `invalid logger name ${JSON.stringify(name)}` };
    else overrides.set(name, parsed.value);
  }
  return { ok: true, value: new PatternRules(defaultValue, overrides) };
}
