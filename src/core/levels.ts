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

/** Level names, lowest severity first. */
export const LEVEL_NAMES: readonly LevelName[] = Object.freeze([
  'trace', 'debug', 'info', 'warn', 'error', 'fatal',
]);

/** OpenTelemetry SeverityText of each level. */
export const SEVERITY_TEXT: Readonly<Record<LevelName, string>> = Object.freeze({
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'FATAL',
});

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

/*
 * Severity numbers to names, in one place: every level owns four numbers
 * (trace 1–4, debug 5–8, info 9–12, warn 13–16, error 17–20, fatal 21–24).
 */

/** The index in {@link LEVEL_NAMES} of the level that owns `severity`, clamped to trace…fatal (info for NaN). */
export function levelIndex(severity: number): number {
  const index = Math.min(5, Math.max(0, Math.floor((severity - 1) / 4)));
  return Number.isFinite(index) ? index : 2;
}

/** The SeverityText of the level that owns `severity` (10 → `INFO`), clamped to TRACE…FATAL. */
export function levelText(severity: number): string {
  return SEVERITY_TEXT[LEVEL_NAMES[levelIndex(severity)]!];
}

/**
 * OpenTelemetry's short name of a severity number, with its step: 9 → `INFO`,
 * 10 → `INFO2`, 12 → `INFO4`; `UNSPECIFIED` outside 1–24. Records from
 * other sources (the OTel SDK, OTLP input) may use any of the 24.
 */
export function severityShortName(severity: number): string {
  if (!(severity >= 1 && severity < 25)) return 'UNSPECIFIED';
  const step = (Math.floor(severity) - 1) % 4;
  return levelText(severity) + (step === 0 ? '' : String(step + 1));
}

/** A threshold as level rules write it: the level's name when `severity` is one (`info`), `off`, else the number. */
export function thresholdText(severity: number): string {
  if (severity === OFF) return 'off';
  for (const name of LEVEL_NAMES) if (SEVERITY[name] === severity) return name;
  return String(severity);
}
