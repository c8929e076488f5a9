/**
 * Reading the `otlp-json` format back: an OTLP/JSON ExportLogsServiceRequest
 * → one plain record per log record, with the record fields that travel as
 * attributes (`request.id`, `exception.*`) lifted out again (by the
 * mapping's own inverse, otel/sdk-record.ts). The one reader
 * behind the viewer (cli/otlp-input.ts) and the conformance suite's views
 * (testing/views.ts).
 */

/** One log record of an OTLP request with plain values. */
export interface OtlpRecordLike {
  /** `timeUnixNano`; `undefined` when absent or unreadable. */
  readonly timeUnixNano: bigint | undefined;
  /** `observedTimeUnixNano`; `undefined` when absent or unreadable. */
  readonly observedTimeUnixNano?: bigint | undefined;
  /** `severityNumber` (0 when absent). */
  readonly severityNumber: number;
  /** `severityText` ('' when absent). */
  readonly severityText: string;
  /** The instrumentation scope's name ('' when absent). */
  readonly scope: string;
  /** The body as a plain value (`undefined` when absent). */
  readonly body: unknown;
  /** `eventName` ('' when absent). */
  readonly eventName: string;
  /** Lowercase hex; '' when absent. */
  readonly traceId: string;
  /** Lowercase hex; '' when absent. */
  readonly spanId: string;
  /** W3C trace flags (0 when absent). */
  readonly flags: number;
  /** Attributes as plain values, in order: maps as objects, arrays, int64 beyond 2^53 as BigInt, bytes as Buffers. */
  readonly attributes: Readonly<Record<string, unknown>>;
}

type Obj = Record<string, unknown>;

export { liftRecordFields } from '../otel/sdk-record.ts';

/** Every log record of an OTLP/JSON request. Throws when `request` has no `resourceLogs` list. */
export function readOtlpJsonLogs(request: Obj): OtlpRecordLike[] {
  if (!Array.isArray(request.resourceLogs)) throw new TypeError('not an OTLP logs request: no resourceLogs');
  const out: OtlpRecordLike[] = [];
  for (const resourceLogs of list(request.resourceLogs)) {
    for (const scopeLogs of list(resourceLogs.scopeLogs)) {
      const name = (scopeLogs.scope as Obj | undefined)?.name;
      const scope = typeof name === 'string' ? name : '';
      for (const r of list(scopeLogs.logRecords)) {
        const attributes: Obj = {};
        for (const kv of list(r.attributes)) attributes[String(kv.key)] = fromOtlpJsonValue(kv.value);
        out.push({
          timeUnixNano: nanos(r.timeUnixNano), observedTimeUnixNano: nanos(r.observedTimeUnixNano),
          severityNumber: Number.isFinite(Number(r.severityNumber ?? 0)) ? Number(r.severityNumber ?? 0) : 0,
          severityText: text(r.severityText), scope, body: fromOtlpJsonValue(r.body), eventName: text(r.eventName),
          traceId: text(r.traceId), spanId: text(r.spanId), flags: Number(r.flags ?? 0) || 0, attributes,
        });
      }
    }
  }
  return out;
}

/** A plain value for an OTLP/JSON AnyValue; `undefined` for an absent or empty one. */
export function fromOtlpJsonValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Obj;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) {
    const n = Number(v.intValue);
    if (Number.isSafeInteger(n)) return n;
    try {
      return BigInt(String(v.intValue));
    } catch {
      return String(v.intValue);
    }
  }
  if ('doubleValue' in v) return typeof v.doubleValue === 'string' ? Number(v.doubleValue) : v.doubleValue;
  if ('bytesValue' in v) return Buffer.from(String(v.bytesValue), 'base64');
  if ('arrayValue' in v) return list((v.arrayValue as Obj | undefined)?.values).map(fromOtlpJsonValue);
  if ('kvlistValue' in v) {
    const map: Obj = {};
    for (const kv of list((v.kvlistValue as Obj | undefined)?.values)) map[String(kv.key)] = fromOtlpJsonValue(kv.value);
    return map;
  }
  return undefined;
}

function list(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter((item): item is Obj => item !== null && typeof item === 'object') : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function nanos(value: unknown): bigint | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  return /^\d{1,20}$/.test(String(value)) ? BigInt(String(value)) : undefined;
}
