import type { AnyValue } from '../../values/any-value.ts';
import { toBase64 } from '../../values/json.ts';
import { numberKind, unixNanoOf, type MappedRecord } from '../mapping.ts';

/**
 * OTLP/JSON (the protobuf JSON mapping of opentelemetry-proto logs/v1) from
 * mapped records: the one writer behind the `http/json` protocol and the
 * `otlp-json` line format. lowerCamelCase field names, 64-bit integers as
 * decimal strings, `traceId`/`spanId` as lowercase hex, bytes as base64,
 * enums as numbers; numbers follow {@link numberKind}, as in protobuf.
 */

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

/** The OTLP/JSON form of an AnyValue. Never throws. */
export function toOtlpJsonValue(value: AnyValue | undefined, depth = 0): OtlpAnyValue {
  if (value === null || value === undefined) return {};
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'number': {
      const kind = numberKind(value);
      if (kind === 'safe') return { intValue: String(value) };
      return kind === 'big' ? { intValue: BigInt(value).toString() } : { doubleValue: value };
    }
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

/** The OTLP/JSON `LogRecord` of a mapped record, as JSON text. */
export function otlpJsonLogRecord(mapped: MappedRecord): string {
  const time = unixNanoOf(mapped.time);
  const out: OtlpLogRecordJson = {
    timeUnixNano: time,
    observedTimeUnixNano: mapped.observedTime === mapped.time ? time : unixNanoOf(mapped.observedTime),
    severityNumber: mapped.severityNumber,
    severityText: mapped.severityText,
    body: toOtlpJsonValue(mapped.body),
    attributes: toOtlpKeyValues(mapped.attributes),
  };
  if (mapped.eventName !== undefined) out.eventName = mapped.eventName;
  if (mapped.droppedAttributesCount > 0) out.droppedAttributesCount = mapped.droppedAttributesCount;
  const t = mapped.trace;
  if (t !== undefined) {
    out.flags = t.traceFlags;
    out.traceId = t.traceId;
    out.spanId = t.spanId;
  }
  return JSON.stringify(out);
}

/** An OTLP/JSON `Resource` for attributes (already AnyValues), as JSON text. */
export function otlpJsonResource(attributes: Readonly<Record<string, AnyValue | undefined>>): string {
  return JSON.stringify({ attributes: toOtlpKeyValues(attributes) });
}

/**
 * One OTLP/JSON ExportLogsServiceRequest for `records`, grouped by scope
 * (first-seen order), under one resource given as JSON text.
 */
export function otlpJsonRequest(records: readonly MappedRecord[], resourceJson: string): string {
  const byScope = new Map<string, string[]>();
  for (const record of records) {
    const list = byScope.get(record.scope);
    const json = otlpJsonLogRecord(record);
    if (list === undefined) byScope.set(record.scope, [json]);
    else list.push(json);
  }
  const scopes: string[] = [];
  for (const [scope, list] of byScope) scopes.push('{"scope":{"name":' + JSON.stringify(scope) + '},"logRecords":[' + list.join(',') + ']}');
  return '{"resourceLogs":[{"resource":' + resourceJson + ',"scopeLogs":[' + scopes.join(',') + ']}]}';
}
