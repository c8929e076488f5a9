import type { AnyValue } from '../../values/any-value.ts';
import { jsonString, toBase64 } from '../../values/json.ts';
import { numberKind, type MappedRecord } from '../mapping.ts';
import { keyPrefix, nanosJson, severityJson } from './json-logs.ts';

/**
 * The http/json request body written straight into one reusable buffer:
 * the same bytes as `Buffer.from(otlpJsonRequest(...))` (json-logs.ts;
 * tests compare the two), without the text in between. Building the
 * request as a string made about 2.1 KB of garbage per record (the
 * concatenations, the short strings each fragment copied, the flattened
 * request), six times what the protobuf writer leaves, and its collection
 * was most of the CPU time http/json spent beyond protobuf. Fragments that
 * the string writer caches (keys, severities, the resource) are reused.
 */
export class JsonWriter {
  #buf: Buffer;
  #pos = 0;

  constructor(capacity = 256 * 1024) {
    this.#buf = Buffer.allocUnsafe(capacity);
  }

  /** The bytes written since the last reset (a copy: the writer is reused while a request may still read its body). */
  finish(): Uint8Array {
    return new Uint8Array(this.#buf.subarray(0, this.#pos));
  }

  reset(): void {
    this.#pos = 0;
  }

  #ensure(extra: number): void {
    if (this.#pos + extra <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + extra));
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }

  /** Text already in JSON form (a literal, a cached fragment, a number): UTF-8, a loop for the short ASCII ones. */
  text(s: string): void {
    const n = s.length;
    this.#ensure(n * 3);
    if (n < 64) {
      const buf = this.#buf;
      const start = this.#pos;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === n) {
        this.#pos = start + n;
        return;
      }
    }
    this.#pos += this.#buf.write(s, this.#pos, 'utf8');
  }

  /** A value as a JSON string: printable ASCII copied between quotes, anything else through `jsonString`. */
  string(s: string): void {
    const n = s.length;
    if (n < 256) {
      this.#ensure(n + 2);
      const buf = this.#buf;
      const start = this.#pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c === 34 || c === 92 || c >= 0x7f) break;
        buf[start + i] = c;
      }
      if (i === n) {
        buf[start - 1] = 34;
        buf[start + n] = 34;
        this.#pos = start + n + 1;
        return;
      }
    }
    this.text(jsonString(s));
  }
}

/**
 * One OTLP/JSON ExportLogsServiceRequest for `records` (grouped by scope,
 * first-seen order, under `resourceJson`), as UTF-8 bytes. Never throws.
 */
export function encodeJsonRequest(records: readonly MappedRecord[], resourceJson: string, w: JsonWriter): Uint8Array {
  const byScope = new Map<string, MappedRecord[]>();
  for (const record of records) {
    const list = byScope.get(record.scope);
    if (list === undefined) byScope.set(record.scope, [record]);
    else list.push(record);
  }
  w.reset();
  w.text('{"resourceLogs":[{"resource":');
  w.text(resourceJson);
  w.text(',"scopeLogs":[');
  let firstScope = true;
  for (const [scope, list] of byScope) {
    w.text(firstScope ? '{"scope":{"name":' : ',{"scope":{"name":');
    w.text(JSON.stringify(scope));
    w.text('},"logRecords":[');
    firstScope = false;
    for (let i = 0; i < list.length; i++) {
      if (i > 0) w.text(',');
      writeLogRecord(w, list[i]!);
    }
    w.text(']}');
  }
  w.text(']}]}');
  return w.finish();
}

function writeLogRecord(w: JsonWriter, mapped: MappedRecord): void {
  const time = nanosJson(mapped.time);
  w.text('{"timeUnixNano":"');
  w.text(time);
  w.text('","observedTimeUnixNano":"');
  w.text(mapped.observedTime === mapped.time ? time : nanosJson(mapped.observedTime));
  w.text('"');
  w.text(severityJson(mapped.severityNumber, mapped.severityText));
  w.text(',"body":');
  writeAnyValue(w, mapped.body, 0);
  if (mapped.eventName !== undefined) {
    w.text(',"eventName":');
    w.string(mapped.eventName);
  }
  w.text(',"attributes":');
  writeKeyValues(w, mapped.attributes, 0);
  if (mapped.droppedAttributesCount > 0) {
    w.text(',"droppedAttributesCount":');
    w.text(String(mapped.droppedAttributesCount));
  }
  const t = mapped.trace;
  if (t !== undefined) {
    w.text(',"flags":');
    w.text(String(t.traceFlags));
    w.text(',"traceId":');
    w.string(t.traceId);
    w.text(',"spanId":');
    w.string(t.spanId);
  }
  w.text('}');
}

/** `anyValueJson` (json-logs.ts), written. */
function writeAnyValue(w: JsonWriter, value: AnyValue | undefined, depth: number): void {
  if (value === null || value === undefined) return w.text('{}');
  switch (typeof value) {
    case 'string':
      w.text('{"stringValue":');
      w.string(value);
      return w.text('}');
    case 'boolean':
      return w.text(value ? '{"boolValue":true}' : '{"boolValue":false}');
    case 'number': {
      const kind = numberKind(value);
      if (kind === 'double' && Number.isFinite(value)) {
        w.text('{"doubleValue":');
        w.text(String(value));
        return w.text('}');
      }
      w.text(kind === 'double' ? '{"doubleValue":"' : '{"intValue":"');
      w.text(kind === 'big' ? BigInt(value).toString() : String(value));
      return w.text('"}');
    }
    default:
  }
  if (value instanceof Uint8Array) {
    w.text('{"bytesValue":"');
    w.text(toBase64(value));
    return w.text('"}');
  }
  if (depth > 64) return w.text('{"stringValue":"[Object]"}');
  if (Array.isArray(value)) {
    w.text('{"arrayValue":{"values":[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) w.text(',');
      writeAnyValue(w, value[i], depth + 1);
    }
    return w.text(']}}');
  }
  w.text('{"kvlistValue":{"values":');
  writeKeyValues(w, value as Record<string, AnyValue>, depth + 1);
  w.text('}}');
}

/** `keyValuesJson` (json-logs.ts), written. */
function writeKeyValues(w: JsonWriter, map: Readonly<Record<string, AnyValue | undefined>>, depth: number): void {
  w.text('[');
  let first = true;
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value === undefined) continue;
    if (!first) w.text(',');
    w.text(keyPrefix(key));
    writeAnyValue(w, value, depth);
    w.text('}');
    first = false;
  }
  w.text(']');
}
