import { decodeProtobufRequest } from './otlp-schema.ts';

/**
 * Turns a decoded OTLP ExportLogsServiceRequest (protobuf or JSON) into one
 * flat, encoding-independent list of records, so tests assert the same shape
 * whatever travelled on the wire.
 */

/** One log record as received, with its resource and scope folded in. */
export interface ReceivedLogRecord {
  /** How it travelled: `protobuf` or `json`. */
  readonly encoding: 'protobuf' | 'json';
  /** Resource attributes as plain values (`{'service.name': 'shop'}`). */
  readonly resource: Record<string, unknown>;
  /** Instrumentation scope (empty strings when absent). */
  readonly scope: { readonly name: string; readonly version: string; readonly attributes: Record<string, unknown> };
  /** Nanoseconds since the epoch (0n when absent). */
  readonly timeUnixNano: bigint;
  readonly observedTimeUnixNano: bigint;
  /** 0 when absent. */
  readonly severityNumber: number;
  /** '' when absent. */
  readonly severityText: string;
  /** The body as a plain value (see {@link fromAnyValue}); `undefined` when absent. */
  readonly body: unknown;
  /** Attributes as plain values: nested maps → objects, arrays → arrays, bytes → Buffer. */
  readonly attributes: Record<string, unknown>;
  readonly droppedAttributesCount: number;
  /** '' when absent. */
  readonly eventName: string;
  /** Lowercase hex; '' when absent. */
  readonly traceId: string;
  /** Lowercase hex; '' when absent. */
  readonly spanId: string;
  /** Trace flags (W3C; bit 0 = sampled); 0 when absent. */
  readonly flags: number;
}

type Obj = Record<string, unknown>;

/** Decodes protobuf bytes of an ExportLogsServiceRequest into records. Throws on malformed input. */
export function decodeProtobufLogs(bytes: Uint8Array): ReceivedLogRecord[] {
  return normalizeRequest(decodeProtobufRequest(bytes) as Obj, 'protobuf');
}

/**
 * Decodes an OTLP/JSON ExportLogsServiceRequest (text or parsed) into
 * records. Accepts lowerCamelCase and the original snake_case field names,
 * int64 as string or number, hex trace/span IDs, base64 bytes. Throws on
 * malformed input.
 */
export function decodeJsonLogs(json: string | object): ReceivedLogRecord[] {
  const parsed: unknown = typeof json === 'string' ? JSON.parse(json) : json;
  if (parsed === null || typeof parsed !== 'object') throw new Error('OTLP/JSON request is not an object');
  return normalizeRequest(camelize(parsed) as Obj, 'json');
}

function normalizeRequest(request: Obj, encoding: 'protobuf' | 'json'): ReceivedLogRecord[] {
  const out: ReceivedLogRecord[] = [];
  for (const rl of list(request.resourceLogs)) {
    const resource = toAttributes((rl.resource as Obj | undefined)?.attributes, encoding);
    for (const sl of list(rl.scopeLogs)) {
      const s = (sl.scope ?? {}) as Obj;
      const scope = {
        name: String(s.name ?? ''),
        version: String(s.version ?? ''),
        attributes: toAttributes(s.attributes, encoding),
      };
      for (const lr of list(sl.logRecords)) out.push(normalizeRecord(lr, resource, scope, encoding));
    }
  }
  return out;
}

function normalizeRecord(
  lr: Obj,
  resource: Record<string, unknown>,
  scope: ReceivedLogRecord['scope'],
  encoding: 'protobuf' | 'json',
): ReceivedLogRecord {
  return {
    encoding,
    resource,
    scope,
    timeUnixNano: BigInt(String(lr.timeUnixNano ?? 0)),
    observedTimeUnixNano: BigInt(String(lr.observedTimeUnixNano ?? 0)),
    severityNumber: severity(lr.severityNumber),
    severityText: String(lr.severityText ?? ''),
    body: lr.body === undefined || lr.body === null ? undefined : fromAnyValue(lr.body, encoding),
    attributes: toAttributes(lr.attributes, encoding),
    droppedAttributesCount: Number(lr.droppedAttributesCount ?? 0),
    eventName: String(lr.eventName ?? ''),
    traceId: toHex(lr.traceId, encoding),
    spanId: toHex(lr.spanId, encoding),
    flags: Number(lr.flags ?? 0),
  };
}

const SEVERITY_NAMES = ['UNSPECIFIED', 'TRACE', 'TRACE2', 'TRACE3', 'TRACE4', 'DEBUG', 'DEBUG2', 'DEBUG3', 'DEBUG4',
  'INFO', 'INFO2', 'INFO3', 'INFO4', 'WARN', 'WARN2', 'WARN3', 'WARN4', 'ERROR', 'ERROR2', 'ERROR3', 'ERROR4',
  'FATAL', 'FATAL2', 'FATAL3', 'FATAL4'];

function severity(value: unknown): number {
  if (typeof value === 'string' && !/^\d+$/.test(value)) {
    return Math.max(0, SEVERITY_NAMES.indexOf(value.replace(/^SEVERITY_NUMBER_/, '')));
  }
  return Number(value ?? 0);
}

/**
 * Converts one OTLP AnyValue to a plain JS value: string, boolean, number
 * (int64 outside the safe range → bigint), Buffer for bytes, arrays, plain
 * objects for key-value lists, `null` for an empty AnyValue.
 */
export function fromAnyValue(value: unknown, encoding: 'protobuf' | 'json'): unknown {
  const v = (value ?? {}) as Obj;
  if (v.stringValue !== undefined) return String(v.stringValue);
  if (v.boolValue !== undefined) return Boolean(v.boolValue);
  if (v.intValue !== undefined) {
    const big = BigInt(String(v.intValue));
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }
  if (v.doubleValue !== undefined) return toDouble(v.doubleValue);
  if (v.bytesValue !== undefined) {
    return encoding === 'json' ? Buffer.from(String(v.bytesValue), 'base64') : Buffer.from(v.bytesValue as Uint8Array);
  }
  if (v.arrayValue !== undefined) {
    return list((v.arrayValue as Obj).values).map((item) => fromAnyValue(item, encoding));
  }
  if (v.kvlistValue !== undefined) return toAttributes((v.kvlistValue as Obj).values, encoding);
  return null;
}

function toDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  // OTLP/JSON writes non-finite doubles as strings
  return value === 'NaN' ? NaN : value === 'Infinity' ? Infinity : value === '-Infinity' ? -Infinity : Number(value);
}

function toAttributes(kvs: unknown, encoding: 'protobuf' | 'json'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list(kvs)) out[String(kv.key)] = fromAnyValue(kv.value, encoding);
  return out;
}

function toHex(value: unknown, encoding: 'protobuf' | 'json'): string {
  if (value === undefined || value === null) return '';
  if (encoding === 'json' && typeof value === 'string') return value.toLowerCase();
  return Buffer.from(value as Uint8Array).toString('hex');
}

function list(value: unknown): Obj[] {
  return Array.isArray(value) ? (value as Obj[]) : [];
}

function camelize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelize);
  if (value === null || typeof value !== 'object') return value;
  const out: Obj = {};
  for (const [key, item] of Object.entries(value)) {
    out[key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())] = camelize(item);
  }
  return out;
}
