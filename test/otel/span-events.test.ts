import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { AlwaysOffSampler, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { configure, getLogger } from '../../src/index.ts';
import { MemorySink } from '../../src/testing/index.ts';
import { createSpanEventBridge, SPAN_EVENTS_DROPPED } from '../../src/otel/span-events.ts';
import { runtime } from '../../src/core/runtime.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';
import { installTracing, type InstalledTracing } from '../helpers/tracing.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const log = getLogger('orders');

function spanNamed(tracing: InstalledTracing, name: string): ReadableSpan {
  const span = tracing.exporter.getFinishedSpans().find((s) => s.name === name);
  assert.ok(span, `no span ${name}`);
  return span;
}

describe('createSpanEventBridge()', () => {
  let tracing: InstalledTracing;
  let sink: MemorySink;
  beforeEach(() => {
    tracing = installTracing();
    sink = new MemorySink();
  });
  afterEach(async () => {
    await tracing.uninstall();
    configure({ env: {}, sinks: [] });
  });

  it('adds each record to the span active where it was logged, across awaits and nested spans', async () => {
    configure({ env: {}, sinks: [sink], spanEvents: true });
    const tracer = trace.getTracer('test');
    await tracer.startActiveSpan('outer', async (outer) => {
      log.warn('before await', { step: 1 });
      await sleep(2);
      await tracer.startActiveSpan('inner', async (inner) => {
        await sleep(1);
        log.error('in inner', new TypeError('bad input'));
        inner.end();
      });
      await sleep(1);
      log.info('below the level');
      log.warn('after await', { step: 2 });
      outer.end();
    });
    const outer = spanNamed(tracing, 'outer');
    const inner = spanNamed(tracing, 'inner');
    assert.deepEqual(outer.events.map((e) => e.name), ['log.warn', 'log.warn']);
    assert.deepEqual(outer.events.map((e) => e.attributes?.['log.message']), ['before await', 'after await']);
    assert.equal(outer.events[0]!.attributes?.step, 1);
    assert.equal(outer.events[0]!.attributes?.['log.logger'], 'orders');
    assert.equal(outer.events[0]!.attributes?.['log.severity'], 'WARN');
    assert.deepEqual(inner.events.map((e) => e.name), ['exception']);
    assert.equal(inner.events[0]!.attributes?.['exception.type'], 'TypeError');
    assert.equal(inner.events[0]!.attributes?.['exception.message'], 'bad input');
    assert.equal(inner.status.code, SpanStatusCode.UNSET, 'status is left alone by default');
    // the records went on to the sink, all four
    assert.deepEqual(sink.records.map((r) => r.body), ['before await', 'in inner', 'below the level', 'after await']);
  });

  it('follows the specification for event records: name, time and attributes carried over', async () => {
    configure({ env: {}, sinks: [sink], spanEvents: { level: false } });
    const tracer = trace.getTracer('test');
    tracer.startActiveSpan('work', (span) => {
      log.event('cache.miss', { key: 'user:1', nested: { a: [1, 2] } });
      log.warn('a warning is not bridged with level: false');
      span.end();
    });
    const span = spanNamed(tracing, 'work');
    assert.equal(span.events.length, 1);
    const event = span.events[0]!;
    assert.equal(event.name, 'cache.miss');
    assert.equal(event.attributes?.key, 'user:1');
    assert.equal(event.attributes?.nested, '{"a":[1,2]}', 'a map becomes its JSON text: span events take no maps');
    assert.equal(event.attributes?.['log.message'], undefined);
    const record = sink.find('cache.miss')[0]!;
    const eventMs = event.time[0] * 1000 + event.time[1] / 1e6;
    assert.ok(Math.abs(eventMs - record.time) < 0.002, `${eventMs} vs ${record.time}`);
  });

  it('honours per-logger level rules', async () => {
    configure({ env: {}, sinks: [sink], spanEvents: { level: 'warn,payments=info,noisy=off' } });
    trace.getTracer('test').startActiveSpan('rules', (span) => {
      getLogger('payments.card').info('charged');
      getLogger('noisy').error('never bridged');
      getLogger('other').info('not bridged');
      getLogger('other').warn('bridged');
      span.end();
    });
    assert.deepEqual(spanNamed(tracing, 'rules').events.map((e) => e.attributes?.['log.message']), ['charged', 'bridged']);
  });

  it('stops at the per-span limit and counts what it left out on the span', async () => {
    const bridge = createSpanEventBridge({ maxPerSpan: 3 });
    configure({ env: {}, sinks: [sink], spanEvents: false, processors: [bridge] });
    const tracer = trace.getTracer('test');
    tracer.startActiveSpan('busy', (busy) => {
      for (let i = 0; i < 10; i++) log.warn(`w${i}`);
      tracer.startActiveSpan('fresh', (fresh) => { log.warn('own budget'); fresh.end(); });
      busy.end();
    });
    const busy = spanNamed(tracing, 'busy');
    assert.deepEqual(busy.events.map((e) => e.attributes?.['log.message']), ['w0', 'w1', 'w2']);
    assert.equal(busy.attributes[SPAN_EVENTS_DROPPED], 7);
    assert.equal(spanNamed(tracing, 'fresh').events.length, 1);
    assert.deepEqual(bridge.stats, { added: 4, dropped: 7 });
    assert.equal(sink.records.length, 11);
  });

  it('sets status ERROR for an unexpected exception only when asked', async () => {
    configure({ env: {}, sinks: [sink], spanEvents: { errorStatus: true } });
    const tracer = trace.getTracer('test');
    tracer.startActiveSpan('expected', (span) => {
      log.expected('declined', new Error('card declined'), undefined, { level: 'error' });
      span.end();
    });
    tracer.startActiveSpan('failed', (span) => {
      log.error('db down', new RangeError('no connection'));
      span.end();
    });
    assert.equal(spanNamed(tracing, 'expected').status.code, SpanStatusCode.UNSET);
    const failed = spanNamed(tracing, 'failed');
    assert.equal(failed.status.code, SpanStatusCode.ERROR);
    assert.equal(failed.status.message, 'RangeError: no connection');
  });

  it('adds nothing to a span that is not recording (not sampled)', async () => {
    await tracing.uninstall();
    tracing = installTracing({ sampler: new AlwaysOffSampler() });
    const bridge = createSpanEventBridge();
    configure({ env: {}, sinks: [sink], spanEvents: false, processors: [bridge] });
    trace.getTracer('test').startActiveSpan('unsampled', (span) => {
      log.warn('not recorded');
      span.end();
    });
    assert.equal(bridge.stats.added, 0);
    assert.equal(sink.records.length, 1);
    assert.equal(sink.records[0]!.trace?.traceId.length, 32, 'the record still carries the trace');
  });

  it('does nothing for a record logged in another span than the one active when it is processed', () => {
    const bridge = createSpanEventBridge();
    let record: Parameters<typeof bridge>[0] | undefined;
    const capture = (r: typeof record) => { record ??= r; return r; };
    configure({ env: {}, sinks: [sink], spanEvents: false, processors: [capture as never] });
    const tracer = trace.getTracer('test');
    tracer.startActiveSpan('first', (span) => { log.warn('in first'); span.end(); });
    tracer.startActiveSpan('second', (span) => { bridge(record!); span.end(); });
    assert.equal(bridge.stats.added, 0);
    assert.equal(spanNamed(tracing, 'second').events.length, 0);
  });
});

describe('createSpanEventBridge() without a tracing SDK', () => {
  afterEach(() => configure({ env: {}, sinks: [] }));

  it('passes every record on and adds nothing', () => {
    const sink = new MemorySink();
    const bridge = createSpanEventBridge({ level: 'trace' });
    configure({ env: {}, sinks: [sink], spanEvents: false, processors: [bridge] });
    log.error('no sdk', new Error('x'));
    log.event('some.event');
    assert.equal(sink.records.length, 2);
    assert.deepEqual(bridge.stats, { added: 0, dropped: 0 });
  });
});

describe('span-event bridge configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logbridge-span-events-'));
  let lines: string[];
  let tracing: InstalledTracing;
  beforeEach(() => {
    lines = [];
    setDiagnosticSink((line) => lines.push(line));
    tracing = installTracing();
  });
  afterEach(async () => {
    setDiagnosticSink(undefined);
    await tracing.uninstall();
    configure({ env: {}, sinks: [] });
  });

  function run(env: Record<string, string>): string[] {
    configure({ env, sinks: [new MemorySink()] });
    trace.getTracer('test').startActiveSpan('env', (span) => {
      log.event('thing.happened', { n: 1 });
      log.warn('warned');
      log.error('failed', new Error('e'));
      span.end();
    });
    return spanNamed(tracing, 'env').events.map((e) => e.name);
  }

  it('is off by default', () => {
    assert.deepEqual(run({}), []);
    assert.equal(runtime.pipeline.processors.some((p) => 'stats' in p), false);
  });

  it('LOGBRIDGE_SPAN_EVENTS=events bridges event records only', () => {
    assert.deepEqual(run({ LOGBRIDGE_SPAN_EVENTS: 'events' }), ['thing.happened']);
  });

  it('LOGBRIDGE_SPAN_EVENTS=on adds records at LOGBRIDGE_SPAN_EVENTS_LEVEL and above, reporting bad parts', () => {
    assert.deepEqual(run({ LOGBRIDGE_SPAN_EVENTS: 'on' }), ['thing.happened', 'log.warn', 'exception']);
    tracing.exporter.reset();
    assert.deepEqual(run({ LOGBRIDGE_SPAN_EVENTS: 'on', LOGBRIDGE_SPAN_EVENTS_LEVEL: 'error,x=loud' }), ['thing.happened', 'exception']);
    assert.ok(lines.some((l) => l.includes('LOGBRIDGE_SPAN_EVENTS_LEVEL') && l.includes('loud')), lines.join('\n'));
  });

  it('LOGBRIDGE_SPAN_EVENTS_LIMIT and _ERROR_STATUS apply', () => {
    assert.deepEqual(run({ LOGBRIDGE_SPAN_EVENTS: 'on', LOGBRIDGE_SPAN_EVENTS_LIMIT: '1', LOGBRIDGE_SPAN_EVENTS_ERROR_STATUS: 'true' }),
      ['thing.happened']);
    const span = spanNamed(tracing, 'env');
    assert.equal(span.attributes[SPAN_EVENTS_DROPPED], 2);
    assert.equal(span.status.code, SpanStatusCode.ERROR);
  });

  it('an event_to_span_event_bridge/development processor in OTEL_CONFIG_FILE turns the specification rule on', () => {
    const path = join(dir, 'bridge.yaml');
    writeFileSync(path, [
      'file_format: "1.0"',
      'logger_provider:',
      '  processors:',
      '    - event_to_span_event_bridge/development:',
      '    - simple:',
      '        exporter:',
      '          console: {}',
    ].join('\n'));
    assert.deepEqual(run({ OTEL_CONFIG_FILE: path }), ['thing.happened']);
    assert.deepEqual(lines, []);
  });
});
