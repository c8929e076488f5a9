/**
 * Log levels. The numbers are the OpenTelemetry SeverityNumber values, so a
 * record's level needs no translation on its way to OTLP: there is one scale.
 */

/** The six level names, lowest first. */
export type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** A level rule's threshold: a level name, or `off` to disable a logger. */
export type Threshold = LevelName | 'off';

/** OpenTelemetry SeverityNumber of each level (TRACE=1 … FATAL=21). */
export const SEVERITY: Readonly<Record<LevelName, number>> = Object.freeze({
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  error: 17,
  fatal: 21,
});

/** OpenTelemetry SeverityText of each level. */
export const SEVERITY_TEXT: Readonly<Record<LevelName, string>> = Object.freeze({
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'FATAL',
});

/** Level names, lowest severity first. */
export const LEVEL_NAMES: readonly LevelName[] = Object.freeze([
  'trace', 'debug', 'info', 'warn', 'error', 'fatal',
]);

/** A severity above every level: the threshold of a logger that is `off`. */
export const OFF = 25;

/** Whether `value` is a level name, exactly as written (`info`, not `INFO`; see {@link toSeverityThreshold} for any case). */
export function isLevelName(value: string): value is LevelName {
  return Object.hasOwn(SEVERITY, value);
}

/**
 * The minimum severity number for a threshold name (`info` → 9, `off` → 25),
 * or `undefined` when the name is not a level. Accepts any case and `warning`.
 */
export function toSeverityThreshold(name: string): number | undefined {
  const key = name.trim().toLowerCase();
  if (key === 'off' || key === 'none' || key === 'silent') return OFF;
  if (key === 'warning') return SEVERITY.warn;
  return isLevelName(key) ? SEVERITY[key] : undefined;
}

/** The level name for a severity threshold (9 → `info`, 25 → `off`). */
export function toThresholdName(severity: number): Threshold {
  for (const name of LEVEL_NAMES) if (SEVERITY[name] >= severity) return name;
  return 'off';
}
