import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SpanKind, trace } from '@opentelemetry/api';
import { getLogger, getRequestContext, getRequestId } from '../../src/index.ts';
import { createRequestCore, RequestCore, type IncomingRequest } from '../../src/http/core.ts';
import { requestContext } from '../../src/http/node.ts';
import { RequestIdSpanProcessor } from '../../src/otel/request-id-span-processor.ts';
import { captureLogs } from '../../src/testing/index.ts';
import { installTracing, type InstalledTracing } from '../helpers/tracing.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE}-${SPAN}-01`;

function request(headers: Record<string, string | string[]> = {}): IncomingRequest {
  return { method: 'GET', path: '/x', header: (name) => headers[name] };
}

describe('RequestCore', () => {
  describe('constructor', () => {
    it('throws a TypeError for an empty or invalid header list', () => {
      assert.throws(() => createRequestCore({ headers: [] }), TypeError);
      assert.throws(() => createRequestCore({ headers: ['bad header'] }), TypeError);
    });
  });

  describe('begin()', () => {
    it('takes the first valid ID among the configured headers', () => {
      const core = createRequestCore({ headers: ['x-request-id', 'x-correlation-id'] });
      assert.equal(core.begin(request({ 'x-correlation-id': 'c-1' })).requestId, 'c-1');
      const scope = core.begin(request({ 'x-request-id': 'bad value', 'x-correlation-id': 'c-2' }));
      assert.equal(scope.requestId, 'c-2');
      assert.equal(scope.rejected, false);
    });

    it('accepts a one-element array and rejects repeated values', () => {
      const core = createRequestCore();
      assert.equal(core.begin(request({ 'x-request-id': ['one'] })).requestId, 'one');
      const scope = core.begin(request({ 'x-request-id': ['one', 'two'] }));
      assert.match(scope.requestId, UUID_V7);
      assert.equal(scope.rejected, true);
    });

    it('marks a rejected ID on every record of the request, without its value', async () => {
      const scope = createRequestCore().begin(request({ 'x-request-id': 'x'.repeat(300) }));
      const sink = await captureLogs(() => scope.run(() => getLogger('t').info('hello')));
      assert.equal(sink.records[0]!.requestId, scope.requestId);
      assert.deepEqual(sink.records[0]!.contextAttributes, { 'request.id.rejected': true });
    });

    it('uses generateId and isValidId when given', () => {
      const core = createRequestCore({ generateId: () => 'gen-1', isValidId: (v) => v.startsWith('ok') });
      assert.equal(core.begin(request({ 'x-request-id': 'ok-1' })).requestId, 'ok-1');
      assert.equal(core.begin(request({ 'x-request-id': 'nope' })).requestId, 'gen-1');
    });

    it('does not reuse the trace ID as request ID by default', () => {
      const scope = createRequestCore().begin(request({ traceparent: TRACEPARENT }));
      assert.match(scope.requestId, UUID_V7);
    });

    it('reuses the caller\'s trace ID as request ID with traceIdAsRequestId', () => {
      const core = createRequestCore({ traceIdAsRequestId: true });
      assert.equal(core.begin(request({ traceparent: TRACEPARENT })).requestId, TRACE);
      assert.equal(core.begin(request({ traceparent: TRACEPARENT, 'x-request-id': 'given' })).requestId, 'given');
      assert.match(core.begin(request()).requestId, UUID_V7);
    });

    it('ignores traceparent when traceparent is false', async () => {
      const scope = createRequestCore({ traceparent: false }).begin(request({ traceparent: TRACEPARENT }));
      const sink = await captureLogs(() => scope.run(() => getLogger('t').info('hello')));
      assert.equal(sink.records[0]!.trace, undefined);
    });

    it('binds the request context with run() for what runs inside only', () => {
      const scope = createRequestCore().begin(request({ 'x-request-id': 'inside' }));
      assert.equal(scope.run(() => getRequestId()), 'inside');
      assert.equal(getRequestId(), undefined);
      assert.equal(getRequestContext(), undefined);
    });
  });

  describe('with a tracing SDK', () => {
    let tracing: InstalledTracing;
    afterEach(() => tracing.uninstall());

    it('tags the span already active (HTTP instrumentation) and starts none', async () => {
      tracing = installTracing();
      trace.getTracer('instrumentation').startActiveSpan('GET', (span) => {
        const scope = createRequestCore().begin(request({ 'x-request-id': 'tag-1' }));
        scope.run(() => assert.equal(trace.getActiveSpan(), span));
        scope.end({ statusCode: 200 });
        span.end();
      });
      const spans = tracing.exporter.getFinishedSpans();
      assert.equal(spans.length, 1);
      assert.equal(spans[0]!.attributes['request.id'], 'tag-1');
    });

    it('uses the new server span\'s trace ID with traceIdAsRequestId and no traceparent', async () => {
      tracing = installTracing();
      const scope = createRequestCore({ traceIdAsRequestId: true }).begin(request());
      const traceId = scope.run(() => trace.getActiveSpan()?.spanContext().traceId);
      scope.end({ statusCode: 200 });
      assert.equal(scope.requestId, traceId);
      assert.match(scope.requestId, /^[0-9a-f]{32}$/);
    });

    it('with span: false, starts no span but makes the handler\'s spans children of traceparent', () => {
      tracing = installTracing();
      const scope = createRequestCore({ span: false }).begin(request({ traceparent: TRACEPARENT }));
      scope.run(() => trace.getTracer('app').startSpan('work').end());
      scope.end({ statusCode: 200 });
      const spans = tracing.exporter.getFinishedSpans();
      assert.deepEqual(spans.map((s) => s.name), ['work']);
      assert.equal(spans[0]!.spanContext().traceId, TRACE);
      assert.equal(spans[0]!.parentSpanContext?.spanId, SPAN);
    });

    it('joins traceparent even when no propagator is registered', () => {
      tracing = installTracing({ propagator: false });
      const scope = createRequestCore().begin(request({ traceparent: TRACEPARENT }));
      scope.run(() => undefined);
      scope.end({ statusCode: 503 });
      const [span] = tracing.exporter.getFinishedSpans();
      assert.equal(span?.kind, SpanKind.SERVER);
      assert.equal(span?.spanContext().traceId, TRACE);
      assert.equal(span?.status.code, 2);
    });

    it('RequestIdSpanProcessor tags every span started inside the request', () => {
      tracing = installTracing({ processors: [new RequestIdSpanProcessor()] });
      const scope = createRequestCore().begin(request({ 'x-request-id': 'proc-1' }));
      scope.run(() => trace.getTracer('app').startActiveSpan('db', (span) => span.end()));
      scope.end({ statusCode: 200 });
      trace.getTracer('app').startSpan('outside').end();
      const byName = new Map(tracing.exporter.getFinishedSpans().map((s) => [s.name, s]));
      assert.equal(byName.get('db')?.attributes['request.id'], 'proc-1');
      assert.equal(byName.get('outside')?.attributes['request.id'], undefined);
    });
  });
});

