import type { Encoder } from '../core/sink.ts';
import { limitRecordSize } from './size-limit.ts';
import type { LogRecord } from '../core/record.ts';
import { DEFAULT_LIMITS, type Limits } from '../values/limits.ts';
import { formatTimestamp } from '../core/clock.ts';
import { jsonValue } from '../values/json.ts';
import { truncate } from '../values/truncate.ts';
import { keysOf, readMember } from '../values/safe.ts';
import { cachedByKey } from '../values/key-cache.ts';
import { attributeName, recordAttributes } from '../core/attributes.ts';
import { RECORD_KEYS } from './json.ts';

/**
 * The `logfmt` line format: `key=value` pairs separated by spaces, as read
 * by Grafana Loki's `| logfmt`, Heroku and go-logfmt:
 *
 * ```text
 * timestamp=2026-11-28T09:14:03.123456Z level=INFO scope=orders message="order placed" request.id=r-7 orderId=42
 * ```
 *
 * Keys are those of the JSON line (`severity_number` left out), attributes
 * follow under their own keys, renamed `attr.<key>` when they clash with a
 * record field (the JSON line's rule: no key twice). A value is written bare unless it is empty or contains a
 * space, `=`, `"`, `\` or any control or line-breaking character; then it is
 * double-quoted with JSON escapes (`\"`, `\\`, `\n`, `\u001b`), which
 * logfmt parsers accept. Objects and arrays are written as quoted JSON.
 * Characters that cannot appear in a key (space, `=`, `"`, `\`, controls)
 * are written as `\xNN` (`\uNNNN` above U+00FF), which keeps distinct keys
 * distinct. One line per record, always.
 */

/** Options for {@link createLogfmtEncoder}. */
export interface LogfmtEncoderOptions {
  /** Value limits: string length, attribute count, depth, record size (default {@link DEFAULT_LIMITS}). */
  readonly limits?: Limits;
}

/** Creates the logfmt encoder. The returned function never throws on any record content. */
export function createLogfmtEncoder(options: LogfmtEncoderOptions = {}): Encoder {
  const limits = options.limits ?? DEFAULT_LIMITS;
  return limitRecordSize(function encodeLogfmt(record: LogRecord): string {
    let out = 'timestamp=' + formatTimestamp(record.time) + ' level=' + logfmtValue(record.severityText) +
      ' scope=' + logfmtValue(record.scope) + ' message=' + logfmtValue(truncate(record.body, limits.valueLength));
    if (record.eventName !== undefined) out += ' event_name=' + logfmtValue(record.eventName);
    const trace = record.trace;
    if (trace !== undefined) {
      out += ' trace_id=' + logfmtValue(trace.traceId) + ' span_id=' + logfmtValue(trace.spanId) +
        ((trace.traceFlags & 1) === 1 ? ' trace_flags=01' : ' trace_flags=00');
    }
    if (record.requestId !== undefined) out += ' request.id=' + logfmtValue(record.requestId);
    const exception = record.exception;
    if (exception !== undefined) {
      out += ' exception.type=' + logfmtValue(exception.type) + ' exception.message=' + logfmtValue(exception.message);
      if (exception.stacktrace !== undefined) out += ' exception.stacktrace=' + logfmtValue(exception.stacktrace);
    }
    out += attributePairs(record, limits);
    if (record.truncated !== undefined) out += ' logbridge.truncated=' + logfmtValue(record.truncated);
    return out + '\n';
  }, limits);
}

function attributePairs(record: LogRecord, limits: Limits): string {
  const early = record.droppedAttributes ?? 0;
  if (record.attributes === undefined && record.bindings === undefined &&
    record.contextAttributes === undefined && record.exception?.attributes === undefined) {
    return early > 0 ? ' dropped_attributes_count=' + early : '';
  }
  // One source (the common case: call attributes only) needs no merged copy.
  const only = record.bindings === undefined && record.contextAttributes === undefined &&
    record.exception?.attributes === undefined ? record.attributes : undefined;
  const merged = only ?? recordAttributes(record);
  const keys = keysOf(merged);
  if (keys === undefined) return '';
  const n = Math.min(keys.length, limits.attributeCount);
  let out = '';
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const text = valueText(readMember(merged, key), limits);
    if (text === undefined) continue;
    out += ' ' + logfmtKey(attributeName(key, RECORD_KEYS)) + '=' + text;
  }
  const dropped = keys.length - n + early;
  if (dropped > 0) out += ' dropped_attributes_count=' + dropped;
  return out;
}

function valueText(value: unknown, limits: Limits): string | undefined {
  switch (typeof value) {
    case 'string':
      return logfmtValue(value.length > limits.valueLength ? truncate(value, limits.valueLength) : value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return String(value); // NaN and Infinity bare, as go-logfmt writes them
    case 'undefined':
      return undefined;
    default: {
      const json = jsonValue(value, limits);
      if (json === undefined) return undefined;
      // Scalars JSON wrote as strings (BigInt, symbols) are shown unquoted when they can be.
      return json.startsWith('"') ? logfmtValue(JSON.parse(json) as string) : logfmtValue(json);
    }
  }
}

const UNSAFE_VALUE = /^$|[\s="\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const NOT_JSON_ESCAPED = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_KEY = /[\s="\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A logfmt value: bare when safe, else a double-quoted string with JSON escapes. */
export function logfmtValue(s: string): string {
  if (!UNSAFE_VALUE.test(s)) return s;
  // JSON.stringify escapes quotes, backslashes, C0 controls and lone surrogates;
  // DEL, C1 controls and Unicode separators need escaping by hand.
  return JSON.stringify(s).replace(NOT_JSON_ESCAPED, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** A logfmt key: characters a key cannot hold become `\xNN` / `\uNNNN`; an empty key becomes `""`. */
export const logfmtKey: (key: string) => string = cachedByKey((key) => (key === '' ? '""' : key.replace(UNSAFE_KEY, (ch) => {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? '\\x' + code.toString(16).padStart(2, '0') : '\\u' + code.toString(16).padStart(4, '0');
})));
