import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import sinon from 'sinon';
import { propagation, trace } from '@opentelemetry/api';
import { withRequestContext } from '../../src/core/context.ts';
import {
  createPropagatingFetch, formatTraceparent, getPropagationHeaders, injectPropagationHeaders,
  parseTraceparent, propagatingFetch, type FetchLike,
} from '../../src/http/propagation.ts';
import { installTracing, type InstalledTracing } from '../helpers/tracing.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';
const TP = `00-${TRACE}-${SPAN}-01`;
const REMOTE = { traceId: TRACE, spanId: SPAN, traceFlags: 1, isRemote: true as const };

describe('parseTraceparent()', () => {
  it('parses a version-00 header into trace ID, parent span ID and flags', () => {
    assert.deepEqual(parseTraceparent(TP), { ...REMOTE, traceState: undefined });
  });

  it('keeps a valid tracestate and drops one with control or non-ASCII characters', () => {
    assert.equal(parseTraceparent(TP, 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7')?.traceState, 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    assert.equal(parseTraceparent(TP, ['a=1', 'b=2'])?.traceState, 'a=1,b=2');
    assert.equal(parseTraceparent(TP, 'a=1\nb=2')?.traceState, undefined);
    assert.equal(parseTraceparent(TP, 'a=é')?.traceState, undefined);
    assert.equal(parseTraceparent(TP, 'a='.padEnd(600, 'x'))?.traceState, undefined);
  });

  it('ignores surrounding spaces and tabs', () => {
    assert.equal(parseTraceparent(` \t${TP} `)?.traceId, TRACE);
  });

  it('accepts a later version with extra fields after a dash, and not without the dash', () => {
    assert.equal(parseTraceparent(`cc-${TRACE}-${SPAN}-01-what-the-future-will-be-like`)?.traceId, TRACE);
    assert.equal(parseTraceparent(`cc-${TRACE}-${SPAN}-01`)?.traceId, TRACE);
    assert.equal(parseTraceparent(`cc-${TRACE}-${SPAN}-01.x`), undefined);
  });

  it('rejects invalid values', () => {
    const invalid = [
      `ff-${TRACE}-${SPAN}-01`, // version ff
      `00-${TRACE}-${SPAN}-01-extra`, // version 00 must be exactly 55 characters
      `00-${'0'.repeat(32)}-${SPAN}-01`, // all-zero trace ID
      `00-${TRACE}-${'0'.repeat(16)}-01`, // all-zero span ID
      `00-${TRACE.toUpperCase()}-${SPAN}-01`, // uppercase hex
      `00-${TRACE}-${SPAN}-0g`,
      `00_${TRACE}-${SPAN}-01`,
      `00-${TRACE.slice(1)}-${SPAN}-01`,
      `${TP}, ${TP}`, // repeated header joined by node:http
      '', 'garbage', `00-${TRACE}-${SPAN}-01\n`.repeat(20),
    ];
    for (const value of invalid) assert.equal(parseTraceparent(value), undefined, value);
  });

  it('rejects non-strings (arrays from repeated headers)', () => {
    assert.equal(parseTraceparent([TP]), undefined);
    assert.equal(parseTraceparent(undefined), undefined);
    assert.equal(parseTraceparent(42), undefined);
  });

  it('never throws and never accepts a value that formatTraceparent would not produce (any string)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
      const parsed = parseTraceparent(s);
      return parsed === undefined || /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}/.test(s.trim());
    }));
  });
});

describe('formatTraceparent()', () => {
  it('round-trips through parseTraceparent()', () => {
    const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
    fc.assert(fc.property(hex(32).filter((s) => /[^0]/.test(s)), hex(16).filter((s) => /[^0]/.test(s)), fc.integer({ min: 0, max: 255 }),
      (traceId, spanId, traceFlags) => {
        const parsed = parseTraceparent(formatTraceparent({ traceId, spanId, traceFlags }));
        return parsed?.traceId === traceId && parsed.spanId === spanId && parsed.traceFlags === traceFlags;
      }));
  });

  it('writes flags as two lowercase hex digits', () => {
    assert.equal(formatTraceparent({ traceId: TRACE, spanId: SPAN, traceFlags: 0 }), `00-${TRACE}-${SPAN}-00`);
  });
});

describe('getPropagationHeaders()', () => {
  it('is empty outside any request or trace', () => {
    assert.deepEqual(getPropagationHeaders(), {});
  });

  it('carries the request ID, under the configured header name', () => {
    withRequestContext({ requestId: 'r-1' }, () => {
      assert.deepEqual(getPropagationHeaders(), { 'x-request-id': 'r-1' });
      assert.deepEqual(getPropagationHeaders({ requestIdHeader: 'X-Correlation-ID' }), { 'x-correlation-id': 'r-1' });
    });
  });

  it('forwards the caller\'s remote parent and tracestate when no tracing SDK runs', () => {
    withRequestContext({ requestId: 'r-1', trace: { ...REMOTE, traceState: 'a=1' } as never }, () => {
      assert.deepEqual(getPropagationHeaders(), { 'x-request-id': 'r-1', traceparent: TP, tracestate: 'a=1' });
    });
  });

  describe('with a tracing SDK', () => {
    let tracing: InstalledTracing;
    beforeEach(() => { tracing = installTracing(); });
    afterEach(() => tracing.uninstall());

    it('sends the active span as the parent, through the registered propagator', () => {
      trace.getTracer('t').startActiveSpan('client', (span) => {
        const { traceId, spanId } = span.spanContext();
        const headers = withRequestContext({ requestId: 'r-2', trace: REMOTE }, () => getPropagationHeaders());
        assert.equal(headers.traceparent, `00-${traceId}-${spanId}-01`);
        assert.equal(headers['x-request-id'], 'r-2');
        span.end();
      });
    });

    it('formats traceparent itself when no propagator is registered', () => {
      propagation.disable();
      trace.getTracer('t').startActiveSpan('client', (span) => {
        const { traceId, spanId } = span.spanContext();
        assert.equal(getPropagationHeaders().traceparent, `00-${traceId}-${spanId}-01`);
        span.end();
      });
    });
  });
});

