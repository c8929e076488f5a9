import type { Encoder } from '../core/sink.ts';
import { limitRecordSize } from './size-limit.ts';
import type { LogRecord } from '../core/record.ts';
import { ENV, readEnv, type Env } from '../config/env.ts';
import { DEFAULT_LIMITS, type Limits } from '../values/limits.ts';
import { formatTimestamp } from '../core/clock.ts';
import { levelIndex } from '../core/levels.ts';
import { jsonValue } from '../values/json.ts';
import { truncate } from '../values/truncate.ts';
import { keysOf, readMember } from '../values/safe.ts';
import { attributeName, recordAttributes, TRUNCATED_KEY } from '../core/attributes.ts';
import { RECORD_KEYS } from './json.ts';
import { isTerminal } from '../core/terminal.ts';

/**
 * The `pretty` line format, for humans at a terminal:
 *
 * ```text
 * 09:14:03.123 INFO  orders.api: order placed orderId=42 req=r-7 trace=4bf92f35
 *     TypeError: card declined
 *         at charge (/app/pay.js:10:5)
 * ```
 *
 * One line per record starts at column 0 with the time; an exception's
 * stack (with its `Caused by:` chain) follows on lines indented by four
 * spaces. Every control character, ANSI escape, Unicode line separator and
 * bidirectional override in user data is shown escaped (`\n`, `\x1b`,
 * `\u202e`), so no message or attribute can start a line of its own, forge
 * another record or repaint the terminal. An attribute named like one of the
 * line's own pairs (`event`, `req`, `trace`, `dropped_attributes_count`,
 * `logbridge.truncated`) is shown as `attr.<key>`, as in the JSON line.
 */

/**
 * Names attributes may not use on the pretty line: the pairs it writes for
 * record fields, and the JSON line's record keys (`level=gold` would read as
 * the record's level), so a clash shows as `attr.<key>` as in JSON.
 */
const PRETTY_KEYS: ReadonlySet<string> = new Set([...RECORD_KEYS, 'event', 'req', 'trace', 'dropped_attributes_count', TRUNCATED_KEY]);

/** Options for {@link createPrettyEncoder}. */
export interface PrettyEncoderOptions {
  /** Colours: `true`, `false`, or `'auto'` (default: `NO_COLOR` forbids, else `FORCE_COLOR` decides, else only on a TTY whose `TERM` is not `dumb`). */
  readonly colors?: boolean | 'auto';
  /** The file descriptor the lines go to, for `'auto'` colour detection (default 1). */
  readonly fd?: number;
  /** `'time'` (default): `09:14:03.123` (UTC); `'iso'`: the full RFC 3339 timestamp. */
  readonly time?: 'time' | 'iso';
  /** Value limits: string length, attribute count, depth, record size (default {@link DEFAULT_LIMITS}). */
  readonly limits?: Limits;
  /** Environment for `'auto'` colour detection (default `process.env`). */
  readonly env?: Env;
}

/**
 * Whether to colour output written to `fd`: never when `NO_COLOR` is set to
 * a non-empty value (https://no-color.org); otherwise `FORCE_COLOR` decides
 * when set (`0`/`false` off, anything else on); otherwise only when `fd` is
 * a TTY and `TERM` is not `dumb`. Never throws.
 */
export function shouldUseColor(fd: number, env: Env = process.env): boolean {
  if (readEnv(ENV.noColor, env)) return false;
  const force = readEnv(ENV.forceColor, env);
  if (force !== undefined) return force;
  if (readEnv(ENV.term, env) === 'dumb') return false;
  return isTerminal(fd);
}

/** Creates the pretty encoder. The returned function never throws on any record content. */
export function createPrettyEncoder(options: PrettyEncoderOptions = {}): Encoder {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const colors = options.colors === undefined || options.colors === 'auto'
    ? shouldUseColor(options.fd ?? 1, options.env) : options.colors;
  const style: PrettyStyle = { colors, time: options.time ?? 'time', limits };
  return limitRecordSize(function encodePretty(record: LogRecord): string {
    return renderPretty(toPrettyFields(record, limits), style);
  }, limits);
}

/** What the pretty renderer shows; made from a record, or by the viewer from a JSON line. */
export interface PrettyFields {
  /** RFC 3339 timestamp (other text is shown as it is). */
  readonly timestamp: string;
  readonly level: string;
  readonly severityNumber: number;
  readonly scope: string;
  readonly message: string;
  readonly eventName?: string | undefined;
  readonly requestId?: string | undefined;
  readonly traceId?: string | undefined;
  readonly exception?: { readonly type: string; readonly message: string; readonly stacktrace?: string | undefined } | undefined;
  /** Attributes in display order: any values. */
  readonly attributes: ReadonlyArray<readonly [string, unknown]>;
  /** Attributes left out by the count limit. */
  readonly dropped?: number | undefined;
  /** What the record size limit cut (`logbridge.truncated`). */
  readonly truncated?: string | undefined;
}

/** How {@link renderPretty} renders. */
export interface PrettyStyle {
  readonly colors: boolean;
  readonly time: 'time' | 'iso';
  readonly limits: Limits;
}

function toPrettyFields(record: LogRecord, limits: Limits): PrettyFields {
  return {
    timestamp: formatTimestamp(record.time),
    level: record.severityText,
    severityNumber: record.severityNumber,
    scope: record.scope,
    message: record.body,
    eventName: record.eventName,
    requestId: record.requestId,
    traceId: record.trace?.traceId,
    exception: record.exception,
    ...attributeEntries(record, limits.attributeCount),
    truncated: record.truncated,
  };
}

