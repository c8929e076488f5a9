import assert from 'node:assert/strict';
import sinon from 'sinon';
import { logs } from '@opentelemetry/api';
import { logs as legacyLogs } from '@opentelemetry/api-logs';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { createOtlpSink, type OtlpSink } from '../../src/sinks/otlp.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';
import type { Sink } from '../../src/core/sink.ts';
import { makeRecord, TRACE } from '../encoders/record-fixture.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';

const TIME_NS = BigInt(Date.UTC(2026, 10, 28, 9, 14, 3)) * 1_000_000n + 123_456_000n;

function fullRecord() {
  return makeRecord({
    severityNumber: 17,
    severityText: 'ERROR',
    scope: 'orders.db',
    body: 'payment failed',
    eventName: 'payment.failed',
    bindings: { attributes: { region: 'eu' }, keys: new Set(['region']) },
    attributes: {
      count: 3, ratio: 0.5, ok: true, nested: { a: { b: ['x', 2] } }, list: [1, 'two', null], bytes: new Uint8Array([0, 255]),
      'request.id': 'forged',
    },
    requestId: 'req-42',
    exception: { type: 'TypeError', message: 'boom', stacktrace: 'TypeError: boom\n    at x (y.js:1:1)' },
    trace: TRACE,
  });
}