describe('RequestScope', () => {
  describe('end()', () => {
    it('writes the access-log record once, inside the request context, with the route from http.route', async () => {
      const core = new RequestCore({ accessLog: { logger: 'access' } });
      const scope = core.begin(request({ 'x-request-id': 'end-1' }));
      const sink = await captureLogs(() => {
        scope.run(() => getLogger('t').info('work'));
        // Called from outside the request: end() re-enters its context.
        scope.end({ statusCode: 404, route: '/x/:id' });
        scope.end({ statusCode: 500 });
      });
      const access = sink.find('http.server.request');
      assert.equal(access.length, 1);
      assert.equal(access[0]!.scope, 'access');
      assert.equal(access[0]!.requestId, 'end-1');
      assert.equal(access[0]!.body, 'GET /x/:id 404');
      assert.equal(access[0]!.severityText, 'INFO');
    });
  });
});

describe('requestContext() (logbridge/node) edge cases', () => {
  async function serve(handler: http.RequestListener): Promise<{ server: http.Server; port: number }> {
    const server = http.createServer(requestContext(handler, { accessLog: true }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, port: (server.address() as AddressInfo).port };
  }

  it('never replaces an x-request-id the handler set on the response', async () => {
    const { server, port } = await serve((_req, res) => { res.setHeader('X-Request-ID', 'handler-set'); res.end(); });
    try {
      let echoed: string | null = null;
      await captureLogs(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-request-id': 'incoming' } });
        await res.arrayBuffer();
        echoed = res.headers.get('x-request-id');
      });
      assert.equal(echoed, 'handler-set');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('logs an aborted request (client gone) with its ID and error.type "aborted"', async () => {
    let finish: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => { finish = resolve; });
    const { server, port } = await serve((_req, res) => {
      res.once('close', () => setImmediate(finish));
    });
    try {
      const sink = await captureLogs(async () => {
        const socket = net.connect(port, '127.0.0.1');
        socket.write('GET /slow HTTP/1.1\r\nHost: x\r\nX-Request-ID: gone-1\r\n\r\n');
        await new Promise((resolve) => setTimeout(resolve, 30));
        socket.destroy();
        await ended;
      });
      const [access] = sink.find('http.server.request');
      assert.equal(access?.requestId, 'gone-1');
      assert.equal(access?.allAttributes['error.type'], 'aborted');
      assert.equal(access?.severityText, 'ERROR');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