function attributeEntries(record: LogRecord, limit: number): { attributes: Array<[string, unknown]>; dropped: number } {
  const early = record.droppedAttributes ?? 0;
  const attributes = attributeList(record, limit);
  return { attributes: attributes.list, dropped: early + attributes.dropped };
}

function attributeList(record: LogRecord, limit: number): { list: Array<[string, unknown]>; dropped: number } {
  const only = record.bindings === undefined && record.contextAttributes === undefined &&
    record.exception?.attributes === undefined;
  if (only && record.attributes === undefined) return { list: [], dropped: 0 };
  // One source (call attributes only) needs no merged copy; getters may throw either way.
  const source = only ? record.attributes! : recordAttributes(record);
  const keys = keysOf(source) ?? [];
  const n = Math.min(keys.length, limit);
  const list: Array<[string, unknown]> = [];
  for (let i = 0; i < n; i++) list.push([keys[i]!, readMember(source, keys[i]!)]);
  return { list, dropped: keys.length - n };
}

const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const SCOPE_COLOR = '\x1b[35m';
/** By level, in LEVEL_NAMES order (see levelIndex). */
const LEVEL_COLORS = ['\x1b[90m', '\x1b[36m', '\x1b[32m', '\x1b[33m', '\x1b[31m', '\x1b[97;41m'];

/** One record as a pretty line (plus indented stack lines), `\n`-terminated. Never throws. */
export function renderPretty(fields: PrettyFields, style: PrettyStyle): string {
  try {
    return render(fields, style);
  } catch {
    return `${escapeControls(String(fields.timestamp))} ${escapeControls(String(fields.level))} [unprintable record]\n`;
  }
}

function render(f: PrettyFields, style: PrettyStyle): string {
  const c = style.colors;
  const time = style.time === 'time' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}/.test(f.timestamp)
    ? f.timestamp.slice(11, 23) : f.timestamp;
  const level = escapeControls(f.level).padEnd(5);
  let out = (c ? DIM + escapeControls(time) + RESET : escapeControls(time)) + ' ' +
    (c ? levelColor(f.severityNumber) + level + RESET : level);
  if (f.scope !== '') out += ' ' + (c ? SCOPE_COLOR + escapeControls(f.scope) + RESET : escapeControls(f.scope)) + ':';
  if (f.message !== '') out += ' ' + escapeControls(truncate(f.message, style.limits.valueLength));
  if (f.eventName !== undefined) out += pair('event', f.eventName, c, style.limits);
  for (const [key, value] of f.attributes) if (value !== undefined) out += pair(attributeName(key, PRETTY_KEYS), value, c, style.limits);
  if (f.dropped !== undefined && f.dropped > 0) out += pair('dropped_attributes_count', f.dropped, c, style.limits);
  if (f.truncated !== undefined) out += pair(TRUNCATED_KEY, f.truncated, c, style.limits);
  if (f.requestId !== undefined) out += pair('req', f.requestId, c, style.limits);
  if (f.traceId !== undefined) out += pair('trace', f.traceId.slice(0, 8), c, style.limits);
  out += '\n';
  if (f.exception !== undefined) out += stackLines(f.exception, c);
  return out;
}

function levelColor(severity: number): string {
  return LEVEL_COLORS[levelIndex(severity)]!;
}

function pair(key: string, value: unknown, colors: boolean, limits: Limits): string {
  const k = plainOrQuoted(key);
  const v = displayValue(value, limits);
  return colors ? ' ' + DIM + k + '=' + RESET + v : ' ' + k + '=' + v;
}

/** Strings bare when unambiguous, JSON-quoted otherwise; other values as compact JSON. */
function displayValue(value: unknown, limits: Limits): string {
  if (typeof value === 'string') return plainOrQuoted(truncate(value, limits.valueLength));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const json = jsonValue(value, limits) ?? 'undefined';
  // Scalars JSON writes as strings (bytes as base64, BigInt) read better bare.
  return json.startsWith('"') ? plainOrQuoted(JSON.parse(json) as string) : escapeControls(json);
}

const NEEDS_QUOTES = /^$|[\s="\\\u0000-\u001f\u007f-\u009f]/;

function plainOrQuoted(s: string): string {
  return escapeControls(NEEDS_QUOTES.test(s) ? JSON.stringify(s) : s);
}

function stackLines(exception: NonNullable<PrettyFields['exception']>, colors: boolean): string {
  const text = exception.stacktrace !== undefined && exception.stacktrace !== ''
    ? exception.stacktrace : `${exception.type}: ${exception.message}`;
  let out = '';
  for (const line of text.split('\n')) {
    const shown = '    ' + escapeControls(line.endsWith('\r') ? line.slice(0, -1) : line);
    out += (colors ? DIM + shown + RESET : shown) + '\n';
  }
  return out;
}

// C0 and C1 controls, DEL, Unicode line/paragraph separators and the bidirectional
// formatting characters (the "Trojan Source" set) — everything that can break a
// line, move the cursor or reorder what the reader sees.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `s` with every control, escape and line-breaking character shown as an escape sequence. */
export function escapeControls(s: string): string {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(s)) return s;
  return s.replace(CONTROL, (ch) => {
    const named = NAMED[ch];
    if (named !== undefined) return named;
    const code = ch.charCodeAt(0);
    return code < 0x100 ? '\\x' + code.toString(16).padStart(2, '0') : '\\u' + code.toString(16).padStart(4, '0');
  });
}
