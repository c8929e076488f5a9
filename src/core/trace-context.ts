import { context, trace } from '@opentelemetry/api';
import type { TraceContext } from './record.ts';

// The last span context found valid, with the IDs it had then. Every record
// made inside one span sees the same SpanContext object; re-validating its
// hex IDs each time (two regular expressions) was ~4% of a record's cost.
let lastValid: TraceContext | undefined;
let lastTraceId = '';
let lastSpanId = '';

/**
 * The trace context of the active OpenTelemetry span at the call site, or
 * `undefined` when there is none (no tracing SDK, or no span). Read on the
 * caller's async context: sinks never read it later. The span's own
 * SpanContext is returned as it is (it has the TraceContext fields), which
 * saves an allocation per record.
 */
export function activeTraceContext(): TraceContext | undefined {
  const span = trace.getSpan(context.active());
  if (span === undefined) return undefined;
  const sc = span.spanContext();
  if (sc === lastValid && sc.traceId === lastTraceId && sc.spanId === lastSpanId) return sc;
  if (!trace.isSpanContextValid(sc)) return undefined;
  lastValid = sc;
  lastTraceId = sc.traceId;
  lastSpanId = sc.spanId;
  return sc;
}
