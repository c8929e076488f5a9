import { ROOT_CONTEXT, trace, type Context, type HrTime } from '@opentelemetry/api';
import type { LogRecord as OtelLogRecord } from '@opentelemetry/api';
import type { LogRecord, TraceContext } from '../core/record.ts';
import type { Limits } from '../values/limits.ts';
import { attributeName, recordAttributes, TRUNCATED_KEY } from '../core/attributes.ts';
import { toEpochMicros } from '../core/clock.ts';
import { toAnyValue, type AnyValue } from '../values/any-value.ts';
import { readMember } from '../values/safe.ts';

/**
 * The one record → OpenTelemetry mapping. Every OTel output starts from a
 * {@link MappedRecord} made here: the protobuf writer, the OTLP/JSON writer
 * (http/json and the `otlp-json` line format), the LoggerProvider paths
 * (an application's provider, the official SDK pipeline), the gRPC
 * exporter's SDK records and the exit child. This module alone decides
 * attribute order and precedence (call > request > exception > bindings,
 * then `request.id` and `exception.*` from the record fields), `attr.`
 * renaming, the count limit and the dropped count, the time, the trace
 * fields, the scope and the event name (docs/otel-mapping.md).
 */

/**
 * Attribute keys the bridge sets from record fields; user attributes with these keys become
 * `attr.<key>` (and `attr.<key>` one more `attr.`: the JSON line's rule, see `attributeName`).
 */
export const BRIDGE_KEYS: ReadonlySet<string> = new Set([
  'request.id', 'exception.type', 'exception.message', 'exception.stacktrace', TRUNCATED_KEY,
]);

/**
 * User attribute keys written as `attr.<key>`: the bridge's own, and
 * `__proto__`, which a JavaScript object cannot hold as a plain key (the
 * official SDK's attribute copy turns it into a prototype and loses it).
 */
const RENAMED_KEYS: ReadonlySet<string> = new Set([...BRIDGE_KEYS, '__proto__']);

/**
 * One record as OpenTelemetry sees it. Plain, structured-cloneable data
 * (no Context), so it also carries records to the exit child.
 */
export interface MappedRecord {
  /** Instrumentation scope name. */
  readonly scope: string;
  /** `[seconds, nanoseconds]` since the epoch; `[0, 0]` for a time that is not a finite, non-negative number. */
  readonly time: HrTime;
  /** Observed time; for logbridge records the same array as `time` (observed when made). */
  readonly observedTime: HrTime;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: AnyValue;
  /** Event name; `undefined` when there is none (an empty name is none). */
  readonly eventName: string | undefined;
  /** Attributes in output order, record fields last. */
  readonly attributes: Record<string, AnyValue>;
  /** User attributes left out by the count limit. */
  readonly droppedAttributesCount: number;
  /** The trace context; `traceFlags` keeps only the 8 W3C bits. */
  readonly trace: TraceContext | undefined;
}

const COUNTS = { dropped: 0 };

/** Maps one record. Never throws: a value that cannot be converted becomes a placeholder string. */
export function mapRecord(record: LogRecord, limits: Limits): MappedRecord {
  // one counter for every call (read right after the last write, so a getter that logs cannot clobber it)
  const counts = COUNTS;
  const attributes = toOtelAttributes(record, limits, counts);
  const time = hrTimeOf(record.time);
  const t = record.trace;
  return {
    scope: record.scope,
    time,
    observedTime: time,
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    body: record.body,
    eventName: record.eventName === '' ? undefined : record.eventName,
    attributes,
    droppedAttributesCount: counts.dropped,
    // the record's own (immutable) trace object unless its flags need masking
    trace: t === undefined || (t.traceFlags & 0xff) === t.traceFlags ? t : { traceId: t.traceId, spanId: t.spanId, traceFlags: t.traceFlags & 0xff },
  };
}

/**
 * Epoch milliseconds → HrTime, through the clock's one conversion
 * ({@link toEpochMicros}), so OTLP carries the whole microsecond stdout shows.
 */
export function hrTimeOf(ms: number): HrTime {
  const micros = toEpochMicros(ms);
  if (!(micros >= 0 && micros <= Number.MAX_SAFE_INTEGER)) return [0, 0];
  const seconds = Math.floor(micros / 1_000_000);
  return [seconds, (micros - seconds * 1_000_000) * 1000];
}

/** An HrTime as decimal nanoseconds (OTLP/JSON `timeUnixNano`); `'0'` for a negative or non-finite one. */
export function unixNanoOf(time: HrTime): string {
  const [seconds, nanos] = time;
  if (!(seconds >= 0 && Number.isFinite(seconds))) return '0';
  return seconds === 0 ? String(nanos) : String(seconds) + String(nanos).padStart(9, '0');
}

/**
 * How a number travels as an AnyValue, decided once for every writer
 * (as the official serializer does): an integer in the int64 range is
 * `int_value` (`'safe'` within ±2^53, `'big'` beyond, written exactly from
 * the double), anything else `double_value`.
 */
export function numberKind(value: number): 'safe' | 'big' | 'double' {
  if (Number.isSafeInteger(value)) return 'safe';
  return Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63 ? 'big' : 'double';
}

