import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { HrTime } from '@opentelemetry/api';
import type { ExceptionInfo, LogRecord, TraceContext } from '../core/record.ts';
import { DEFAULT_LIMITS } from '../values/limits.ts';
import { jsonValue } from '../values/json.ts';
import type { AnyValue } from '../values/any-value.ts';
import { severityShortName } from '../core/levels.ts';
import type { MappedRecord } from './mapping.ts';
import { otlpJsonLogRecord, otlpJsonResource, keyValuesJson } from './otlp/json-logs.ts';

/**
 * The mapping read backwards, for `logbridge/otel`'s exporter: an
 * OpenTelemetry SDK record → a logbridge record (for the stdout line
 * formats) or → a mapped record (for the `otlp-json` line, through the
 * same OTLP/JSON writer as logbridge's own records). The record-field
 * attributes are the ones the forward mapping writes: `request.id` and
 * `exception.*`.
 */

/** A logbridge record for an SDK record (see docs/otel-mapping.md). Never throws on odd bodies or attributes. */
export function fromReadableLogRecord(log: ReadableLogRecord): LogRecord {
  const { requestId, exception, attributes } = liftRecordFields(log.attributes);
  const severityNumber = log.severityNumber ?? 0;
  return {
    time: msOfHrTime(log.hrTime),
    severityNumber,
    // One stdout format: the level is named after the number (bridges send `info`, `warning`, ...).
    severityText: severityNumber >= 1 && severityNumber <= 24 ? severityShortName(severityNumber) : log.severityText ?? 'UNSPECIFIED',
    scope: log.instrumentationScope.name,
    body: bodyText(log.body as AnyValue | undefined),
    eventName: log.eventName,
    bindings: undefined,
    contextAttributes: undefined,
    attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
    exception: exception === undefined ? undefined : { type: '', message: '', ...exception } as ExceptionInfo,
    requestId,
    trace: traceOf(log),
  };
}

/** The record fields an OTel record carries as attributes, and the attributes left. */
export interface LiftedFields {
  /** `request.id`, when a string. */
  readonly requestId: string | undefined;
  /** The string values of `exception.type`, `.message`, `.stacktrace`, when any is present. */
  readonly exception: { type?: string; message?: string; stacktrace?: string } | undefined;
  /** The other attributes, in order (a record-field key with a non-string value stays here). */
  readonly attributes: Record<string, unknown>;
}

/**
 * Splits the record-field attributes the forward mapping writes (`request.id`,
 * `exception.*`) from the others: for SDK records here, and for OTLP/JSON
 * read back (encoders/otlp-json-reader.ts).
 */
export function liftRecordFields(attributes: Readonly<Record<string, unknown>>): LiftedFields {
  const rest: Record<string, unknown> = {};
  let requestId: string | undefined;
  let exception: { type?: string; message?: string; stacktrace?: string } | undefined;
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'request.id' && typeof value === 'string') requestId = value;
    else if ((key === 'exception.type' || key === 'exception.message' || key === 'exception.stacktrace') && typeof value === 'string') {
      exception ??= {};
      exception[key.slice('exception.'.length) as 'type' | 'message' | 'stacktrace'] = value;
    } else rest[key] = value;
  }
  return { requestId, exception, attributes: rest };
}

/** HrTime → epoch milliseconds; the clock's rounding to whole microseconds then gives stdout's digits. */
function msOfHrTime(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6;
}

function bodyText(body: AnyValue | undefined): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  return jsonValue(body, DEFAULT_LIMITS) ?? '';
}

const INVALID_TRACE = '00000000000000000000000000000000';

function traceOf(log: ReadableLogRecord): TraceContext | undefined {
  const sc = log.spanContext;
  if (sc === undefined || sc.traceId === INVALID_TRACE || sc.traceId === '') return undefined;
  return { traceId: sc.traceId, spanId: sc.spanId, traceFlags: sc.traceFlags & 0xff };
}

/** An SDK record as a mapped record: kept as it is (structured body, observed time, dropped count). */
function mappedOf(log: ReadableLogRecord): MappedRecord {
  return {
    scope: log.instrumentationScope.name,
    time: log.hrTime,
    observedTime: log.hrTimeObserved,
    severityNumber: log.severityNumber ?? 0,
    severityText: log.severityText ?? '',
    body: (log.body ?? null) as AnyValue,
    eventName: log.eventName === '' ? undefined : log.eventName,
    attributes: log.attributes as Record<string, AnyValue>,
    droppedAttributesCount: log.droppedAttributesCount,
    trace: traceOf(log),
  };
}

/** One OTLP/JSON ExportLogsServiceRequest line for an SDK record, keeping everything it carries. */
export function toOtlpJsonLine(log: ReadableLogRecord): string {
  const scope = log.instrumentationScope;
  let scopeJson = '{"name":' + JSON.stringify(scope.name);
  if (scope.version !== undefined) scopeJson += ',"version":' + JSON.stringify(scope.version);
  if (scope.attributes !== undefined) scopeJson += ',"attributes":' + keyValuesJson(scope.attributes as Record<string, AnyValue>);
  scopeJson += '}';
  const schema = (url: string | undefined): string => (url === undefined ? '' : ',"schemaUrl":' + JSON.stringify(url));
  return '{"resourceLogs":[{"resource":' + otlpJsonResource(log.resource.attributes as Record<string, AnyValue>) +
    ',"scopeLogs":[{"scope":' + scopeJson + ',"logRecords":[' + otlpJsonLogRecord(mappedOf(log)) + ']' + schema(scope.schemaUrl) + '}]' +
    schema(log.resource.schemaUrl) + '}]}\n';
}