describe('injectPropagationHeaders()', () => {
  const inRequest = <T>(fn: () => T): T => withRequestContext({ requestId: 'mine', trace: REMOTE }, fn);

  it('adds the headers to a fetch Headers in place', () => {
    const headers = new Headers({ accept: 'application/json' });
    assert.equal(inRequest(() => injectPropagationHeaders(headers)), headers);
    assert.equal(headers.get('x-request-id'), 'mine');
    assert.equal(headers.get('traceparent'), TP);
  });

  it('never replaces a header the caller set, whatever its case', () => {
    const headers = new Headers({ 'X-Request-ID': 'theirs', TraceParent: 'custom' });
    inRequest(() => injectPropagationHeaders(headers));
    assert.equal(headers.get('x-request-id'), 'theirs');
    assert.equal(headers.get('traceparent'), 'custom');
    const object = inRequest(() => injectPropagationHeaders({ 'X-REQUEST-ID': 'theirs' }));
    assert.deepEqual(object, { 'X-REQUEST-ID': 'theirs', traceparent: TP });
  });

  it('keeps tracestate out when the caller set its own traceparent', () => {
    const out = withRequestContext({ trace: { ...REMOTE, traceState: 'a=1' } as never },
      () => injectPropagationHeaders({ traceparent: 'x' }));
    assert.deepEqual(out, { traceparent: 'x' });
  });

  it('returns a new object or array and leaves the caller\'s alone', () => {
    const object = { accept: 'text/plain' };
    const pairs: Array<[string, string]> = [['accept', 'text/plain']];
    const outObject = inRequest(() => injectPropagationHeaders(object));
    const outPairs = inRequest(() => injectPropagationHeaders(pairs));
    assert.deepEqual(object, { accept: 'text/plain' });
    assert.equal(pairs.length, 1);
    assert.deepEqual(outObject, { accept: 'text/plain', 'x-request-id': 'mine', traceparent: TP });
    assert.deepEqual(outPairs, [['accept', 'text/plain'], ['x-request-id', 'mine'], ['traceparent', TP]]);
  });

  it('treats an object key set to undefined as not set', () => {
    assert.equal(inRequest(() => injectPropagationHeaders({ 'x-request-id': undefined }))['x-request-id'], 'mine');
  });

  it('makes a plain object from undefined', () => {
    assert.deepEqual(inRequest(() => injectPropagationHeaders()), { 'x-request-id': 'mine', traceparent: TP });
  });

  it('sets the headers on a node:http ClientRequest the caller did not set', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const server = http.createServer((req, res) => { seen.push(req.headers); res.end(); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await inRequest(() => new Promise<void>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, headers: { 'X-Request-Id': 'theirs' } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        injectPropagationHeaders(req);
        req.end();
      }));
      assert.equal(seen[0]!['x-request-id'], 'theirs');
      assert.equal(seen[0]!.traceparent, TP);
    } finally {
      server.close();
    }
  });
});

describe('createPropagatingFetch()', () => {
  afterEach(() => sinon.restore());

  it('adds the headers to init.headers without replacing the caller\'s', async () => {
    const fetchFn = sinon.stub<Parameters<FetchLike>, ReturnType<FetchLike>>().resolves(new Response('ok'));
    const wrapped = createPropagatingFetch(fetchFn);
    await withRequestContext({ requestId: 'mine', trace: REMOTE },
      () => wrapped('http://127.0.0.1:1/', { headers: { traceparent: 'theirs' }, method: 'POST' }));
    const init = fetchFn.firstCall.args[1]!;
    const headers = init.headers as Headers;
    assert.equal(init.method, 'POST');
    assert.equal(headers.get('x-request-id'), 'mine');
    assert.equal(headers.get('traceparent'), 'theirs');
  });

  it('keeps the headers of a Request input', async () => {
    const fetchFn = sinon.stub<Parameters<FetchLike>, ReturnType<FetchLike>>().resolves(new Response('ok'));
    await withRequestContext({ requestId: 'mine' },
      () => createPropagatingFetch(fetchFn)(new Request('http://127.0.0.1:1/', { headers: { 'x-request-id': 'theirs', a: 'b' } })));
    const headers = fetchFn.firstCall.args[1]!.headers as Headers;
    assert.equal(headers.get('x-request-id'), 'theirs');
    assert.equal(headers.get('a'), 'b');
  });

  it('calls the global fetch at call time when none is given (propagatingFetch)', async () => {
    const stub = sinon.stub(globalThis, 'fetch').resolves(new Response('ok'));
    await withRequestContext({ requestId: 'mine' }, () => propagatingFetch('http://127.0.0.1:1/'));
    assert.equal((stub.firstCall.args[1]!.headers as Headers).get('x-request-id'), 'mine');
  });

  it('sends the headers over a real connection', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const server = http.createServer((req, res) => { seen.push(req.headers); res.end(); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await withRequestContext({ requestId: 'wire-1', trace: REMOTE }, () => propagatingFetch(`http://127.0.0.1:${port}/`));
      await res.text();
      assert.equal(seen[0]!['x-request-id'], 'wire-1');
      assert.equal(seen[0]!.traceparent, TP);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
