import assert from 'node:assert/strict';
import { SpanKind } from '@opentelemetry/api';
import { captureLogs, type MemorySink } from '../../src/testing/index.ts';
import { createJsonEncoder } from '../../src/encoders/json.ts';
import type { RequestContextOptions } from '../../src/http/core.ts';
import { PHASES, WORK_ROUTE, rawRequest, startApp, type Framework, type RunningApp } from '../helpers/http-apps.ts';
import { installTracing } from '../helpers/tracing.ts';
import { describeCanonicalLine } from './canonical-line-suite.ts';

/**
 * The behaviours every HTTP adapter shares, run against a real server of
 * each framework on 127.0.0.1 (see test/helpers/http-apps.ts).
 */

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE}-${SPAN}-01`;

/** Runs `fn` against a fresh app, capturing every record made meanwhile. */
async function withApp(framework: Framework, options: RequestContextOptions,
  fn: (app: RunningApp) => Promise<void>): Promise<MemorySink> {
  return captureLogs(async () => {
    const app = await startApp(framework, options);
    try {
      await fn(app);
    } finally {
      await app.close();
    }
  });
}

function byBody(sink: MemorySink, body: string) {
  return sink.records.filter((r) => r.body === body);
}

export function describeAdapter(framework: Framework): void {
  describeCanonicalLine(framework);

  describe('request IDs', () => {
    it('uses a valid incoming X-Request-ID for every record and echoes it', async () => {
      let echoed: string | null = null;
      const sink = await withApp(framework, {}, async (app) => {
        const res = await fetch(`${app.url}/work/1`, { headers: { 'X-Request-ID': 'abc-123' } });
        echoed = res.headers.get('x-request-id');
        assert.deepEqual(await res.json(), { requestId: 'abc-123' });
      });
      assert.equal(echoed, 'abc-123');
      assert.deepEqual(sink.records.map((r) => r.body), [...PHASES]);
      for (const record of sink.records) assert.equal(record.requestId, 'abc-123', record.body);
    });

    it('generates a UUIDv7 when there is no incoming ID, and echoes it', async () => {
      let echoed: string | null = null;
      const sink = await withApp(framework, {}, async (app) => {
        const res = await fetch(`${app.url}/id`);
        echoed = res.headers.get('x-request-id');
        await res.arrayBuffer();
      });
      assert.match(String(echoed), UUID_V7);
      assert.equal(byBody(sink, 'id')[0]?.requestId, echoed);
    });

    it('reads the configured header names, in order', async () => {
      let echoed: string | null = null;
      const sink = await withApp(framework, { headers: ['X-Correlation-ID', 'X-Request-ID'] }, async (app) => {
        const res = await fetch(`${app.url}/id`, { headers: { 'x-correlation-id': 'corr-1', 'x-request-id': 'req-1' } });
        echoed = res.headers.get('x-correlation-id');
        await res.arrayBuffer();
      });
      assert.equal(echoed, 'corr-1');
      assert.equal(byBody(sink, 'id')[0]?.requestId, 'corr-1');
    });

    it('keeps a header the handler set and can turn the echo off', async () => {
      const sink = await withApp(framework, { responseHeader: false }, async (app) => {
        const res = await fetch(`${app.url}/id`, { headers: { 'x-request-id': 'quiet-1' } });
        assert.equal(res.headers.get('x-request-id'), null);
        await res.arrayBuffer();
      });
      assert.equal(byBody(sink, 'id')[0]?.requestId, 'quiet-1');
    });

    it('rejects hostile header values, which never reach a record or the response', async () => {
      const hostile: Array<Array<string | Buffer>> = [
        [`X-Request-ID: HOSTILEa${'a'.repeat(200)}`],
        ['X-Request-ID: HOSTILEb with spaces'],
        ['X-Request-ID: HOSTILEc\x01ctl'],
        [Buffer.concat([Buffer.from('X-Request-ID: HOSTILEd'), Buffer.from('é☃', 'utf8')])],
        ['X-Request-ID: HOSTILEe1', 'X-Request-ID: HOSTILEe2'],
        ['X-Request-ID: HOSTILEf"},{"level":"FATAL","message":"forged'],
        ['X-Request-ID: HOSTILEg${jndi:ldap://127.0.0.1/x}'],
        ['X-Request-ID: HOSTILEh', ' folded'],
        ['X-Request-ID: HOSTILEi<script>'],
      ];
      const responses: string[] = [];
      const sink = await withApp(framework, { accessLog: true }, async (app) => {
        for (const lines of hostile) {
          const res = await rawRequest(app.port, '/id', lines);
          responses.push(JSON.stringify(res));
          if (res.status === 400) continue; // the HTTP parser refused it before any handler ran
          assert.equal(res.status, 200, JSON.stringify(lines));
          const echoed = res.headers.find(([name]) => name === 'x-request-id')?.[1];
          assert.match(String(echoed), UUID_V7, JSON.stringify(lines));
        }
      });
      const ids = byBody(sink, 'id');
      assert.ok(ids.length >= 5, `only ${ids.length} requests reached the handler`);
      for (const record of ids) {
        assert.match(String(record.requestId), UUID_V7);
        assert.equal(record.allAttributes['request.id.rejected'], true);
      }
      const encode = createJsonEncoder();
      const output = sink.records.map((r) => encode(r)).join('') + responses.join('\n');
      assert.equal(output.includes('HOSTILE'), false, 'a hostile value reached the output');
    });
  });

  describe('concurrency', () => {
    it('gives every record of 500 overlapping requests its own request ID, none missing', async function () {
      this.timeout(20_000);
      const count = 500;
      const answers: Array<{ requestId?: string }> = [];
      const sink = await withApp(framework, { accessLog: true }, async (app) => {
        await Promise.all(Array.from({ length: count }, async (_, n) => {
          const res = await fetch(`${app.url}/work/${n}?delay=${Math.floor(Math.random() * 8)}`,
            { headers: { 'x-request-id': `c-${n}` } });
          answers[n] = await res.json() as { requestId?: string };
        }));
      });
      const perRequest = new Map<number, string[]>();
      for (const record of sink.records) {
        if (record.scope === 'http.server') {
          assert.equal(record.requestId, `c-${String(record.allAttributes['url.path']).split('/')[2]}`);
          continue;
        }
        const n = Number(record.allAttributes.n);
        assert.equal(record.requestId, `c-${n}`, `record ${record.body} of request ${n}`);
        let phases = perRequest.get(n);
        if (phases === undefined) perRequest.set(n, phases = []);
        phases.push(record.body);
      }
      assert.equal(perRequest.size, count);
      for (const [n, phases] of perRequest) assert.deepEqual(phases, [...PHASES], `request ${n}`);
      assert.equal(sink.find('http.server.request').length, count);
      answers.forEach((answer, n) => assert.equal(answer.requestId, `c-${n}`));
    });
  });

  describe('request lifecycle', () => {
    it('keeps the context through request body parsing', async () => {
      const sink = await withApp(framework, {}, async (app) => {
        const res = await fetch(`${app.url}/echo`, {
          method: 'POST', body: JSON.stringify({ n: 5 }),
          headers: { 'content-type': 'application/json', 'x-request-id': 'body-1' },
        });
        assert.equal(res.status, 200);
        await res.arrayBuffer();
      });
      const [record] = byBody(sink, 'body received');
      assert.equal(record?.allAttributes.n, 5);
      assert.equal(record?.requestId, 'body-1');
    });

    it('keeps the context when the body arrives after the headers, in a later packet', async () => {
      const sink = await withApp(framework, {}, async (app) => {
        const res = await rawRequest(app.port, '/echo', ['X-Request-ID: slow-body-1'], { text: '{"n":6}', delayMs: 30 });
        assert.equal(res.status, 200);
      });
      const [record] = byBody(sink, 'body received');
      assert.equal(record?.allAttributes.n, 6);
      assert.equal(record?.requestId, 'slow-body-1');
    });

    it('echoes the ID on an error response and logs it with status 500', async () => {
      let echoed: string | null = null;
      const sink = await withApp(framework, { accessLog: true }, async (app) => {
        const res = await fetch(`${app.url}/fail`, { headers: { 'x-request-id': 'err-1' } });
        echoed = res.headers.get('x-request-id');
        assert.equal(res.status, 500);
        await res.arrayBuffer();
      });
      assert.equal(echoed, 'err-1');
      const [access] = sink.find('http.server.request');
      assert.equal(access?.requestId, 'err-1');
      assert.equal(access?.allAttributes['http.response.status_code'], 500);
      assert.equal(access?.severityText, 'ERROR');
    });

    it('writes one access-log record with OpenTelemetry HTTP attribute names', async () => {
      const sink = await withApp(framework, { accessLog: true }, async (app) => {
        await (await fetch(`${app.url}/work/7?delay=0&secret=x`, { headers: { 'x-request-id': 'acc-1' } })).arrayBuffer();
      });
      const access = sink.find('http.server.request');
      assert.equal(access.length, 1);
      const attributes = access[0]!.allAttributes;
      assert.equal(access[0]!.requestId, 'acc-1');
      assert.equal(access[0]!.scope, 'http.server');
      assert.equal(attributes['http.request.method'], 'GET');
      assert.equal(attributes['url.path'], '/work/7');
      assert.equal(attributes['url.scheme'], 'http');
      assert.equal(attributes['http.route'], WORK_ROUTE);
      assert.equal(attributes['http.response.status_code'], 200);
      const duration = attributes['http.server.request.duration'];
      assert.ok(typeof duration === 'number' && duration >= 0 && duration < 10, String(duration));
    });

    it('writes no access-log record unless asked', async () => {
      const sink = await withApp(framework, {}, async (app) => {
        await (await fetch(`${app.url}/id`)).arrayBuffer();
      });
      assert.equal(sink.find('http.server.request').length, 0);
    });
  });

  describe('trace correlation', () => {
    it('without a tracing SDK, gives records the caller\'s trace from traceparent', async () => {
      const sink = await withApp(framework, {}, async (app) => {
        await (await fetch(`${app.url}/id`, { headers: { traceparent: TRACEPARENT } })).arrayBuffer();
      });
      const [record] = byBody(sink, 'id');
      assert.equal(record?.trace?.traceId, TRACE);
      assert.equal(record?.trace?.spanId, SPAN);
      assert.equal(record?.trace?.traceFlags, 1);
    });

    it('with a tracing SDK, makes the server span a child of traceparent, tagged with request.id', async () => {
      const tracing = installTracing();
      try {
        const sink = await withApp(framework, {}, async (app) => {
          await (await fetch(`${app.url}/work/3`, { headers: { traceparent: TRACEPARENT, 'x-request-id': 'span-1' } })).arrayBuffer();
        });
        const spans = tracing.exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER);
        assert.equal(spans.length, 1);
        const span = spans[0]!;
        assert.equal(span.spanContext().traceId, TRACE);
        assert.equal(span.parentSpanContext?.spanId, SPAN);
        assert.equal(span.attributes['request.id'], 'span-1');
        assert.equal(span.attributes['http.response.status_code'], 200);
        assert.equal(span.name, `GET ${WORK_ROUTE}`);
        assert.equal(sink.records.length, PHASES.length);
        for (const record of sink.records) {
          assert.equal(record.trace?.traceId, TRACE);
          assert.equal(record.trace?.spanId, span.spanContext().spanId);
        }
      } finally {
        await tracing.uninstall();
      }
    });
  });
}
