import { ROOT_CONTEXT, trace, type Context, type HrTime } from '@opentelemetry/api';
import type { LogRecord as OtelLogRecord } from '@opentelemetry/api';
import type { LogRecord } from '../core/record.ts';
import type { Limits } from '../values/limits.ts';
import { recordAttributes } from '../core/attributes.ts';
import { toAnyValue, type AnyValue } from '../values/any-value.ts';

/**
 * The bridge: one logbridge record → one OpenTelemetry API LogRecord, ready
 * for any `Logger.emit()` (ours or an application's LoggerProvider). Field
 * by field (docs/opentelemetry.md): time → timestamp and observedTimestamp
 * (the record is observed when it is made), severity number and text,
 * message → body, event name, attributes as AnyValue (maps, arrays and bytes
 * kept), `request.id`, `exception.*`, and the trace context as an explicit
 * Context (never the context active when the batch is exported).
 */

/** Attribute keys the bridge sets from record fields; user attributes with these keys become `attr.<key>`. */
export const BRIDGE_KEYS: ReadonlySet<string> = new Set([
  'request.id', 'exception.type', 'exception.message', 'exception.stacktrace',
]);

/** Converts one record. Never throws: a value that cannot be converted becomes a placeholder string. */
export function toOtelLogRecord(record: LogRecord, limits: Limits): OtelLogRecord {
  const time = toHrTime(record.time);
  const out: OtelLogRecord = {
    timestamp: time,
    observedTimestamp: time,
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    body: record.body,
    attributes: toOtelAttributes(record, limits),
    context: toContext(record),
  };
  if (record.eventName !== undefined) out.eventName = record.eventName;
  return out;
}

/** Epoch milliseconds (µs precision) → OTel HrTime `[seconds, nanoseconds]`, exact to the microsecond. */
export function toHrTime(ms: number): HrTime {
  // Round to whole microseconds first: the float has no more precision than that.
  const micros = Math.round(ms * 1000);
  const seconds = Math.floor(micros / 1_000_000);
  return [seconds, (micros - seconds * 1_000_000) * 1000];
}

/**
 * The record's attributes as OTel attributes (AnyValue), record fields last
 * so they win. The count limit keeps room for the record-field attributes
 * (`request.id`, `exception.*`); user attributes past it are left out and,
 * when `counts` is given, counted in `counts.dropped`.
 */
export function toOtelAttributes(record: LogRecord, limits: Limits, counts?: { dropped: number }): Record<string, AnyValue> {
  const out: Record<string, AnyValue> = {};
  const exception = record.exception;
  const reserved = (record.requestId === undefined ? 0 : 1) +
    (exception === undefined ? 0 : exception.stacktrace === undefined ? 2 : 3);
  const budget = Math.max(0, limits.attributeCount - reserved);
  const bindings = record.bindings;
  const call = record.attributes;
  const callKeys = call === undefined ? undefined : Object.keys(call);
  if (bindings !== undefined && callKeys !== undefined && record.contextAttributes === undefined && exception?.attributes === undefined &&
    bindings.keys.size + callKeys.length <= budget && !callKeys.some((key) => bindings.keys.has(key))) {
    // The common case, a child logger's call with its own keys: no merged copy (it cost as much as the rest of the mapping).
    for (const key of bindings.keys) addAttribute(out, bindings.attributes, key, limits);
    for (const key of callKeys) addAttribute(out, call!, key, limits);
    if (counts !== undefined) counts.dropped = 0;
  } else {
    const merged = needsMerge(record) ? recordAttributes(record) : (call ?? bindings?.attributes);
    if (merged !== undefined) {
      const keys = Object.keys(merged);
      const n = Math.min(keys.length, budget);
      if (counts !== undefined) counts.dropped = keys.length - n;
      for (let i = 0; i < n; i++) addAttribute(out, merged, keys[i]!, limits);
    }
  }
  if (record.requestId !== undefined) out['request.id'] = record.requestId;
  if (exception !== undefined) {
    out['exception.type'] = exception.type;
    out['exception.message'] = exception.message;
    if (exception.stacktrace !== undefined) out['exception.stacktrace'] = exception.stacktrace;
  }
  return out;
}

function addAttribute(out: Record<string, AnyValue>, source: Readonly<Record<string, unknown>>, key: string, limits: Limits): void {
  let value: unknown;
  try {
    value = source[key];
  } catch {
    value = '[Getter threw]';
  }
  const converted = typeof value === 'string' && value.length <= limits.valueLength ? value : toAnyValue(value, limits);
  if (converted !== undefined) out[BRIDGE_KEYS.has(key) ? `attr.${key}` : key] = converted;
}

function needsMerge(record: LogRecord): boolean {
  let sources = 0;
  if (record.attributes !== undefined) sources++;
  if (record.bindings !== undefined) sources++;
  if (record.contextAttributes !== undefined) sources++;
  if (record.exception?.attributes !== undefined) sources++;
  return sources > 1 || record.contextAttributes !== undefined || record.exception?.attributes !== undefined;
}

/**
 * A record already converted to plain, structured-cloneable data (the OTel
 * record without its Context, plus the scope and trace IDs), for handing
 * records to another process at exit.
 */
export interface PreparedRecord {
  readonly scope: string;
  readonly record: Omit<OtelLogRecord, 'context'>;
  readonly trace: LogRecord['trace'];
}

/** Prepares a record for {@link fromPreparedRecord} in another process. Never throws. */
export function toPreparedRecord(record: LogRecord, limits: Limits): PreparedRecord {
  const { context: _context, ...rest } = toOtelLogRecord(record, limits);
  const t = record.trace;
  return { scope: record.scope, record: rest, trace: t && { traceId: t.traceId, spanId: t.spanId, traceFlags: t.traceFlags } };
}

/** The OTel record of a prepared one. */
export function fromPreparedRecord(prepared: PreparedRecord): OtelLogRecord {
  return { ...prepared.record, context: toContext(prepared) };
}

function toContext(record: { readonly trace: LogRecord['trace'] }): Context {
  const t = record.trace;
  if (t === undefined) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: t.traceId, spanId: t.spanId, traceFlags: t.traceFlags });
}
