import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type Sampler, type SpanProcessor } from '@opentelemetry/sdk-trace';

/** A real tracing SDK registered globally for one test block; `uninstall()` restores the no-op API. */
export interface InstalledTracing {
  readonly exporter: InMemorySpanExporter;
  readonly provider: TracerProvider;
  uninstall(): Promise<void>;
}

/**
 * Registers @opentelemetry/sdk-trace with the AsyncLocalStorage context
 * manager and (unless `propagator: false`) the W3C propagator, the way an
 * application does at startup. Spans end up in `exporter`.
 */
export function installTracing(options: { propagator?: boolean; processors?: SpanProcessor[]; sampler?: Sampler } = {}): InstalledTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [...(options.processors ?? []), new SimpleSpanProcessor({ exporter })],
    ...(options.sampler === undefined ? {} : { sampler: options.sampler }),
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  if (options.propagator !== false) propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return {
    exporter,
    provider,
    async uninstall() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