describe('createOtlpSink()', () => {
  let receiver: OtlpReceiver;
  let sink: OtlpSink | undefined;
  let diagnostics: string[];

  beforeEach(async () => {
    receiver = await startOtlpReceiver();
    diagnostics = [];
    setDiagnosticSink((line) => diagnostics.push(line));
  });
  afterEach(async () => {
    await sink?.shutdown?.();
    sink = undefined;
    setDiagnosticSink(undefined);
    sinon.restore();
    await receiver.close();
  });

  function make(options: Parameters<typeof createOtlpSink>[0] = {}): OtlpSink {
    sink = createOtlpSink({
      url: receiver.logsUrl, scheduleDelayMillis: 10, env: { OTEL_SERVICE_NAME: 'otlp-test' }, useGlobalProvider: false, ...options,
    }) as OtlpSink;
    return sink;
  }

  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    for (const compression of ['none', 'gzip'] as const) {
      it(`delivers every field over ${protocol} (gzip ${compression === 'gzip' ? 'on' : 'off'})`, async () => {
        const s = make({ protocol, compression });
        s.emit(fullRecord());
        await s.flush();
        const [rec] = await receiver.waitForRecords(1);
        assert.equal(receiver.requests[0]!.contentType, protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
        assert.equal(receiver.requests[0]!.contentEncoding, compression === 'gzip' ? 'gzip' : '');
        assert.equal(rec!.resource['service.name'], 'otlp-test');
        assert.equal(typeof rec!.resource['service.instance.id'], 'string');
        assert.equal(rec!.resource['telemetry.sdk.language'], 'nodejs');
        assert.deepEqual(rec!.scope, { name: 'orders.db', version: '', attributes: {} });
        assert.equal(rec!.timeUnixNano, TIME_NS);
        assert.equal(rec!.observedTimeUnixNano, TIME_NS);
        assert.deepEqual([rec!.severityNumber, rec!.severityText, rec!.body, rec!.eventName],
          [17, 'ERROR', 'payment failed', 'payment.failed']);
        assert.deepEqual([rec!.traceId, rec!.spanId, rec!.flags], [TRACE.traceId, TRACE.spanId, 1]);
        assert.deepEqual(rec!.attributes, {
          region: 'eu', count: 3, ratio: 0.5, ok: true, nested: { a: { b: ['x', 2] } }, list: [1, 'two', null],
          bytes: Buffer.from([0, 255]), 'attr.request.id': 'forged', 'request.id': 'req-42',
          'exception.type': 'TypeError', 'exception.message': 'boom', 'exception.stacktrace': 'TypeError: boom\n    at x (y.js:1:1)',
        });
      });
    }
  }

  it('sends no trace fields for a record outside a span', async () => {
    const s = make();
    s.emit(makeRecord());
    await s.flush();
    const [rec] = await receiver.waitForRecords(1);
    assert.deepEqual([rec!.traceId, rec!.spanId, rec!.flags], ['', '', 0]);
  });

  it('sends the headers given and no credentials anywhere in diagnostics', async () => {
    const s = make({ headers: { authorization: 'Bearer s3cr3t' } });
    receiver.failNext({ status: 400 });
    s.emit(makeRecord());
    await s.flush();
    assert.equal(receiver.requests[0]!.headers.authorization, 'Bearer s3cr3t');
    assert.ok(!diagnostics.join('').includes('s3cr3t'));
  });

  describe('emit()', () => {
    it('counts exactly the records dropped when the queue is full', async () => {
      await receiver.down();
      const s = make({ maxQueueSize: 10, maxExportBatchSize: 5, scheduleDelayMillis: 60_000, exportTimeoutMillis: 200 });
      for (let i = 0; i < 25; i++) s.emit(makeRecord());
      assert.equal(s.stats().dropped.queue_full, 15);
      assert.equal(s.stats().received, 25);
      assert.match(diagnostics.join(''), /OTLP_DROPPED_QUEUE_FULL.*OTEL_BLRP_MAX_QUEUE_SIZE/);
    });

    it('never refuses a FATAL record for a full queue: the oldest record below FATAL is evicted, and counted', async () => {
      const s = make({ maxQueueSize: 4, maxExportBatchSize: 4, scheduleDelayMillis: 60_000 });
      for (let i = 0; i < 5; i++) s.emit(makeRecord({ attributes: { i } })); // the exporter loads meanwhile: i = 4 is refused
      s.emit(makeRecord({ severityNumber: 21, severityText: 'FATAL', body: 'crash' }));
      await s.flush();
      assert.deepEqual(s.stats().dropped, { queue_full: 2 });
      assert.deepEqual(receiver.records.map((r) => r.attributes.i ?? r.body), [1, 2, 3, 'crash']);
      assert.equal(s.stats().exported + 2, s.stats().received);
    });

    it('does not drop a synchronous burst of 10,000 records with the default queue', async () => {
      const s = make({ scheduleDelayMillis: 1000 });
      for (let i = 0; i < 10_000; i++) s.emit(makeRecord({ attributes: { i } }));
      await s.flush();
      assert.deepEqual(s.stats().dropped, {});
      assert.equal(receiver.counts.accepted, 10_000);
    });
  });

  describe('flush()', () => {
    it('retries a 503 after its Retry-After and delivers', async () => {
      const s = make();
      receiver.failNext({ status: 503, retryAfter: 1 });
      s.emit(makeRecord());
      await s.flush();
      assert.equal(receiver.counts.accepted, 1);
      const [first, second] = receiver.requests;
      assert.ok(second!.at - first!.at >= 950, `retried after ${second!.at - first!.at} ms`);
      assert.deepEqual(s.stats().dropped, {});
    });

    it('retries 429, 502, 504 and a reset connection with backoff', async () => {
      const s = make();
      receiver.failNext({ reset: true }); // backoff: 125–250 ms
      receiver.failNext({ status: 429, retryAfter: 0 });
      receiver.failNext({ status: 502, retryAfter: 0 });
      receiver.failNext({ status: 504, retryAfter: 0 });
      s.emit(makeRecord());
      await s.flush();
      assert.equal(receiver.counts.requests, 5);
      assert.equal(receiver.counts.accepted, 1);
      assert.deepEqual(s.stats().dropped, {});
    });

    it('drops and counts a batch refused with 400, without retrying', async () => {
      const s = make();
      receiver.failNext({ status: 400, message: 'bad data' });
      s.emit(makeRecord());
      s.emit(makeRecord());
      await s.flush();
      assert.equal(receiver.counts.requests, 1);
      assert.deepEqual(s.stats().dropped, { export_failed: 2 });
      assert.match(diagnostics.join(''), /HTTP 400/);
    });

    it('counts the records a partial success rejects', async () => {
      const s = make();
      receiver.failNext({ rejected: 2, message: 'too old' });
      for (let i = 0; i < 3; i++) s.emit(makeRecord());
      await s.flush();
      assert.deepEqual(s.stats().dropped, { rejected: 2 });
      assert.equal(s.stats().exported, 1);
      assert.match(diagnostics.join(''), /too old/);
    });

    it('loses nothing when the collector is down for a while and comes back', async () => {
      await receiver.down();
      const s = make();
      for (let i = 0; i < 50; i++) {
        s.emit(makeRecord({ attributes: { i } }));
        if (i % 10 === 9) await new Promise((r) => setTimeout(r, 100));
      }
      setTimeout(() => void receiver.up(), 300);
      await s.flush();
      assert.equal(receiver.counts.accepted, 50);
      assert.deepEqual(receiver.records.map((r) => r.attributes.i), [...Array(50).keys()]);
      assert.deepEqual(s.stats().dropped, {});
    });

    it('retries batches that failed together in the order they were logged', async () => {
      await receiver.down();
      const s = make({ maxExportBatchSize: 10 });
      for (let i = 0; i < 40; i++) s.emit(makeRecord({ attributes: { i } })); // four batches out at once, all refused
      setTimeout(() => void receiver.up(), 600);
      await s.flush();
      assert.deepEqual(receiver.records.map((r) => r.attributes.i), [...Array(40).keys()]);
      assert.deepEqual(s.stats().dropped, {});
    });

    it('gives up after exportTimeoutMillis and counts retry_timeout', async () => {
      await receiver.down();
      const s = make({ exportTimeoutMillis: 500 });
      s.emit(makeRecord());
      await s.flush({ timeoutMillis: 3000 });
      assert.deepEqual(s.stats().dropped, { retry_timeout: 1 });
    });

    it('settles by its deadline while a collector hangs', async () => {
      receiver.setDefaultFault({ hang: true });
      const s = make({ timeoutMillis: 60_000 });
      s.emit(makeRecord());
      const started = Date.now();
      await s.flush({ timeoutMillis: 300 });
      assert.ok(Date.now() - started < 2000);
      assert.equal(s.stats().pending, 1);
      await s.shutdown({ timeoutMillis: 10 });
      // sent, never answered: perhaps delivered, so not counted as lost
      assert.deepEqual(s.stats().dropped, {});
      assert.equal(s.stats().unconfirmed, 1);
    });
  });

  describe('shutdown()', () => {
    it('delivers what is queued, then drops and counts later records', async () => {
      const s = make({ scheduleDelayMillis: 60_000 });
      s.emit(makeRecord());
      await s.shutdown();
      s.emit(makeRecord());
      assert.equal(receiver.counts.accepted, 1);
      assert.deepEqual(s.stats().dropped, { shutdown: 1 });
      await s.shutdown(); // idempotent
    });
  });

  describe('with an application LoggerProvider', () => {
    function provider() {
      const exporter = new InMemoryLogRecordExporter();
      return { exporter, provider: new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] }) };
    }

    it('emits through a provider passed in, with the logger name as scope, and never exports itself', async () => {
      const { exporter, provider: p } = provider();
      const s: Sink = createOtlpSink({ loggerProvider: p, url: receiver.logsUrl });
      s.emit(fullRecord());
      await s.flush?.();
      const [got] = exporter.getFinishedLogRecords();
      assert.equal(got!.instrumentationScope.name, 'orders.db');
      assert.equal(got!.body, 'payment failed');
      assert.equal(got!.attributes['request.id'], 'req-42');
      assert.equal(got!.spanContext?.traceId, TRACE.traceId);
      assert.equal(receiver.counts.requests, 0);
    });

    it('finds a provider registered through @opentelemetry/api logs', async () => {
      const { exporter, provider: p } = provider();
      logs.setGlobalLoggerProvider(p);
      try {
        const s: Sink = createOtlpSink({ url: receiver.logsUrl });
        s.emit(makeRecord());
        assert.equal(exporter.getFinishedLogRecords().length, 1);
        assert.equal(receiver.counts.requests, 0);
      } finally {
        logs.disable();
      }
    });

    it('finds a provider registered through the older @opentelemetry/api-logs', async () => {
      const { exporter, provider: p } = provider();
      legacyLogs.setGlobalLoggerProvider(p as never);
      try {
        const s: Sink = createOtlpSink({ url: receiver.logsUrl });
        s.emit(makeRecord());
        assert.equal(exporter.getFinishedLogRecords().length, 1);
      } finally {
        legacyLogs.disable();
      }
    });
  });
});
