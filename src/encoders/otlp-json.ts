import type { Encoder } from '../core/sink.ts';
import { limitRecordSize } from './size-limit.ts';
import type { Attributes, LogRecord } from '../core/record.ts';
import { ENV, readEnv, type Env } from '../config/env.ts';
import { DEFAULT_LIMITS, type Limits } from '../values/limits.ts';
import { toAnyValue, type AnyValue } from '../values/any-value.ts';
import { toBase64 } from '../values/json.ts';
import { toHrTime, toOtelAttributes } from '../otel/mapping.ts';

/**
 * The `otlp-json` line format: every line is one complete OTLP/JSON
 * `ExportLogsServiceRequest` holding one record — the OpenTelemetry "OTLP
 * file" format, which the Collector's `otlpjsonfile` receiver (and the
 * `filelog` receiver with an OTLP/JSON parser) ingests without loss:
 *
 * ```json
 * {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
 *  "scopeLogs":[{"scope":{"name":"orders"},"logRecords":[{"timeUnixNano":"1795857243123456000", ...}]}]}]}
 * ```
 *
 * (shown on two lines here; always one line in the output). Encoding rules
 * of OTLP/JSON: lowerCamelCase field names, 64-bit integers as decimal
 * strings, `traceId`/`spanId` as lowercase hex, bytes as base64, enums as
 * numbers. Attribute values go through the same conversion as the OTLP sink
 * (`toAnyValue`), so the three outputs agree value for value.
 */

/** Options for {@link createOtlpJsonEncoder}. */
export interface OtlpJsonEncoderOptions {
  /** Value limits: string length, attribute count, depth, record size (default {@link DEFAULT_LIMITS}). */
  readonly limits?: Limits;
  /**
   * Resource attributes written on every line (default: `service.name` from
   * `OTEL_SERVICE_NAME`, else `unknown_service:node`, plus
   * `OTEL_RESOURCE_ATTRIBUTES`).
   */
  readonly resource?: Attributes;
  /** Environment for the default resource (default `process.env`). */
  readonly env?: Env;
}

/** Creates the OTLP/JSON encoder. The returned function never throws on any record content. */
export function createOtlpJsonEncoder(options: OtlpJsonEncoderOptions = {}): Encoder {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const resource = otlpResourceJson(options.resource ?? defaultResourceAttributes(options.env ?? process.env), limits);
  const prefix = '{"resourceLogs":[{"resource":' + resource + ',"scopeLogs":[{"scope":{"name":';
  return limitRecordSize(function encodeOtlpJson(record: LogRecord): string {
    return prefix + JSON.stringify(record.scope) + '},"logRecords":[' +
      JSON.stringify(toOtlpLogRecord(record, limits)) + ']}]}]}\n';
  }, limits);
}

/** OTLP/JSON `KeyValue`. */
export interface OtlpKeyValue {
  readonly key: string;
  readonly value: OtlpAnyValue;
}

/** OTLP/JSON `AnyValue`: exactly one member, or none for an empty value (`null`). */
export type OtlpAnyValue =
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly intValue: string }
  | { readonly doubleValue: number }
  | { readonly bytesValue: string }
  | { readonly arrayValue: { readonly values: OtlpAnyValue[] } }
  | { readonly kvlistValue: { readonly values: OtlpKeyValue[] } }
  | Record<string, never>;

/**
 * The OTLP/JSON form of an AnyValue. Whole numbers within ±2^53 are
 * `intValue` (a decimal string, as int64 is in proto3 JSON), other numbers
 * `doubleValue`; bytes are base64. Never throws.
 */
export function toOtlpJsonValue(value: AnyValue | undefined, depth = 0): OtlpAnyValue {
  if (value === null || value === undefined) return {};
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'number':
      return Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value };
    default:
  }
  if (value instanceof Uint8Array) return { bytesValue: toBase64(value) };
  if (depth > 64) return { stringValue: '[Object]' };
  if (Array.isArray(value)) return { arrayValue: { values: value.map((item) => toOtlpJsonValue(item, depth + 1)) } };
  return { kvlistValue: { values: toOtlpKeyValues(value as Record<string, AnyValue>, depth + 1) } };
}

/** OTLP/JSON `KeyValue` list of an AnyValue map. */
export function toOtlpKeyValues(map: Readonly<Record<string, AnyValue | undefined>>, depth = 0): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value !== undefined) out.push({ key, value: toOtlpJsonValue(value, depth) });
  }
  return out;
}

interface OtlpLogRecordJson {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: OtlpAnyValue;
  eventName?: string;
  attributes: OtlpKeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
  traceId?: string;
  spanId?: string;
}

/** The OTLP/JSON `LogRecord` of one record: the OTLP sink's attribute mapping, in OTLP/JSON form. */
function toOtlpLogRecord(record: LogRecord, limits: Limits): OtlpLogRecordJson {
  const time = toUnixNano(record.time);
  const counts = { dropped: 0 };
  const out: OtlpLogRecordJson = {
    timeUnixNano: time,
    observedTimeUnixNano: time,
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    body: { stringValue: record.body },
    // Same function as the OTLP sink (bridge/to-otel.ts): same keys, `attr.` renaming, count limit.
    attributes: toOtlpKeyValues(toOtelAttributes(record, limits, counts)),
  };
  if (record.eventName !== undefined) out.eventName = record.eventName;
  if (counts.dropped > 0) out.droppedAttributesCount = counts.dropped;
  if (record.trace !== undefined) {
    out.flags = record.trace.traceFlags & 0xff;
    out.traceId = record.trace.traceId;
    out.spanId = record.trace.spanId;
  }
  return out;
}

/** Epoch milliseconds (µs precision) as OTLP `fixed64` nanoseconds in a decimal string. */
export function toUnixNano(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0';
  // The OTLP sink's conversion (whole microseconds), so otlp-json and OTLP carry the same time.
  const [seconds, nanos] = toHrTime(ms);
  return seconds === 0 ? String(nanos) : String(seconds) + String(nanos).padStart(9, '0');
}

/** The OTLP/JSON `Resource` object for resource attributes, as JSON text. */
export function otlpResourceJson(attributes: Attributes, limits: Limits = DEFAULT_LIMITS): string {
  const values: Record<string, AnyValue | undefined> = Object.create(null);
  for (const key of Object.keys(attributes)) values[key] = toAnyValue(attributes[key], limits);
  return JSON.stringify({ attributes: toOtlpKeyValues(values) });
}

/**
 * The resource the environment describes, with the OTLP sink's precedence
 * (see `resource.ts`) minus its host/OS/process detectors, which would load
 * `@opentelemetry/resources` into every process: `service.name` from
 * `OTEL_SERVICE_NAME`, else `OTEL_RESOURCE_ATTRIBUTES`, else the npm package
 * name (`npm_package_name`, with `npm_package_version` as
 * `service.version`), else `unknown_service:node`; plus the other
 * `OTEL_RESOURCE_ATTRIBUTES`.
 */
export function defaultResourceAttributes(env: Env): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const app = env.npm_package_name;
  if (app !== undefined && app !== '') {
    out['service.name'] = app;
    if (env.npm_package_version) out['service.version'] = env.npm_package_version;
  }
  Object.assign(out, readEnv(ENV.resourceAttributes, env));
  const service = readEnv(ENV.serviceName, env);
  if (service !== '') out['service.name'] = service;
  out['service.name'] ??= 'unknown_service:node';
  return out;
}
