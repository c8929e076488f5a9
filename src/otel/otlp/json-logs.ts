import type { HrTime } from '@opentelemetry/api';
import type { LogRecord } from '../../core/record.ts';
import type { Limits } from '../../values/limits.ts';
import type { AnyValue } from '../../values/any-value.ts';
import { jsonString, toBase64 } from '../../values/json.ts';
import { toEpochMicros } from '../../core/clock.ts';
import { hrTimeOf, mapRecord, numberKind, unixNanoOf, visitOtelAttributes, type MappedRecord } from '../mapping.ts';

/**
 * OTLP/JSON (the protobuf JSON mapping of opentelemetry-proto logs/v1) from
 * mapped records: the one writer behind the `http/json` protocol and the
 * `otlp-json` line format. lowerCamelCase field names, 64-bit integers as
 * decimal strings, `traceId`/`spanId` as lowercase hex, bytes as base64,
 * enums as numbers; numbers follow {@link numberKind}, as in protobuf.
 */

/**
 * The OTLP/JSON `AnyValue` of a value, as JSON text (written directly:
 * building the objects for `JSON.stringify` cost twice as much). An empty
 * AnyValue (`null`) is `{}`. Never throws.
 */
export function anyValueJson(value: AnyValue | undefined, depth = 0): string {
  if (value === null || value === undefined) return '{}';
  switch (typeof value) {
    case 'string':
      return '{"stringValue":' + jsonString(value) + '}';
    case 'boolean':
      return value ? '{"boolValue":true}' : '{"boolValue":false}';
    case 'number': {
      const kind = numberKind(value);
      if (kind === 'safe') return '{"intValue":"' + value + '"}';
      if (kind === 'big') return '{"intValue":"' + BigInt(value).toString() + '"}';
      // JSON has no NaN or Infinity; the mapping turns them into strings before they get here
      return Number.isFinite(value) ? '{"doubleValue":' + value + '}' : '{"doubleValue":"' + value + '"}';
    }
    default:
  }
  if (value instanceof Uint8Array) return '{"bytesValue":"' + toBase64(value) + '"}';
  if (depth > 64) return '{"stringValue":"[Object]"}';
  if (Array.isArray(value)) {
    let out = '{"arrayValue":{"values":[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + anyValueJson(value[i], depth + 1);
    return out + ']}}';
  }
  return '{"kvlistValue":{"values":' + keyValuesJson(value as Record<string, AnyValue>, depth + 1) + '}}';
}

/** An OTLP/JSON `KeyValue` list of an AnyValue map, as JSON text; `undefined` values are left out. */
export function keyValuesJson(map: Readonly<Record<string, AnyValue | undefined>>, depth = 0): string {
  let out = '[';
  let first = true;
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value === undefined) continue;
    out += (first ? '' : ',') + keyPrefix(key) + anyValueJson(value, depth) + '}';
    first = false;
  }
  return out + ']';
}

const KEY_PREFIXES = new Map<string, string>();

/** `{"key":"<key>","value":`, cached: attribute keys repeat from record to record. */
function keyPrefix(key: string): string {
  let prefix = KEY_PREFIXES.get(key);
  if (prefix === undefined) {
    prefix = '{"key":' + jsonString(key) + ',"value":';
    if (KEY_PREFIXES.size < 4096 && key.length < 200) KEY_PREFIXES.set(key, prefix);
  }
  return prefix;
}

// per severity number: its JSON fragment, and the text it was made with (a custom text is written, not cached)
const SEVERITIES: string[] = [];
const SEVERITY_TEXTS: string[] = [];

/** `,"severityNumber":N,"severityText":"TEXT"`, cached per number for the standard texts. */
function severityJson(severityNumber: number, severityText: string): string {
  const cached = SEVERITIES[severityNumber];
  if (cached !== undefined && SEVERITY_TEXTS[severityNumber] === severityText) return cached;
  const text = ',"severityNumber":' + severityNumber + ',"severityText":' + jsonString(severityText);
  if (Number.isInteger(severityNumber) && severityNumber >= 0 && severityNumber < 32 && SEVERITIES[severityNumber] === undefined) {
    SEVERITIES[severityNumber] = text;
    SEVERITY_TEXTS[severityNumber] = severityText;
  }
  return text;
}

/** {@link unixNanoOf}, without the two-part join for the usual whole-microsecond time. */
function nanosJson(time: HrTime): string {
  const seconds = time[0];
  const nanos = time[1];
  // whole microseconds (every logbridge time): one number → string, exact below 2^53 µs
  if (seconds > 0 && seconds < 9e9 && Number.isInteger(seconds) && nanos >= 0 && nanos < 1e9 && nanos % 1000 === 0) {
    return String(seconds * 1e6 + nanos / 1000) + '000';
  }
  return unixNanoOf(time);
}

/** The OTLP/JSON `LogRecord` of a mapped record, as JSON text. */
export function otlpJsonLogRecord(mapped: MappedRecord): string {
  const time = nanosJson(mapped.time);
  const observed = mapped.observedTime === mapped.time ? time : nanosJson(mapped.observedTime);
  let out = '{"timeUnixNano":"' + time + '","observedTimeUnixNano":"' + observed + '"' +
    severityJson(mapped.severityNumber, mapped.severityText) + ',"body":' + anyValueJson(mapped.body);
  if (mapped.eventName !== undefined) out += ',"eventName":' + jsonString(mapped.eventName);
  out += ',"attributes":' + keyValuesJson(mapped.attributes);
  if (mapped.droppedAttributesCount > 0) out += ',"droppedAttributesCount":' + mapped.droppedAttributesCount;
  const t = mapped.trace;
  if (t !== undefined) out += ',"flags":' + t.traceFlags + ',"traceId":' + jsonString(t.traceId) + ',"spanId":' + jsonString(t.spanId);
  return out + '}';
}

