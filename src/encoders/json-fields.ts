import type { TraceContext } from '../core/record.ts';
import { jsonString } from '../values/json.ts';
import { toFlatString } from '../values/flat-string.ts';

/**
 * The JSON line's record-field pieces that repeat from one record to the
 * next (same logger and level, same message template, same span and
 * request), each made once and flattened (see toFlatString): the line is
 * then a few long pieces, which the writer copies instead of walking a
 * tree of short ones. Internal to the JSON encoder.
 */

const levelScopeCache = new Map<string, Map<number, { readonly text: string; readonly json: string }>>();
let lastScope = '';
let lastSeverity = NaN;
let lastText = '';
let lastLevelJson = '';

/** `","level":"INFO","severity_number":9,"scope":"name","message":` for one logger and level. */
export function levelAndScope(severity: number, text: string, scope: string): string {
  // consecutive records mostly come from one logger at one level: three compares instead of two map lookups
  if (scope === lastScope && severity === lastSeverity && text === lastText) return lastLevelJson;
  lastLevelJson = levelAndScopeOf(severity, text, scope);
  lastScope = scope;
  lastSeverity = severity;
  lastText = text;
  return lastLevelJson;
}

function levelAndScopeOf(severity: number, text: string, scope: string): string {
  let byLevel = levelScopeCache.get(scope);
  if (byLevel === undefined) {
    byLevel = new Map();
    if (levelScopeCache.size < 1024) levelScopeCache.set(scope, byLevel);
  }
  let cached = byLevel.get(severity);
  if (cached === undefined || cached.text !== text) {
    cached = {
      text,
      json: toFlatString('","level":' + jsonString(text, 64) + ',"severity_number":' + severity +
        ',"scope":' + jsonString(scope, 256) + ',"message":'),
    };
    byLevel.set(severity, cached);
  }
  return cached.json;
}

const bodyCache = new Map<string, string>();
let lastBody = '';
let lastBodyMax = NaN;
let lastBodyJson = '""';

/**
 * The message as a JSON string. Messages are mostly constant templates, so
 * the short ones are remembered: no escape scan, and one string piece per
 * line instead of three for the write to flatten.
 */
export function bodyJson(body: string, maxLength: number): string {
  if (body === lastBody && maxLength === lastBodyMax) return lastBodyJson;
  if (body.length > 256 || body.length > maxLength) return jsonString(body, maxLength);
  let cached = bodyCache.get(body);
  if (cached === undefined) {
    cached = toFlatString(jsonString(body));
    if (bodyCache.size >= 4096) bodyCache.clear();
    bodyCache.set(body, cached);
  }
  lastBody = body;
  lastBodyMax = maxLength;
  lastBodyJson = cached;
  return cached;
}

let lastTrace: TraceContext | undefined;
let lastTraceId = '';
let lastSpanId = '';
let lastTraceFlags = 0;
let lastRequestId: string | undefined;
let lastCorrelation = '';

/**
 * `,"trace_id":"…","span_id":"…","trace_flags":"01","request.id":"…"` (each
 * part only when the record has it), one piece reused while records come
 * from the same span and request. The span context's IDs are compared too:
 * a SpanContext is a plain object that its owner could change.
 */
export function correlationMembers(trace: TraceContext | undefined, requestId: string | undefined): string {
  if (trace === lastTrace && requestId === lastRequestId &&
    (trace === undefined || (trace.traceId === lastTraceId && trace.spanId === lastSpanId && trace.traceFlags === lastTraceFlags))) {
    return lastCorrelation;
  }
  let json = '';
  if (trace !== undefined) {
    json = ',"trace_id":' + jsonString(String(trace.traceId), 32) + ',"span_id":' + jsonString(String(trace.spanId), 16) +
      ((trace.traceFlags & 1) === 1 ? ',"trace_flags":"01"' : ',"trace_flags":"00"');
    lastTraceId = trace.traceId;
    lastSpanId = trace.spanId;
    lastTraceFlags = trace.traceFlags;
  }
  if (requestId !== undefined) json += ',"request.id":' + jsonString(requestId, 128);
  lastTrace = trace;
  lastRequestId = requestId;
  lastCorrelation = toFlatString(json);
  return lastCorrelation;
}
