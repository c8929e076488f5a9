import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter as ProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as JsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SeverityNumber } from '@opentelemetry/api';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';

// The receiver is a test instrument: these tests check it against the
// official exporters, so our own sink's tests can trust it.

function post(url: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function emitOne(exporter: LogRecordExporter): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'recv-test' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  provider.getLogger('orders.db', '1.2.3').emit({
    timestamp: [1_700_000_000, 123_456_789],
    observedTimestamp: [1_700_000_001, 5],
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: 'hello',
    eventName: 'order.placed',
    attributes: { n: 42, f: 1.5, ok: false, s: '', list: [1, 'a'], nested: { a: { b: 'c' } }, bytes: new Uint8Array([1, 2, 255]) },
  });
  await provider.forceFlush();
  await provider.shutdown();
}

describe('startOtlpReceiver()', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => receiver.close());

  for (const [name, make] of [
    ['protobuf', (url: string, gzip: boolean) => new ProtoExporter({ url, compression: (gzip ? 'gzip' : 'none') as never })],
    ['json', (url: string, gzip: boolean) => new JsonExporter({ url, compression: (gzip ? 'gzip' : 'none') as never })],
  ] as const) {
    for (const gzip of [false, true]) {
      it(`decodes every field sent by the official ${name} exporter (gzip ${gzip ? 'on' : 'off'})`, async () => {
        await emitOne(make(receiver.logsUrl, gzip));
        const [rec] = await receiver.waitForRecords(1);
        assert.ok(rec);
        assert.equal(rec.encoding, name);
        assert.equal(receiver.requests[0]!.contentEncoding, gzip ? 'gzip' : '');
        assert.equal(rec.resource['service.name'], 'recv-test');
        assert.deepEqual([rec.scope.name, rec.scope.version], ['orders.db', '1.2.3']);
        assert.equal(rec.timeUnixNano, 1_700_000_000_123_456_789n);
        assert.equal(rec.observedTimeUnixNano, 1_700_000_001_000_000_005n);
        assert.deepEqual([rec.severityNumber, rec.severityText, rec.body, rec.eventName], [13, 'WARN', 'hello', 'order.placed']);
        assert.deepEqual(rec.attributes, {
          n: 42, f: 1.5, ok: false, s: '', list: [1, 'a'], nested: { a: { b: 'c' } }, bytes: Buffer.from([1, 2, 255]),
        });
        assert.deepEqual([rec.traceId, rec.spanId, rec.flags], ['', '', 0]);
      });
    }
  }

  it('decodes hand-written OTLP/JSON with trace IDs, snake_case names and int64 strings', async () => {
    const body = {
      resource_logs: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'x' } }] },
        scope_logs: [{
          scope: { name: 's' },
          log_records: [{
            time_unix_nano: '1700000000000000001', severity_number: 'SEVERITY_NUMBER_ERROR',
            trace_id: '5B8EFFF798038103D269B633813FC60C', span_id: 'EEE19B7EC3C1B174', flags: 1,
            body: { kvlistValue: { values: [{ key: 'big', value: { intValue: '9007199254740993' } }] } },
          }],
        }],
      }],
    };
    const res = await post(receiver.logsUrl, gzipSync(JSON.stringify(body)), {
      'content-type': 'application/json', 'content-encoding': 'gzip',
    });
    assert.equal(res.status, 200);
    const [rec] = receiver.records;
    assert.equal(rec!.timeUnixNano, 1_700_000_000_000_000_001n);
    assert.equal(rec!.severityNumber, 17);
    assert.equal(rec!.traceId, '5b8efff798038103d269b633813fc60c');
    assert.equal(rec!.spanId, 'eee19b7ec3c1b174');
    assert.equal(rec!.flags, 1);
    assert.deepEqual(rec!.body, { big: 9007199254740993n });
  });

  it('answers a queued fault once with its status and Retry-After, then accepts', async () => {
    receiver.failNext({ status: 503, retryAfter: 2 });
    const body = Buffer.from('{"resourceLogs":[]}');
    const first = await post(receiver.logsUrl, body, { 'content-type': 'application/json' });
    const second = await post(receiver.logsUrl, body, { 'content-type': 'application/json' });
    assert.deepEqual([first.status, first.headers['retry-after'], second.status], [503, '2', 200]);
    assert.equal(receiver.counts.requests, 2);
  });

  it('answers a partial success in protobuf that the official exporter reads', async () => {
    receiver.failNext({ rejected: 1, message: 'too old' });
    await emitOne(new ProtoExporter({ url: receiver.logsUrl }));
    assert.equal(receiver.counts.rejected, 1);
    assert.equal(receiver.counts.accepted, 1);
  });

  it('refuses connections while down and accepts again on the same port after up()', async () => {
    const port = receiver.port;
    await receiver.down();
    await assert.rejects(post(receiver.logsUrl, Buffer.from('{}'), { 'content-type': 'application/json' }), /ECONNREFUSED/);
    await receiver.up();
    assert.equal(receiver.port, port);
    const res = await post(receiver.logsUrl, Buffer.from('{}'), { 'content-type': 'application/json' });
    assert.equal(res.status, 200);
  });

  it('resets the connection for a reset fault and leaves a hung request to close()', async () => {
    receiver.failNext({ reset: true });
    receiver.failNext({ hang: true });
    await assert.rejects(post(receiver.logsUrl, Buffer.from('{}'), { 'content-type': 'application/json' }), /socket hang up|ECONNRESET/);
    const hung = post(receiver.logsUrl, Buffer.from('{}'), { 'content-type': 'application/json' });
    await receiver.waitForRequests(2);
    await receiver.close();
    await assert.rejects(hung);
  });
});
