import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TraceIdRatioBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { configure, getLogger, getVolumeStats, withRequestContext } from '../../src/index.ts';
import { MemorySink } from '../../src/testing/index.ts';

/**
 * Trace-based filtering against a real tracing SDK whose ratio sampler keeps
 * about half the traces: the records of unsampled traces go (below the
 * configured level), the sampled ones' stay, and records outside any trace
 * are never touched.
 */
describe('TraceFilter (trace-based filtering, with @opentelemetry/sdk-trace)', () => {
  let provider: TracerProvider;
  const exporter = new InMemorySpanExporter();
  before(() => {
    provider = new TracerProvider({ sampler: new TraceIdRatioBasedSampler(0.5), spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
  });
  after(async () => {
    configure({ sinks: [], traceBased: false, env: {} });
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  /** Logs one info and one error record inside each of `n` traces; returns the sampled trace IDs. */
  function logInTraces(n: number): { sampled: Set<string>; unsampled: Set<string> } {
    const tracer = trace.getTracer('test');
    const sampled = new Set<string>();
    const unsampled = new Set<string>();
    for (let i = 0; i < n; i++) {
      tracer.startActiveSpan('work', (span) => {
        const sc = span.spanContext();
        ((sc.traceFlags & 1) === 1 ? sampled : unsampled).add(sc.traceId);
        getLogger('orders').info('step', { i });
        getLogger('orders').error('failed', { i });
        span.end();
      });
    }
    return { sampled, unsampled };
  }

  it('drops the records of unsampled traces below the level and keeps the sampled ones', () => {
    const sink = new MemorySink();
    configure({ sinks: [sink], level: 'info', traceBased: 'warn', env: {} });
    const before = getVolumeStats().traceBased.dropped;
    const { sampled, unsampled } = logInTraces(200);
    assert.ok(sampled.size > 40 && unsampled.size > 40, `the ratio sampler split the traces (${sampled.size}/${unsampled.size})`);
    const info = sink.records.filter((r) => r.body === 'step');
    const errors = sink.records.filter((r) => r.body === 'failed');
    assert.deepEqual(new Set(info.map((r) => r.trace?.traceId)), sampled, 'info only from sampled traces');
    assert.equal(errors.length, 200, 'errors (not below warn) kept from every trace');
    assert.equal(getVolumeStats().traceBased.dropped - before, unsampled.size);
  });

  it('with `on`, drops every record of an unsampled trace, as the OpenTelemetry rule does', () => {
    const sink = new MemorySink();
    configure({ sinks: [sink], level: 'info', traceBased: true, env: {} });
    const { sampled } = logInTraces(100);
    assert.deepEqual(new Set(sink.records.map((r) => r.trace?.traceId)), sampled);
    assert.equal(sink.records.length, sampled.size * 2);
  });

  it('never drops a record that has no trace context', () => {
    const sink = new MemorySink();
    configure({ sinks: [sink], level: 'info', traceBased: true, env: {} });
    getLogger('orders').info('no trace');
    assert.equal(sink.records.length, 1);
  });

  it('treats an unsampled remote parent (traceparent flags 00) as unsampled', () => {
    const sink = new MemorySink();
    configure({ sinks: [sink], level: 'info', traceBased: true, env: {} });
    trace.disable(); // no SDK: the caller's remote parent is what records carry
    try {
      const parent = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) };
      withRequestContext({ trace: { ...parent, traceFlags: 0 } }, () => getLogger('x').info('unsampled'));
      withRequestContext({ trace: { ...parent, traceFlags: 1 } }, () => getLogger('x').info('sampled'));
    } finally {
      trace.setGlobalTracerProvider(provider);
    }
    assert.deepEqual(sink.records.map((r) => r.body), ['sampled']);
  });

  it('follows per-logger patterns', () => {
    const sink = new MemorySink();
    configure({ sinks: [sink], level: 'info', traceBased: 'off,noisy.*=on', env: {} });
    const tracer = trace.getTracer('test');
    let unsampledSeen = 0;
    for (let i = 0; i < 50; i++) {
      tracer.startActiveSpan('w', (span) => {
        if ((span.spanContext().traceFlags & 1) === 0) unsampledSeen++;
        getLogger('noisy.cache').info('n');
        getLogger('orders').info('o');
        span.end();
      });
    }
    assert.ok(unsampledSeen > 0);
    assert.equal(sink.records.filter((r) => r.body === 'o').length, 50);
    assert.equal(sink.records.filter((r) => r.body === 'n').length, 50 - unsampledSeen);
  });
});
