import type { PrettyFields } from '../encoders/pretty.ts';
import { liftRecordFields, readOtlpJsonLogs, type OtlpRecordLike } from '../encoders/otlp-json-reader.ts';
import { severityShortName } from '../core/levels.ts';

/**
 * Reading `otlp-json` lines in the viewer: one OTLP/JSON
 * ExportLogsServiceRequest gives one pretty record per log record, with
 * `request.id`, `exception.*` and the trace ID lifted out of the attributes
 * as the JSON line has them.
 */

/** Pretty fields for every log record of an OTLP/JSON request. Throws on a malformed request. */
export function fromOtlpJson(request: Record<string, unknown>): PrettyFields[] {
  return readOtlpJsonLogs(request).map(toPrettyFields);
}

function toPrettyFields(r: OtlpRecordLike): PrettyFields {
  const { requestId, exception, attributes } = liftRecordFields(r.attributes);
  const body = shown(r.body);
  return {
    timestamp: nanosToIso(r.timeUnixNano ?? r.observedTimeUnixNano ?? 0n),
    level: r.severityText !== '' ? r.severityText : severityShortName(r.severityNumber),
    severityNumber: r.severityNumber,
    scope: r.scope,
    message: body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body),
    eventName: r.eventName !== '' ? r.eventName : undefined,
    requestId,
    traceId: r.traceId !== '' ? r.traceId : undefined,
    exception: exception === undefined ? undefined : { type: exception.type ?? '', message: exception.message ?? '', stacktrace: exception.stacktrace },
    attributes: Object.entries(attributes).map(([key, value]) => [key, shown(value)] as const),
  };
}

/** A value as the viewer shows it: int64 beyond 2^53 as its digits, bytes as base64 (as the JSON has them). */
function shown(value: unknown): unknown {
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(shown);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = shown(v);
    return out;
  }
  return value;
}

/** RFC 3339 with microseconds from nanoseconds since the epoch. */
function nanosToIso(nanos: bigint): string {
  const padded = String(nanos).padStart(10, '0');
  const seconds = Number(padded.slice(0, -9));
  const iso = new Date(seconds * 1000).toISOString();
  return iso.slice(0, 20) + padded.slice(-9, -3) + 'Z';
}
