import type { AnyValue, HrTime } from '@opentelemetry/api';
import type { LogRecord, TraceContext } from '../../core/record.ts';
import type { Limits } from '../../values/limits.ts';
import { toEpochMicros } from '../../core/clock.ts';
import { mapRecord, visitOtelAttributes, type MappedRecord } from '../mapping.ts';
import { ProtobufWriter } from './protobuf-writer.ts';
import { writeAnyValue, writeKeyValue } from './protobuf-values.ts';

/**
 * OTLP ExportLogsServiceRequest in protobuf, from mapped records in one
 * pass (opentelemetry-proto logs/v1, common/v1 field numbers). The same
 * values as the official serializer fed by the SDK (a property test
 * decodes both and compares); what it saves is the SDK's record objects and
 * the serializer's size-estimating first pass. Values are written by
 * `protobuf-values.ts`. A record not yet mapped is written
 * straight from the LogRecord, its attributes as the mapping hands them
 * out ({@link visitOtelAttributes}): the same bytes as mapping it first,
 * without the MappedRecord, its attribute object and its times (about
 * 400 of the 430 bytes of garbage each record left here).
 */

// Tags: (field number << 3) | wire type.
const T = {
  resourceLogs: 0x0a, resource: 0x0a, scopeLogs: 0x12, scope: 0x0a, logRecord: 0x12, keyValue: 0x0a, scopeName: 0x0a,
  time: 0x09, severityNumber: 0x10, severityText: 0x1a, body: 0x2a, attribute: 0x32, dropped: 0x38, flags: 0x45,
  traceId: 0x4a, spanId: 0x52, observedTime: 0x59, eventName: 0x62,
} as const;

/** Encodes the resource's attributes once (a `Resource` message body), to reuse in every request. */
export function encodeResource(attributes: Readonly<Record<string, AnyValue>>): Uint8Array {
  const w = new ProtobufWriter(1024);
  for (const key of Object.keys(attributes)) writeKeyValue(w, 0x0a, key, attributes[key]!);
  return w.finish();
}

/**
 * One request for `records` (mapped, or not yet: then mapped with
 * `limits` as they are written), grouped by scope (first-seen order),
 * under the pre-encoded `resource`. Never throws for any record content.
 */
export function encodeLogsRequest(records: readonly (LogRecord | MappedRecord)[], resource: Uint8Array, w: ProtobufWriter, limits?: Limits): Uint8Array {
  const byScope = new Map<string, (LogRecord | MappedRecord)[]>();
  for (const record of records) {
    const list = byScope.get(record.scope);
    if (list === undefined) byScope.set(record.scope, [record]);
    else list.push(record);
  }
  const live: LiveState = { w, dropped: 0, ordered: true };
  w.reset();
  w.byte(T.resourceLogs);
  const rl = w.begin();
  w.byte(T.resource);
  w.bytes(resource);
  for (const [scope, list] of byScope) {
    w.byte(T.scopeLogs);
    const sl = w.begin();
    w.byte(T.scope);
    const sc = w.begin();
    w.byte(T.scopeName);
    w.string(scope);
    w.end(sc);
    for (const record of list) {
      if ('observedTime' in record) writeLogRecord(w, record);
      else writeLiveRecord(live, record, limits!);
    }
    w.end(sl);
  }
  w.end(rl);
  return w.finish();
}

/** The writer, and what the mapping reports while a record's attributes are written. */
interface LiveState {
  readonly w: ProtobufWriter;
  /** The dropped count of the record (the mapping's `counts`). */
  dropped: number;
  /** No attribute name is integer-like (an object would have listed those first). */
  ordered: boolean;
}

function writeLiveAttribute(state: LiveState, name: string, value: AnyValue): void {
  const c = name.charCodeAt(0);
  if (c >= 48 && c <= 57) state.ordered = false;
  writeKeyValue(state.w, T.attribute, name, value);
}

