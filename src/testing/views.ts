/**
 * Record views: what the conformance suite (conformance.ts) reads back from
 * a sink or an encoder, whatever the output's shape, and readers for the
 * shapes logbridge writes (JSON lines, OTLP/JSON, captured records).
 */

import type { CapturedRecord } from '../sinks/memory.ts';

/**
 * One record as an output shows it. Leave out what the output does not show;
 * a check that needs a missing field fails (skip it with a reason instead).
 */
export interface RecordView {
  /** Milliseconds since the Unix epoch, as precise as the output shows it. */
  readonly time?: number | undefined;
  /** Severity text (`INFO`). */
  readonly level?: string | undefined;
  /** Severity number (`9`); checked only when the output shows it. */
  readonly severityNumber?: number | undefined;
  /** Logger name (instrumentation scope). */
  readonly scope?: string | undefined;
  /** The message (body). */
  readonly message?: string | undefined;
  /** OpenTelemetry event name. */
  readonly eventName?: string | undefined;
  /** Lowercase hex. */
  readonly traceId?: string | undefined;
  /** Lowercase hex. */
  readonly spanId?: string | undefined;
  /** W3C trace flags; checked only when the output shows them. */
  readonly traceFlags?: number | undefined;
  /** The `request.id` field. */
  readonly requestId?: string | undefined;
  /** The `exception.*` fields. */
  readonly exception?: ExceptionView | undefined;
  /** User attributes under the keys the output gives them (`attr.message` for a renamed one). */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** The `exception.*` fields of a {@link RecordView}. */
export interface ExceptionView {
  /** `exception.type`. */
  readonly type?: string;
  /** `exception.message`. */
  readonly message?: string;
  /** `exception.stacktrace`. */
  readonly stacktrace?: string;
}

type Obj = Record<string, unknown>;

const JSON_FIELDS = new Set(['timestamp', 'level', 'severity_number', 'scope', 'message', 'event_name', 'trace_id', 'span_id',
  'trace_flags', 'request.id', 'exception.type', 'exception.message', 'exception.stacktrace', 'dropped_attributes_count', 'resource']);

/**
 * Views of logbridge JSON lines (the `json` format: docs/sinks-and-formats.md),
 * one per non-empty line. Throws when a line is not a JSON object.
 */
export function parseJsonLines(output: string): RecordView[] {
  return output.split('\n').filter((line) => line !== '').map((line) => {
    const o = JSON.parse(line) as unknown;
    if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new TypeError(`not a JSON object: ${line.slice(0, 80)}`);
    return fromFlatRecord(o as Obj);
  });
}

/** A view of a flat record (JSON line keys: `timestamp`, `level`, `request.id`, ...). */
export function fromFlatRecord(o: Readonly<Record<string, unknown>>): RecordView {
  const attributes: Obj = {};
  for (const key of Object.keys(o)) if (!JSON_FIELDS.has(key)) attributes[key] = o[key];
  const hasException = o['exception.type'] !== undefined || o['exception.message'] !== undefined;
  return {
    time: typeof o.timestamp === 'string' ? timestampMs(o.timestamp) : undefined,
    level: str(o.level),
    severityNumber: typeof o.severity_number === 'number' ? o.severity_number : undefined,
    scope: str(o.scope),
    message: str(o.message),
    eventName: str(o.event_name),
    traceId: str(o.trace_id),
    spanId: str(o.span_id),
    traceFlags: typeof o.trace_flags === 'string' ? parseInt(o.trace_flags, 16) : undefined,
    requestId: str(o['request.id']),
    exception: hasException ? defined({
      type: str(o['exception.type']), message: str(o['exception.message']), stacktrace: str(o['exception.stacktrace']),
    }) : undefined,
    attributes,
  };
}

/**
 * Views of OTLP/JSON `ExportLogsServiceRequest` lines (the `otlp-json`
 * format), one per log record. `request.id` and `exception.*` attributes
 * become their fields. Throws on a line that is not such a request.
 */
export function parseOtlpJsonLines(output: string): RecordView[] {
  return output.split('\n').filter((line) => line !== '').flatMap((line) => fromOtlpJson(JSON.parse(line) as Obj));
}

function fromOtlpJson(request: Obj): RecordView[] {
  if (!Array.isArray(request.resourceLogs)) throw new TypeError('no resourceLogs');
  const out: RecordView[] = [];
  for (const rl of request.resourceLogs as Obj[]) {
    for (const sl of (rl.scopeLogs ?? []) as Obj[]) {
      const scope = str((sl.scope as Obj | undefined)?.name);
      for (const r of (sl.logRecords ?? []) as Obj[]) {
        const attributes: Obj = {};
        for (const kv of (r.attributes ?? []) as Obj[]) attributes[String(kv.key)] = fromAnyValue(kv.value as Obj);
        out.push(fromOtlpRecord({
          timeUnixNano: BigInt(String(r.timeUnixNano ?? 0)), severityNumber: Number(r.severityNumber ?? 0),
          severityText: str(r.severityText) ?? '', scope: scope ?? '', body: fromAnyValue(r.body as Obj | undefined),
          eventName: str(r.eventName) ?? '', traceId: str(r.traceId) ?? '', spanId: str(r.spanId) ?? '',
          flags: Number(r.flags ?? 0), attributes,
        }));
      }
    }
  }
  return out;
}

/** A decoded OTLP log record with plain values, as a receiver or an exporter test has it. */
export interface OtlpRecordLike {
  /** `timeUnixNano`. */
  readonly timeUnixNano: bigint;
  /** `severityNumber` (0 when absent). */
  readonly severityNumber: number;
  /** `severityText` ('' when absent). */
  readonly severityText: string;
  /** The instrumentation scope's name. */
  readonly scope: string;
  /** The body as a plain value. */
  readonly body: unknown;
  /** `eventName` ('' when absent). */
  readonly eventName: string;
  /** Lowercase hex; '' when absent. */
  readonly traceId: string;
  /** Lowercase hex; '' when absent. */
  readonly spanId: string;
  /** W3C trace flags. */
  readonly flags: number;
  /** Attributes as plain values (maps as objects, arrays, bytes as Buffers). */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** A view of a decoded OTLP log record: `request.id` and `exception.*` attributes become their fields. */
export function fromOtlpRecord(r: OtlpRecordLike): RecordView {
  const attributes: Obj = {};
  const exception: { -readonly [K in keyof ExceptionView]: ExceptionView[K] } = {};
  let requestId: string | undefined;
  for (const [key, value] of Object.entries(r.attributes)) {
    if (key === 'request.id' && typeof value === 'string') requestId = value;
    else if (key === 'exception.type' || key === 'exception.message' || key === 'exception.stacktrace') {
      exception[key.slice('exception.'.length) as 'type' | 'message' | 'stacktrace'] = String(value);
    } else attributes[key] = value;
  }
  return {
    time: Number(r.timeUnixNano / 1000n) / 1000,
    level: r.severityText || undefined,
    severityNumber: r.severityNumber || undefined,
    scope: r.scope,
    message: typeof r.body === 'string' ? r.body : r.body === undefined ? undefined : JSON.stringify(r.body),
    eventName: r.eventName || undefined,
    traceId: r.traceId || undefined,
    spanId: r.spanId || undefined,
    traceFlags: r.traceId ? r.flags & 0xff : undefined,
    requestId,
    exception: Object.keys(exception).length > 0 ? exception : undefined,
    attributes,
  };
}

/** A view of a record a {@link MemorySink} captured. */
export function fromCapturedRecord(r: CapturedRecord): RecordView {
  return {
    time: r.time, level: r.severityText, severityNumber: r.severityNumber, scope: r.scope, message: r.body,
    eventName: r.eventName, traceId: r.trace?.traceId, spanId: r.trace?.spanId, traceFlags: r.trace?.traceFlags,
    requestId: r.requestId,
    exception: r.exception === undefined ? undefined : defined({ type: r.exception.type, message: r.exception.message, stacktrace: r.exception.stacktrace }),
    attributes: r.allAttributes,
  };
}

/** An OTLP/JSON AnyValue as a plain value (ints as numbers when safe, bytes as a Buffer). */
function fromAnyValue(v: Obj | undefined): unknown {
  if (v === undefined || v === null) return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) {
    const n = BigInt(String(v.intValue));
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  if ('doubleValue' in v) return typeof v.doubleValue === 'string' ? Number(v.doubleValue) : v.doubleValue;
  if ('bytesValue' in v) return Buffer.from(String(v.bytesValue), 'base64');
  if ('arrayValue' in v) return (((v.arrayValue as Obj).values ?? []) as Obj[]).map(fromAnyValue);
  if ('kvlistValue' in v) {
    const out: Obj = {};
    for (const kv of ((v.kvlistValue as Obj).values ?? []) as Obj[]) out[String(kv.key)] = fromAnyValue(kv.value as Obj);
    return out;
  }
  return undefined;
}

/** RFC 3339 → epoch ms, keeping the microseconds `Date.parse` drops. */
function timestampMs(text: string): number | undefined {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (m === null) return undefined;
  const whole = Date.parse(m[1]! + m[3]!);
  return Number.isNaN(whole) ? undefined : whole + (m[2] === undefined ? 0 : Number(`0.${m[2]}`) * 1000);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function defined<T extends object>(o: T): T {
  for (const key of Object.keys(o) as Array<keyof T>) if (o[key] === undefined) delete o[key];
  return o;
}
