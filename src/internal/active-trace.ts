import { context, trace } from '@opentelemetry/api';
import type { TraceContext } from '../record.ts';

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
  return trace.isSpanContextValid(sc) ? sc : undefined;
}
