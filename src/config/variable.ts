import { REDACT_PATTERN_NAMES, type RedactPatternName } from '../redact/patterns.ts';

/**
 * What an environment variable is (its entry in the one table, env.ts) and
 * the parsers of its text: each returns the value, or `undefined` when the
 * text is not valid.
 */

/** One environment variable: how to parse it and what to use without it. */
export interface EnvVar<T> {
  readonly name: string;
  /** Variables read, in order, when `name` is unset (e.g. `OTEL_ATTRIBUTE_COUNT_LIMIT`). */
  readonly fallbacks?: readonly string[];
  /** The parsed value, or `undefined` when `raw` is invalid. */
  readonly parse: (raw: string) => T | undefined;
  readonly defaultValue: T;
  /** One line for the docs and the configuration printout. */
  readonly description: string;
  /** Never print the value (headers, keys). */
  readonly secret?: boolean;
  /**
   * The value when the variable is set but empty, for the few conventions in
   * which presence alone means something (`FORCE_COLOR=`). Without it an
   * empty value counts as unset.
   */
  readonly whenEmpty?: T;
}

/** The process environment or a stand-in (tests pass plain objects). */
export type Env = Readonly<Record<string, string | undefined>>;

/** The log line formats the stdout sink can write (see docs/sinks-and-formats.md). */
export type FormatName = 'json' | 'pretty' | 'logfmt' | 'otlp-json';

/** A format, or `auto`: `pretty` when stdout is a TTY and `NODE_ENV` is not `production`, else `json`. */
export type FormatChoice = FormatName | 'auto';

/** Parses a whole number in [min, max]; `Infinity` is not accepted. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (raw: string) => number | undefined {
  return (raw) => {
    if (!/^[+-]?\d+$/.test(raw)) return undefined;
    const n = Number(raw);
    return n >= min && n <= max ? n : undefined;
  };
}

/** Parses `true`/`false` (any case), as the OpenTelemetry specification defines booleans. */
export function boolean(raw: string): boolean | undefined {
  const v = raw.toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

/** Parses one of `values` (case-insensitive). */
export function oneOf<T extends string>(...values: T[]): (raw: string) => T | undefined {
  return (raw) => values.find((v) => v === raw.toLowerCase());
}

/** Parses `on`/`off`/`true`/`false` (any case). */
export function onOff(raw: string): boolean | undefined {
  const v = raw.toLowerCase();
  return v === 'on' || v === 'true' ? true : v === 'off' || v === 'false' ? false : undefined;
}

/** Parses a comma list; empty items are ignored. */
export function list(raw: string): string[] {
  return raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** OTLP transport protocols (`OTEL_EXPORTER_OTLP_PROTOCOL`). */
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

/** Values of `OTEL_LOGS_EXPORTER`. */
export type ExporterName = 'console' | 'otlp' | 'none';

/** Parses a comma list of known exporter names; any unknown name makes the whole value invalid. */
export function exporterList(raw: string): ExporterName[] | undefined {
  const names = list(raw.toLowerCase());
  const known = ['console', 'otlp', 'none'];
  return names.length > 0 && names.every((n) => known.includes(n)) ? names as ExporterName[] : undefined;
}

/** Options of {@link keyValueList}. */
export interface KeyValueListOptions {
  /**
   * Skip malformed pairs instead of rejecting the whole text (for a list
   * inside a configuration file whose shape a schema has already checked).
   */
  readonly skipInvalid: true;
}

/**
 * Parses the W3C-baggage-like `key=value,key2=value2` lists of
 * `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_EXPORTER_OTLP_HEADERS` and the config
 * file's `attributes_list` / `headers_list`: keys and values trimmed and
 * percent-decoded, empty items ignored. By default one malformed pair (no
 * `=`, an empty key, a bad percent escape) makes the whole value invalid,
 * as the specification asks for resource attributes; with `skipInvalid`
 * such pairs are left out and the rest kept.
 */
export function keyValueList(raw: string): Record<string, string> | undefined;
export function keyValueList(raw: string, options: KeyValueListOptions): Record<string, string>;
export function keyValueList(raw: string, options?: KeyValueListOptions): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const pair = keyValuePair(part);
    if (pair !== undefined) out[pair[0]] = pair[1];
    else if (options?.skipInvalid !== true) return undefined;
  }
  return out;
}

/** One `key=value`, decoded; `undefined` when malformed. */
function keyValuePair(part: string): [string, string] | undefined {
  const eq = part.indexOf('=');
  if (eq <= 0) return undefined;
  try {
    const key = decodeURIComponent(part.slice(0, eq).trim());
    return key === '' ? undefined : [key, decodeURIComponent(part.slice(eq + 1).trim())];
  } catch {
    return undefined;
  }
}

/** Parses an absolute http(s) URL. */
export function url(raw: string): string | undefined {
  try {
    const parsed = new URL(raw);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? raw : undefined;
  } catch {
    return undefined;
  }
}

/** Parses `LOGBRIDGE_REDACT_PATTERNS`: on/off, or a comma list of built-in pattern names. */
export function redactPatterns(raw: string): boolean | RedactPatternName[] | undefined {
  const toggle = onOff(raw);
  if (toggle !== undefined) return toggle;
  const names = list(raw.toLowerCase());
  const known: readonly string[] = REDACT_PATTERN_NAMES;
  return names.every((name) => known.includes(name)) ? names as RedactPatternName[] : undefined;
}
