/**
 * Record views: what the conformance suite (conformance.ts) reads back from
 * a sink or an encoder, whatever the output's shape, and readers for the
 * shapes logbridge writes (JSON lines, OTLP/JSON, captured records).
 */

import type { CapturedRecord } from '../sinks/memory.ts';
import { liftRecordFields, readOtlpJsonLogs, type OtlpRecordLike } from '../encoders/otlp-json-reader.ts';

export type { OtlpRecordLike };

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
  return output.split('\n').filter((line) => line !== '').flatMap((line) => readOtlpJsonLogs(JSON.parse(line) as Obj).map(fromOtlpRecord));
}

/** A view of a decoded OTLP log record: `request.id` and `exception.*` attributes become their fields. */
export function fromOtlpRecord(r: OtlpRecordLike): RecordView {
  const { requestId, exception, attributes } = liftRecordFields(r.attributes);
  return {
    time: r.timeUnixNano === undefined ? undefined : Number(r.timeUnixNano / 1000n) / 1000,
    level: r.severityText || undefined,
    severityNumber: r.severityNumber || undefined,
    scope: r.scope,
    message: typeof r.body === 'string' ? r.body : r.body === undefined ? undefined : JSON.stringify(r.body, jsonSafe),
    eventName: r.eventName || undefined,
    traceId: r.traceId || undefined,
    spanId: r.spanId || undefined,
    traceFlags: r.traceId ? r.flags & 0xff : undefined,
    requestId,
    exception,
    attributes,
  };
}

function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? String(value) : value;
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
