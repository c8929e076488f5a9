import type { PrettyFields } from '../encoders/pretty.ts';
import { severityShortName } from '../core/severity-name.ts';

/**
 * Reading `otlp-json` lines in the viewer: one OTLP/JSON
 * ExportLogsServiceRequest gives one pretty record per log record, with
 * `request.id`, `exception.*` and the trace ID lifted out of the attributes
 * as the JSON line has them.
 */

type Obj = Record<string, unknown>;

/** Pretty fields for every log record of an OTLP/JSON request. Throws on a malformed request. */
export function fromOtlpJson(request: Obj): PrettyFields[] {
  const out: PrettyFields[] = [];
  for (const resourceLogs of list(request.resourceLogs)) {
    for (const scopeLogs of list(resourceLogs.scopeLogs)) {
      const scope = (scopeLogs.scope ?? {}) as Obj;
      const scopeName = typeof scope.name === 'string' ? scope.name : '';
      for (const record of list(scopeLogs.logRecords)) out.push(fromLogRecord(record, scopeName));
    }
  }
  return out;
}

function fromLogRecord(r: Obj, scope: string): PrettyFields {
  const attributes: Array<[string, unknown]> = [];
  let requestId: string | undefined;
  const exception = { type: '', message: '', stacktrace: undefined as string | undefined };
  let hasException = false;
  for (const kv of list(r.attributes)) {
    const key = String(kv.key);
    const value = fromAnyValue(kv.value);
    if (key === 'request.id') requestId = String(value);
    else if (key === 'exception.type' || key === 'exception.message' || key === 'exception.stacktrace') {
      hasException = true;
      exception[key === 'exception.type' ? 'type' : key === 'exception.message' ? 'message' : 'stacktrace'] = String(value);
    } else attributes.push([key, value]);
  }
  const body = fromAnyValue(r.body);
  const severityNumber = Number(r.severityNumber ?? 0);
  return {
    timestamp: nanosToIso(String(r.timeUnixNano ?? r.observedTimeUnixNano ?? '0')),
    level: typeof r.severityText === 'string' && r.severityText !== '' ? r.severityText : severityShortName(severityNumber),
    severityNumber: Number.isFinite(severityNumber) ? severityNumber : 0,
    scope,
    message: body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body),
    eventName: typeof r.eventName === 'string' && r.eventName !== '' ? r.eventName : undefined,
    requestId,
    traceId: typeof r.traceId === 'string' && r.traceId !== '' ? r.traceId : undefined,
    exception: hasException ? exception : undefined,
    attributes,
  };
}

/** A plain value for an OTLP/JSON AnyValue (int64 as a number when exact, bytes as base64 text). */
function fromAnyValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Obj;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) {
    const n = Number(v.intValue);
    return Number.isSafeInteger(n) ? n : String(v.intValue);
  }
  if ('doubleValue' in v) return v.doubleValue;
  if ('bytesValue' in v) return v.bytesValue;
  if ('arrayValue' in v) return list((v.arrayValue as Obj | undefined)?.values).map(fromAnyValue);
  if ('kvlistValue' in v) {
    const map: Obj = {};
    for (const kv of list((v.kvlistValue as Obj | undefined)?.values)) map[String(kv.key)] = fromAnyValue(kv.value);
    return map;
  }
  return null;
}

function list(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter((item): item is Obj => item !== null && typeof item === 'object') : [];
}

/** RFC 3339 with microseconds from a decimal nanosecond string. */
function nanosToIso(nanos: string): string {
  if (!/^\d{1,20}$/.test(nanos)) return nanos;
  const padded = nanos.padStart(10, '0');
  const seconds = Number(padded.slice(0, -9));
  const iso = new Date(seconds * 1000).toISOString();
  return iso.slice(0, 20) + padded.slice(-9, -3) + 'Z';
}
