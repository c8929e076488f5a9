import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BatchSpanProcessor, TracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { RequestIdSpanProcessor } from '../../src/index.ts';

/**
 * A real tracing SDK, set up the way an application does at startup:
 * AsyncLocalStorage context manager, W3C Trace Context propagator, and
 * (when OTEL_EXPORTER_OTLP_ENDPOINT is set) spans exported over OTLP.
 * RequestIdSpanProcessor puts `request.id` on every span of a request.
 */
export async function startTracing(): Promise<TracerProvider> {
  const processors: SpanProcessor[] = [new RequestIdSpanProcessor()];
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    try {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
      processors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter() }));
    } catch {
      process.stderr.write('demo: @opentelemetry/exporter-trace-otlp-proto not installed; spans are not exported\n');
    }
  }
  const provider = new TracerProvider({ spanProcessors: processors });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return provider;
}
