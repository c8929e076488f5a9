import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, parseLines, runFile } from '../helpers/run-node.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { startOtlpTraceReceiver, type OtlpTraceReceiver, type ReceivedSpan } from '../helpers/otlp-trace-receiver.ts';

/**
 * Two traced services (test/integration/traced-services/app.ts) configured
 * by the environment alone: span events reach an independent OTLP traces
 * receiver on the spans that were active, and every request gives exactly
 * one canonical line per service, on stdout and at an OTLP logs receiver.
 */
describe('traced services: span events and canonical lines (integration)', () => {
  let logs: OtlpReceiver;
  let traces: OtlpTraceReceiver;
  let lines: Array<Record<string, unknown>>;
  let stderr: string;
  before(async function () {
    this.timeout(30_000);
    logs = await startOtlpReceiver();
    traces = await startOtlpTraceReceiver();
    const result = await runFile(join(ROOT, 'test/integration/traced-services/app.ts'), {
      env: {
        TRACES_URL: `${traces.url}/v1/traces`, OTEL_EXPORTER_OTLP_ENDPOINT: logs.url, OTEL_LOGS_EXPORTER: undefined,
        LOGBRIDGE_FORMAT: 'json', LOGBRIDGE_SPAN_EVENTS: 'on',
      },
    });
    assert.equal(result.code, 0, result.stderr);
    stderr = result.stderr;
    lines = parseLines(result.stdout);
  });
  after(async () => {
    await logs.close();
    await traces.close();
  });

  function serverSpan(requestId: string, service: 'shop' | 'inventory'): ReceivedSpan {
    const path = service === 'shop' ? '/order/' : '/stock/';
    const span = traces.spans.find((s) => s.attributes['request.id'] === requestId && String(s.attributes['url.path']).startsWith(path));
    assert.ok(span, `no ${service} span for ${requestId}: ${traces.spans.map((s) => `${s.name} ${String(s.attributes['url.path'])}`).join(', ')}`);
    return span;
  }

  it('adds warn, error and event records as span events of the spans they were logged in', () => {
    assert.ok(traces.spans.length >= 8, `${traces.spans.length} spans`);
    const backBad = serverSpan('req-bad', 'inventory');
    assert.deepEqual(backBad.events.map((e) => e.name), ['stock.checked', 'exception']);
    assert.equal(backBad.events[0]!.attributes['item.id'], 'bad');
    assert.equal(backBad.events[1]!.attributes['exception.type'], 'RangeError');
    const frontBad = serverSpan('req-bad', 'shop');
    assert.deepEqual(frontBad.events.map((e) => e.name), ['log.warn']);
    assert.equal(frontBad.events[0]!.attributes['log.message'], 'stock unknown');
    assert.equal(backBad.traceId, frontBad.traceId);
    const frontOk = serverSpan('req-a1', 'shop');
    assert.deepEqual(frontOk.events, [], 'info records are not bridged by default');
    assert.deepEqual(serverSpan('req-a1', 'inventory').events.map((e) => e.name), ['stock.checked']);
  });

  it('writes exactly one canonical line per request and service on stdout, including the failed and the aborted one', () => {
    assert.match(stderr, /REQUESTS 4/);
    const canonical = lines.filter((l) => l.event_name === 'http.server.request');
    for (const scope of ['shop.http', 'inventory.http']) {
      const mine = canonical.filter((l) => l.scope === scope);
      assert.deepEqual(mine.map((l) => l['request.id']).sort(), ['req-a1', 'req-b2', 'req-bad', 'req-slow'], scope);
      for (const line of mine) {
        assert.match(String(line.trace_id), /^[0-9a-f]{32}$/);
        assert.equal(typeof line['http.server.request.duration'], 'number');
        assert.match(String(line['http.route'] ?? line.message), /./);
      }
    }
    const byKey = new Map(canonical.map((l) => [`${String(l.scope)} ${String(l['request.id'])}`, l]));
    assert.equal(byKey.get('shop.http req-a1')!['http.response.status_code'], 200);
    assert.equal(byKey.get('shop.http req-a1')!['order.item'], 'a1');
    assert.equal(byKey.get('shop.http req-a1')!['logbridge.records.info'], 1);
    const bad = byKey.get('shop.http req-bad')!;
    assert.equal(bad['http.response.status_code'], 502);
    assert.equal(bad['logbridge.records.warn'], 1);
    const backBad = byKey.get('inventory.http req-bad')!;
    assert.equal(backBad['http.response.status_code'], 500);
    assert.equal(backBad['error.type'], 'RangeError');
    assert.equal(backBad['logbridge.first_error.message'], 'no such shelf');
    const slow = byKey.get('shop.http req-slow')!;
    assert.equal(slow['error.type'], 'aborted');
    assert.equal(slow['http.response.status_code'], undefined);
    assert.equal(byKey.get('inventory.http req-slow')!['http.response.status_code'], 200);
  });

  it('sends the same canonical lines to the OTLP logs receiver', async () => {
    const records = await logs.waitForRecords(lines.length);
    const canonical = records.filter((r) => r.eventName === 'http.server.request');
    assert.equal(canonical.length, 8);
    const keys = canonical.map((r) => `${r.scope.name} ${String(r.attributes['request.id'])} ${String(r.attributes['http.response.status_code'] ?? r.attributes['error.type'])}`).sort();
    assert.deepEqual(keys, [
      'inventory.http req-a1 200', 'inventory.http req-b2 200', 'inventory.http req-bad 500', 'inventory.http req-slow 200',
      'shop.http req-a1 200', 'shop.http req-b2 200', 'shop.http req-bad 502', 'shop.http req-slow aborted',
    ]);
  });
});
