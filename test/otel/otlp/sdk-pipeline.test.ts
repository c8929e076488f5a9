import assert from 'node:assert/strict';
import { createOtlpSink } from '../../../src/sinks/otlp.ts';
import type { Sink } from '../../../src/core/sink.ts';
import type { LogRecord } from '../../../src/core/record.ts';
import { makeRecord, TRACE } from '../../encoders/record-fixture.ts';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedLogRecord } from '../../helpers/otlp-receiver.ts';

/**
 * The official pipeline (`LOGBRIDGE_OTLP_PIPELINE=sdk`: sdk-logs LoggerProvider + BatchLogRecordProcessor +
 * the official OTLPLogExporter) against the default one, both to a real receiver on 127.0.0.1 that decodes
 * with its own schema: the same records must arrive, field for field, time included.
 */

const bindings = { attributes: Object.freeze({ region: 'eu', tier: 'gold' }), keys: new Set(['region', 'tier']) };
const base = Date.UTC(2026, 10, 28, 9, 14, 3);

function records(): LogRecord[] {
  return [
    makeRecord({ time: base + 123.456, body: 'plain' }),
    // sub-microsecond float noise: both pipelines must round it the same way
    makeRecord({ time: base + 999.9996, body: 'rounds up into the next second', scope: 'orders.db' }),
    makeRecord({ time: base + 1.0004999, body: 'rounds down', severityNumber: 13, severityText: 'WARN' }),
    makeRecord({
      time: base + 7.25, severityNumber: 17, severityText: 'ERROR', scope: 'orders.db', body: 'payment failed', eventName: 'payment.failed',
      bindings, contextAttributes: { tenant: 't-1' },
      attributes: {
        count: 3, ratio: 0.5, ok: false, nested: { a: { b: ['x', 2] } }, list: [1, 'two', null], bytes: new Uint8Array([0, 255]),
        'request.id': 'forged', tier: 'platinum', unicode: 'zürich ✓ 𝄞', big: 2 ** 52 + 1, neg: -42,
      },
      requestId: 'req-42',
      exception: { type: 'ValidationError', message: 'bad card', stacktrace: 'ValidationError: bad card\n    at x (y.js:1:1)',
        attributes: { 'exception.code': 'E_CARD' } },
      trace: TRACE,
    }),
    makeRecord({ time: base + 8, body: 'unsampled span', trace: { ...TRACE, traceFlags: 0 }, attributes: { empty: '' } }),
    makeRecord({ time: base + 9, body: 'bound only', bindings }),
  ];
}

/** What a pipeline delivers: the records, without the resource's per-sink instance ID, in body order. */
async function deliver(receiver: OtlpReceiver, pipeline: 'logbridge' | 'sdk', protocol: 'http/protobuf' | 'http/json'): Promise<unknown[]> {
  receiver.clear();
  const sink: Sink = createOtlpSink({
    url: receiver.logsUrl, protocol, pipeline, scheduleDelayMillis: 10, useGlobalProvider: false,
    env: { OTEL_SERVICE_NAME: 'pipeline-test' }, resource: { 'deployment.environment.name': 'test' },
  });
  const input = records();
  for (const record of input) sink.emit(record);
  await sink.flush?.();
  const received = await receiver.waitForRecords(input.length);
  await sink.shutdown?.();
  assert.equal(receiver.requests[0]?.contentType, protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
  // who sent it: logbridge's transport, or the official exporter
  assert.match(String(receiver.requests[0]?.headers['user-agent']), pipeline === 'sdk' ? /^OTel-OTLP-Exporter-JavaScript\// : /^logbridge\//);
  return received.map(({ encoding: _encoding, resource, ...rest }: ReceivedLogRecord) => {
    const { 'service.instance.id': id, ...others } = resource;
    assert.equal(typeof id, 'string');
    return { resource: others, ...rest };
  }).sort((a, b) => String(a.body).localeCompare(String(b.body)));
}

describe('the official SDK pipeline (LOGBRIDGE_OTLP_PIPELINE=sdk)', function () {
  this.timeout(20_000);
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(() => receiver.close());

  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    it(`delivers the same records as the default pipeline over ${protocol}`, async () => {
      const ours = await deliver(receiver, 'logbridge', protocol);
      const official = await deliver(receiver, 'sdk', protocol);
      assert.equal(ours.length, records().length);
      assert.deepEqual(official, ours);
      const failed = ours.find((r) => (r as { body: unknown }).body === 'payment failed') as ReceivedLogRecord;
      // the mapping's decisions, seen on the wire
      assert.equal(failed.attributes['request.id'], 'req-42');
      assert.equal(failed.attributes['attr.request.id'], 'forged');
      assert.equal(failed.attributes['exception.type'], 'ValidationError');
      assert.equal(failed.attributes.tier, 'platinum');
      assert.equal(failed.eventName, 'payment.failed');
      assert.equal(failed.resource['deployment.environment.name'], 'test');
    });
  }

  it('loads the SDK and its exporter only when chosen and a record arrives', async () => {
    const sink = createOtlpSink({ url: receiver.logsUrl, pipeline: 'sdk', useGlobalProvider: false, env: {} });
    assert.deepEqual(sink.stats?.(), { name: 'otlp', received: 0, exported: 0, dropped: {} });
    await sink.flush?.(); // nothing loaded, nothing to wait for
    await sink.shutdown?.();
    sink.emit(makeRecord());
    assert.deepEqual(sink.stats?.().dropped, { shutdown: 1 });
  });
});
