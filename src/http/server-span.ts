import { SpanKind, trace, type Context, type Span } from '@opentelemetry/api';
import type { IncomingRequest } from './request-options.ts';

/**
 * The SERVER span the HTTP core starts for a request when a tracing SDK is
 * running and no span is active yet. Internal to the HTTP adapters.
 */

/** A SERVER span child of `parent`, or `undefined` when no tracing SDK is running. */
export function startServerSpan(request: IncomingRequest, parent: Context): Span | undefined {
  // Looked up per request, not cached: a tracer taken before the SDK is
  // (re)registered would stay bound to the old provider.
  const span = trace.getTracer('logbridge').startSpan(request.method, {
    kind: SpanKind.SERVER,
    attributes: request.scheme === undefined
      ? { 'http.request.method': request.method, 'url.path': request.path }
      : { 'http.request.method': request.method, 'url.path': request.path, 'url.scheme': request.scheme },
  }, parent);
  // The no-op tracer hands back the parent's context (or an invalid one):
  // no SDK, so there is no span of ours to end.
  const sc = span.spanContext();
  if (span.isRecording()) return span;
  if (!trace.isSpanContextValid(sc) || sc.spanId === trace.getSpanContext(parent)?.spanId) return undefined;
  return span;
}
