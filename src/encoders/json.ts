import type { Encoder } from '../sink.ts';
import type { Attributes, LogRecord } from '../record.ts';
import { DEFAULT_LIMITS, type Limits } from '../limits.ts';
import { formatTimestamp } from '../internal/clock.ts';
import { jsonKey, jsonString, jsonValue } from '../internal/json.ts';
import { recordAttributes } from '../attributes.ts';
import { shrinkRecord } from '../internal/record-size.ts';

/**
 * The default line format: one JSON object per record. Record fields come
 * first under fixed keys (see docs/formats.md); attributes follow at the top
 * level under their own keys. An attribute whose key is a record field's is
 * written as `attr.<key>`, so a user value can never forge or hide a field.
 * Precedence when keys repeat: call attributes, then request attributes,
 * then child bindings. Every line is valid JSON, whatever the input.
 */

/** Keys the encoder writes for record fields; attributes may not use them. */
export const RECORD_KEYS: ReadonlySet<string> = new Set([
  'timestamp', 'level', 'severity_number', 'scope', 'message', 'event_name',
  'trace_id', 'span_id', 'trace_flags', 'request.id', 'exception.type',
  'exception.message', 'exception.stacktrace', 'dropped_attributes_count', 'resource',
]);

const attrKeyCache = new Map<string, string>();

/** `"key":` for an attribute, with record-field keys renamed to `attr.<key>`. */
export function attributeKey(key: string): string {
  let cached = attrKeyCache.get(key);
  if (cached === undefined) {
    cached = jsonKey(RECORD_KEYS.has(key) ? `attr.${key}` : key);
    if (attrKeyCache.size < 4096 && key.length < 200) attrKeyCache.set(key, cached);
  }
  return cached;
}

/** JSON members (`,"k":v` each) for attributes; `undefined` values are skipped. */
export function attributeMembers(attributes: Attributes, keys: readonly string[], limits: Limits): string {
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    let value: unknown;
    try {
      value = attributes[key];
    } catch {
      value = '[Getter threw]';
    }
    // Inline the two common cases; everything else takes the safe path.
    if (typeof value === 'string') out += ',' + attributeKey(key) + jsonString(value, limits.valueLength);
    else if (typeof value === 'number' && Number.isFinite(value)) out += ',' + attributeKey(key) + value;
    else {
      const text = jsonValue(value, limits);
      if (text !== undefined) out += ',' + attributeKey(key) + text;
    }
  }
  return out;
}

/** Options for {@link createJsonEncoder}. */
export interface JsonEncoderOptions {
  readonly limits?: Limits;
  /** Resource attributes to add to every line under `resource` (off by default: they belong to OTLP). */
  readonly resource?: Attributes;
}

/** Creates the JSON-lines encoder. The returned function never throws on any record content. */
export function createJsonEncoder(options: JsonEncoderOptions = {}): Encoder {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const resource = options.resource === undefined ? '' : `,"resource":${jsonValue(options.resource, limits)}`;
  const recordSize = limits.recordSize ?? Infinity;
  const encodeJson = (record: LogRecord): string => {
    let out = '{"timestamp":"' + formatTimestamp(record.time) +
      '","level":"' + record.severityText +
      '","severity_number":' + record.severityNumber +
      ',"scope":' + scopeJson(record.scope) +
      ',"message":' + jsonString(record.body, limits.valueLength);
    if (record.eventName !== undefined) out += ',"event_name":' + jsonString(record.eventName, limits.valueLength);
    const trace = record.trace;
    if (trace !== undefined) {
      out += ',"trace_id":"' + trace.traceId + '","span_id":"' + trace.spanId +
        ((trace.traceFlags & 1) === 1 ? '","trace_flags":"01"' : '","trace_flags":"00"');
    }
    if (record.requestId !== undefined) out += ',"request.id":' + jsonString(record.requestId, 128);
    const exception = record.exception;
    if (exception !== undefined) {
      out += ',"exception.type":' + jsonString(exception.type, limits.valueLength) +
        ',"exception.message":' + jsonString(exception.message, limits.valueLength);
      if (exception.stacktrace !== undefined) out += ',"exception.stacktrace":' + jsonString(exception.stacktrace);
    }
    return out + encodeAttributes(record, limits) + resource + '}\n';
  };
  return function encodeJsonLimited(record: LogRecord): string {
    const line = encodeJson(record);
    if (line.length <= recordSize) return line;
    // Too big (limits.recordSize): encode a cut-down copy, marked `logbridge.truncated`; escapes can grow text 6×.
    const fitted = encodeJson(shrinkRecord(record, limits, line.length - 1));
    return fitted.length <= recordSize ? fitted : encodeJson(shrinkRecord(record, limits, line.length - 1, 6));
  };
}

function encodeAttributes(record: LogRecord, limits: Limits): string {
  const call = record.attributes;
  const bindings = record.bindings;
  const context = record.contextAttributes;
  const extra = record.exception?.attributes;
  if (context === undefined && extra === undefined) {
    if (call === undefined) return bindings === undefined || bindings.json === '' ? '' : ',' + bindings.json;
    const keys = Object.keys(call);
    if (bindings === undefined) {
      if (keys.length <= limits.attributeCount) return attributeMembers(call, keys, limits);
    } else if (keys.length + bindings.keys.size <= limits.attributeCount && !clashes(keys, bindings.keys)) {
      return (bindings.json === '' ? '' : ',' + bindings.json) + attributeMembers(call, keys, limits);
    }
  }
  return mergedAttributes(record, limits);
}

function clashes(keys: readonly string[], bound: ReadonlySet<string>): boolean {
  if (bound.size === 0) return false;
  for (let i = 0; i < keys.length; i++) if (bound.has(keys[i]!)) return true;
  return false;
}

/** The slow path: merge by precedence, apply the count limit, report what was dropped. */
function mergedAttributes(record: LogRecord, limits: Limits): string {
  const merged = recordAttributes(record);
  const keys = Object.keys(merged);
  const kept = keys.length > limits.attributeCount ? keys.slice(0, limits.attributeCount) : keys;
  let out = attributeMembers(merged, kept, limits);
  if (kept.length < keys.length) out += ',"dropped_attributes_count":' + (keys.length - kept.length);
  return out;
}

const scopeCache = new Map<string, string>();
function scopeJson(scope: string): string {
  let cached = scopeCache.get(scope);
  if (cached === undefined) {
    cached = jsonString(scope, 256);
    if (scopeCache.size < 1024) scopeCache.set(scope, cached);
  }
  return cached;
}