/** What the mapping reports while a record's attributes are written. */
interface LiveJson {
  /** The attributes so far, `[`-opened. */
  out: string;
  first: boolean;
  /** The dropped count of the record (the mapping's `counts`). */
  dropped: number;
  /** No attribute name is integer-like (an object would have listed those first). */
  ordered: boolean;
}

function addLiveAttribute(state: LiveJson, name: string, value: AnyValue): void {
  const c = name.charCodeAt(0);
  if (c >= 48 && c <= 57) state.ordered = false;
  if (value === undefined) return; // left out, as keyValuesJson leaves out the mapped record's
  const openings = keyOpenings(name);
  const next = state.first ? 0 : 1;
  // keyValuesJson's text, with the usual values' openings made once per key
  if (typeof value === 'string') state.out += openings[2 + next] + jsonString(value) + '}}';
  else if (typeof value === 'number' && Number.isSafeInteger(value)) state.out += openings[4 + next] + value + '"}}';
  else state.out += openings[next] + anyValueJson(value) + '}';
  state.first = false;
}

const KEY_OPENINGS = new Map<string, readonly string[]>();

/**
 * A key's KeyValue openings, cached: `{"key":"<key>","value":` alone, then
 * with a string value's and an integer value's opening, each without and
 * with the comma before it.
 */
function keyOpenings(key: string): readonly string[] {
  let openings = KEY_OPENINGS.get(key);
  if (openings === undefined) {
    const p = keyPrefix(key);
    openings = [p, ',' + p, p + '{"stringValue":', ',' + p + '{"stringValue":', p + '{"intValue":"', ',' + p + '{"intValue":"'];
    if (KEY_OPENINGS.size < 4096 && key.length < 200) KEY_OPENINGS.set(key, openings);
  }
  return openings;
}

/** `otlpJsonLogRecord(mapRecord(record, limits))`, without the MappedRecord. Never throws. */
export function otlpJsonLiveRecord(record: LogRecord, limits: Limits): string {
  const micros = toEpochMicros(record.time);
  // nanosJson(hrTimeOf(time)) for whole seconds above zero, the usual case; the rest through them
  const time = micros >= 1e6 && micros < 9e15 ? String(micros) + '000' : nanosJson(hrTimeOf(record.time));
  const state: LiveJson = { out: '[', first: true, dropped: 0, ordered: true };
  visitOtelAttributes(record, limits, state, addLiveAttribute, state);
  if (!state.ordered) return otlpJsonLogRecord(mapRecord(record, limits)); // an integer-like name: the object's order (rare)
  const body = record.body;
  let out = '{"timeUnixNano":"' + time + '","observedTimeUnixNano":"' + time + '"' +
    severityJson(record.severityNumber, record.severityText) +
    (typeof body === 'string' ? ',"body":{"stringValue":' + jsonString(body) + '}' : ',"body":' + anyValueJson(body));
  const eventName = record.eventName;
  if (eventName !== undefined && eventName !== '') out += ',"eventName":' + jsonString(eventName);
  out += ',"attributes":' + state.out + ']';
  if (state.dropped > 0) out += ',"droppedAttributesCount":' + state.dropped;
  const t = record.trace;
  if (t !== undefined) out += ',"flags":' + (t.traceFlags & 0xff) + ',"traceId":' + jsonString(t.traceId) + ',"spanId":' + jsonString(t.spanId);
  return out + '}';
}

/** An OTLP/JSON `Resource` for attributes (already AnyValues), as JSON text. */
export function otlpJsonResource(attributes: Readonly<Record<string, AnyValue | undefined>>): string {
  return '{"attributes":' + keyValuesJson(attributes) + '}';
}

/**
 * One OTLP/JSON ExportLogsServiceRequest for `records` (mapped, or not
 * yet: then mapped with `limits` as they are written), grouped by scope
 * (first-seen order), under one resource given as JSON text.
 */
export function otlpJsonRequest(records: readonly (LogRecord | MappedRecord)[], resourceJson: string, limits?: Limits): string {
  const byScope = new Map<string, (LogRecord | MappedRecord)[]>();
  for (const record of records) {
    const list = byScope.get(record.scope);
    if (list === undefined) byScope.set(record.scope, [record]);
    else list.push(record);
  }
  // one rope, flattened once by whoever encodes it (join() flattened every record's text first)
  let out = '{"resourceLogs":[{"resource":' + resourceJson + ',"scopeLogs":[';
  let firstScope = true;
  for (const [scope, list] of byScope) {
    out += (firstScope ? '{"scope":{"name":' : ',{"scope":{"name":') + JSON.stringify(scope) + '},"logRecords":[';
    firstScope = false;
    for (let i = 0; i < list.length; i++) {
      const record = list[i]!;
      out += (i === 0 ? '' : ',') + ('observedTime' in record ? otlpJsonLogRecord(record) : otlpJsonLiveRecord(record, limits!));
    }
    out += ']}';
  }
  return out + ']}]}';
}