/** `writeLogRecord(w, mapRecord(record, limits))`, without the MappedRecord. */
function writeLiveRecord(state: LiveState, record: LogRecord, limits: Limits): void {
  const w = state.w;
  const start = w.pos;
  w.byte(T.logRecord);
  const mark = w.begin();
  // hrTimeOf's rule: a time out of range is [0, 0]
  const micros = toEpochMicros(record.time);
  const valid = micros >= 0 && micros <= Number.MAX_SAFE_INTEGER;
  w.byte(T.time);
  writeMicros(w, valid ? micros : 0);
  w.byte(T.observedTime);
  writeMicros(w, valid ? micros : 0);
  writeSeverityAndBody(w, record.severityNumber, record.severityText, record.body);
  state.ordered = true;
  visitOtelAttributes(record, limits, state, writeLiveAttribute, state);
  if (!state.ordered) {
    // an integer-like name: the mapped record's object order (getters run again; rare)
    w.pos = start;
    return writeLogRecord(w, mapRecord(record, limits));
  }
  writeTail(w, state.dropped, record.trace, record.eventName);
  w.end(mark);
}

function writeLogRecord(w: ProtobufWriter, record: MappedRecord): void {
  w.byte(T.logRecord);
  const mark = w.begin();
  w.byte(T.time);
  writeTime(w, record.time);
  w.byte(T.observedTime);
  writeTime(w, record.observedTime);
  writeSeverityAndBody(w, record.severityNumber, record.severityText, record.body);
  const attributes = record.attributes;
  for (const key in attributes) writeKeyValue(w, T.attribute, key, attributes[key]!);
  writeTail(w, record.droppedAttributesCount, record.trace, record.eventName);
  w.end(mark);
}

/** The fields of a log record between its time and its attributes. */
function writeSeverityAndBody(w: ProtobufWriter, severityNumber: number, severityText: string, body: AnyValue): void {
  if (severityNumber !== 0) {
    w.byte(T.severityNumber);
    w.varint(severityNumber);
  }
  if (severityText !== '') {
    w.byte(T.severityText);
    w.string(severityText);
  }
  w.byte(T.body);
  const mark = w.begin();
  writeAnyValue(w, body);
  w.end(mark);
}

/** The fields after the attributes: the dropped count, the trace (flags masked to 8 bits, as OTLP has them) and the event name. */
function writeTail(w: ProtobufWriter, dropped: number, trace: TraceContext | undefined, eventName: string | undefined): void {
  if (dropped > 0) {
    w.byte(T.dropped);
    w.varint(dropped);
  }
  if (trace !== undefined) {
    const flags = trace.traceFlags & 0xff;
    if (flags !== 0) {
      w.byte(T.flags);
      w.fixed32(flags);
    }
    w.byte(T.traceId);
    w.hexBytes(trace.traceId);
    w.byte(T.spanId);
    w.hexBytes(trace.spanId);
  }
  if (eventName !== undefined && eventName !== '') {
    w.byte(T.eventName);
    w.string(eventName);
  }
}

/**
 * `[seconds, nanoseconds]` as fixed64 nanoseconds, exact: the product
 * passes 2^53, so it is built from 16-bit halves of the seconds.
 */
function writeTime(w: ProtobufWriter, time: HrTime): void {
  const seconds = time[0];
  const nanos = time[1];
  // whole microseconds (every logbridge record): below 2^53
  if (nanos % 1000 === 0) return writeMicros(w, seconds * 1_000_000 + nanos / 1000);
  const sLo = seconds % 65536;
  const p = (seconds - sLo) / 65536 * 1e9; // < 2^16 · 1e9: exact
  const pLo = p % 65536;
  const mid = pLo * 65536 + sLo * 1e9 + nanos; // < 2^47: exact
  const lo = mid % 4294967296;
  w.fixed64(lo, (p - pLo) / 65536 + (mid - lo) / 4294967296);
}

/**
 * Whole microseconds (below 2^53) as fixed64 nanoseconds, from the words of
 * the microseconds (floor and multiply, exact below 2^53: no float `%`,
 * which is a call to fmod).
 */
function writeMicros(w: ProtobufWriter, micros: number): void {
  const mHi = Math.floor(micros / 4294967296);
  const nsLo = (micros - mHi * 4294967296) * 1000; // < 2^42
  const carry = Math.floor(nsLo / 4294967296);
  w.fixed64(nsLo - carry * 4294967296, mHi * 1000 + carry);
}