/** The OTel API record for any `Logger.emit()`: the mapped fields, the trace as an explicit Context. */
export function toApiLogRecord(mapped: MappedRecord): OtelLogRecord {
  const out: OtelLogRecord = {
    timestamp: mapped.time,
    observedTimestamp: mapped.observedTime,
    severityNumber: mapped.severityNumber,
    severityText: mapped.severityText,
    body: mapped.body,
    attributes: mapped.attributes,
    // never the context active when the batch is exported
    context: toContext(mapped.trace),
  };
  if (mapped.eventName !== undefined) out.eventName = mapped.eventName;
  return out;
}

/** {@link toApiLogRecord} of {@link mapRecord}. Never throws. */
export function toOtelLogRecord(record: LogRecord, limits: Limits): OtelLogRecord {
  return toApiLogRecord(mapRecord(record, limits));
}

function toContext(t: TraceContext | undefined): Context {
  if (t === undefined) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: t.traceId, spanId: t.spanId, traceFlags: t.traceFlags });
}

/**
 * The record's attributes as OTel attributes (AnyValue), record fields last
 * so they win. The count limit keeps room for the record-field attributes
 * (`request.id`, `exception.*`); user attributes past it are left out and,
 * when `counts` is given, counted in `counts.dropped`.
 */
export function toOtelAttributes(record: LogRecord, limits: Limits, counts?: { dropped: number }): Record<string, AnyValue> {
  const out: Record<string, AnyValue> = {};
  visitOtelAttributes(record, limits, out, store, counts);
  return out;
}

/** Receives one attribute of {@link visitOtelAttributes} into `state`. */
export type AttributeAdder<S> = (state: S, name: string, value: AnyValue) => void;

const store: AttributeAdder<Record<string, AnyValue>> = (out, name, value) => {
  out[name] = value;
};

/**
 * {@link toOtelAttributes} without the object: each attribute handed to
 * `add` in the order it is decided (the protobuf writer writes them as they
 * come). The names are distinct. An object lists integer-like keys first;
 * a caller that must match its order checks for them.
 */
export function visitOtelAttributes<S>(record: LogRecord, limits: Limits, state: S, add: AttributeAdder<S>, counts?: { dropped: number }): void {
  const exception = record.exception;
  const reserved = (record.requestId === undefined ? 0 : 1) + (record.truncated === undefined ? 0 : 1) +
    (exception === undefined ? 0 : exception.stacktrace === undefined ? 2 : 3);
  const budget = Math.max(0, limits.attributeCount - reserved);
  const bindings = record.bindings;
  const call = record.attributes;
  const callKeys = call === undefined ? undefined : Object.keys(call);
  const early = record.droppedAttributes ?? 0;
  if (early === 0 && bindings !== undefined && callKeys !== undefined && record.contextAttributes === undefined && exception?.attributes === undefined &&
    bindings.keys.size + callKeys.length <= budget && !anyIn(callKeys, bindings.keys)) {
    // The common case, a child logger's call with its own keys: no merged copy (it cost as much as the rest of the mapping).
    for (const key of bindings.keys) addAttribute(state, add, bindings.attributes, key, limits);
    for (const key of callKeys) addAttribute(state, add, call!, key, limits);
    if (counts !== undefined) counts.dropped = 0;
  } else {
    const merged = needsMerge(record) ? recordAttributes(record) : (call ?? bindings?.attributes);
    if (merged !== undefined) {
      const keys = Object.keys(merged);
      const n = Math.min(keys.length, budget);
      for (let i = 0; i < n; i++) addAttribute(state, add, merged, keys[i]!, limits);
      if (counts !== undefined) counts.dropped = keys.length - n + early;
    } else if (counts !== undefined) counts.dropped = early;
  }
  if (record.truncated !== undefined) add(state, TRUNCATED_KEY, record.truncated);
  if (record.requestId !== undefined) add(state, 'request.id', record.requestId);
  if (exception !== undefined) {
    add(state, 'exception.type', exception.type);
    add(state, 'exception.message', exception.message);
    if (exception.stacktrace !== undefined) add(state, 'exception.stacktrace', exception.stacktrace);
  }
}

function addAttribute<S>(state: S, add: AttributeAdder<S>, source: Readonly<Record<string, unknown>>, key: string, limits: Limits): void {
  const value = readMember(source, key);
  // Short strings, finite numbers and booleans are their own AnyValue: no walk (and no `seen` list) for them.
  const converted = typeof value === 'string' ? (value.length <= limits.valueLength ? value : toAnyValue(value, limits))
    : (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' ? value : toAnyValue(value, limits);
  if (converted !== undefined) add(state, attributeName(key, RENAMED_KEYS), converted);
}

/** Whether a key is in the set (a loop, not `some()`: its closure was one more object per record). */
function anyIn(keys: readonly string[], set: ReadonlySet<string>): boolean {
  for (let i = 0; i < keys.length; i++) if (set.has(keys[i]!)) return true;
  return false;
}

function needsMerge(record: LogRecord): boolean {
  let sources = 0;
  if (record.attributes !== undefined) sources++;
  if (record.bindings !== undefined) sources++;
  if (record.contextAttributes !== undefined) sources++;
  if (record.exception?.attributes !== undefined) sources++;
  return sources > 1 || record.contextAttributes !== undefined || record.exception?.attributes !== undefined;
}
