import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { configure, getLogger } from '../../src/index.ts';
import { MemorySink } from '../../src/testing/index.ts';
import { startOtlpTraceReceiver, type OtlpTraceReceiver } from '../helpers/otlp-trace-receiver.ts';

/**
 * Span events through the tracing SDK's own OTLP/HTTP exporter, unchanged,
 * to a real receiver on 127.0.0.1 that decodes the spans itself.
 */
describe('span events over OTLP (integration)', () => {
  let receiver: OtlpTraceReceiver;
  let provider: TracerProvider;
  before(async () => {
    receiver = await startOtlpTraceReceiver();
    provider = new TracerProvider({
      spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${receiver.url}/v1/traces` }) })],
    });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
  });
  after(async () => {
    configure({ env: {}, sinks: [] });
    await provider.shutdown();
    trace.disable();
    context.disable();
    await receiver.close();
  });

  it('exports warn, error and event records as span events of the spans they were logged in', async () => {
    const sink = new MemorySink();
    configure({ env: { LOGBRIDGE_SPAN_EVENTS: 'on' }, sinks: [sink] });
    const log = getLogger('checkout');
    const tracer = trace.getTracer('test');
    await tracer.startActiveSpan('checkout', async (parent) => {
      log.info('not bridged');
      await new Promise((resolve) => setTimeout(resolve, 2));
      log.warn('stock low', { sku: 'A-1', left: 2 });
      await tracer.startActiveSpan('charge', async (child) => {
        await new Promise((resolve) => setImmediate(resolve));
        log.error('charge failed', new Error('card expired'), { password: 'hunter2' });
        log.event('payment.retry', { attempt: 2 });
        child.end();
      });
      parent.end();
    });
    await provider.forceFlush();
    await receiver.waitForSpans(2);
    const parent = receiver.spans.find((s) => s.name === 'checkout')!;
    const child = receiver.spans.find((s) => s.name === 'charge')!;
    assert.equal(child.parentSpanId, parent.spanId);
    assert.deepEqual(parent.events.map((e) => e.name), ['log.warn']);
    assert.equal(parent.events[0]!.attributes['log.message'], 'stock low');
    assert.equal(parent.events[0]!.attributes.left, 2);
    assert.deepEqual(child.events.map((e) => e.name), ['exception', 'payment.retry']);
    const [exception, retry] = child.events;
    assert.equal(exception!.attributes['exception.type'], 'Error');
    assert.equal(exception!.attributes['exception.message'], 'card expired');
    assert.equal(exception!.attributes.password, '[REDACTED]', 'span events are redacted as lines are');
    assert.equal(retry!.attributes.attempt, 2);
    // the event's time is the record's, to the microsecond
    const record = sink.find('payment.retry')[0]!;
    assert.equal(retry!.timeUnixNano / 1000n, BigInt(Math.round(record.time * 1000)));
    assert.equal(sink.records.length, 4, 'every record still reached the sink');
  });
});
