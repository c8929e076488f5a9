/**
 * Scenario 3 — the normal case in a service: the scenario-1 call made inside
 * an active span (OTel sdk-trace TracerProvider, AsyncLocalStorage context
 * manager, random 32/16-hex IDs) and a request context (a UUIDv7 request ID
 * and two request attributes), in two shapes:
 *
 * - `steady`: one span and one request for the whole run (every cache hits);
 * - `rotating`: a new span and a new request every event-loop turn (100
 *   records), as a server handles one request after another.
 *
 * logbridge reads both contexts by itself; pino gets the same fields the
 * way @opentelemetry/instrumentation-pino adds them (a mixin reading the
 * active span and the application's AsyncLocalStorage); the correlated
 * floor writes the same members from a string made once per request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Bench, Case, Scenario } from '../harness/types.ts';
import { VARIANTS } from '../harness/variants.ts';
import * as lib from '../harness/libraries.ts';
import { uuidv7 } from '../harness/ids.ts';
import { correlationMembers, floorBench } from './floor.ts';

const variant = VARIANTS.attrs3!;
type Api = typeof import('@opentelemetry/api');
type Shape = 'steady' | 'rotating';

/** Request attributes as a service binds them (user, route); frozen, as setRequestAttributes makes them. */
const REQUEST_ATTRIBUTES = Object.freeze({ 'user.id': 'u-42', 'http.route': '/orders/:id' });
const REQUEST_MEMBERS = ',"user.id":"u-42","http.route":"/orders/:id"';

/** One request as the scenario sees it: its span's context and its request ID. */
interface Request {
  readonly ctx: import('@opentelemetry/api').Context;
  readonly traceId: string;
  readonly spanId: string;
  readonly requestId: string;
}

/** Registers a TracerProvider (random IDs) and the ALS context manager; returns a maker of requests. */
async function startTracing(): Promise<{ api: Api; newRequest: () => Request }> {
  const api = await import('@opentelemetry/api');
  const { TracerProvider } = await import('@opentelemetry/sdk-trace');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const provider = new TracerProvider();
  api.trace.setGlobalTracerProvider(provider);
  const tracer = provider.getTracer('bench');
  return {
    api,
    newRequest: () => {
      const span = tracer.startSpan('GET /orders/:id');
      const sc = span.spanContext();
      return { ctx: api.trace.setSpan(api.context.active(), span), traceId: sc.traceId, spanId: sc.spanId, requestId: uuidv7() };
    },
  };
}

/** Runs each turn of `bench` inside a request: the same one (steady) or a new one per turn (rotating). */
function perTurn(bench: Bench, shape: Shape, newRequest: () => Request, enter: (r: Request, fn: () => void) => void): Bench {
  let current = newRequest();
  return {
    loop: (start, count) => {
      if (shape === 'rotating') current = newRequest();
      enter(current, () => bench.loop(start, count));
    },
    end: () => bench.end(),
  };
}

async function logbridgeCase(shape: Shape): Promise<Bench> {
  const { api, newRequest } = await startTracing();
  const { withRequestContext } = await lib.loadLogbridge();
  const bench = await lib.logbridge(variant);
  return perTurn(bench, shape, newRequest, (r, fn) =>
    api.context.with(r.ctx, () => withRequestContext({ requestId: r.requestId, attributes: REQUEST_ATTRIBUTES }, fn)));
}

/** What @opentelemetry/instrumentation-pino's mixin adds, plus the application's request fields. */
function correlationMixin(api: Api, store: AsyncLocalStorage<string>): () => Record<string, unknown> {
  return () => {
    const out: Record<string, unknown> = {};
    const span = api.trace.getSpan(api.context.active());
    if (span !== undefined) {
      const sc = span.spanContext();
      out.trace_id = sc.traceId;
      out.span_id = sc.spanId;
      out.trace_flags = `0${sc.traceFlags.toString(16)}`;
    }
    const requestId = store.getStore();
    if (requestId !== undefined) {
      out['request.id'] = requestId;
      Object.assign(out, REQUEST_ATTRIBUTES);
    }
    return out;
  };
}

async function pinoCase(shape: Shape, destination: 'default' | 'sync'): Promise<Bench> {
  const { api, newRequest } = await startTracing();
  const store = new AsyncLocalStorage<string>();
  const bench = await lib.pino(variant, destination, 'info', correlationMixin(api, store));
  return perTurn(bench, shape, newRequest, (r, fn) => api.context.with(r.ctx, () => store.run(r.requestId, fn)));
}

async function floorCase(shape: Shape): Promise<Bench> {
  const { api, newRequest } = await startTracing();
  let members = '';
  const bench = floorBench(() => members);
  return perTurn(bench, shape, newRequest, (r, fn) => {
    // Made once per request: the floor's correlation costs one string per request, not per line.
    members = correlationMembers(r.traceId, r.spanId, r.requestId, REQUEST_MEMBERS);
    api.context.with(r.ctx, fn);
  });
}

const correlated = ['"trace_id":"', '"span_id":"', 'request.id', 'u-42', 'order placed'];
const plain = ['order placed', 'checkout'];

function shapeCases(shape: Shape): Case[] {
  return [
    { id: `${shape}/logbridge`, variant: shape, library: 'logbridge (span + request ID + 2 request attributes)', mustContain: correlated,
      setup: () => logbridgeCase(shape) },
    { id: `${shape}/pino`, variant: shape, library: 'pino (default destination) + mixin', reference: shape === 'steady',
      mustContain: correlated, setup: () => pinoCase(shape, 'default') },
    { id: `${shape}/pino-sync`, variant: shape, library: 'pino sync:true + mixin', mustContain: correlated,
      setup: () => pinoCase(shape, 'sync') },
    { id: `${shape}/floor`, variant: shape, library: 'the correlated floor (same members, one string per request)',
      mustContain: correlated, setup: () => floorCase(shape) },
  ];
}

const cases: Case[] = [
  ...shapeCases('steady'),
  ...shapeCases('rotating'),
  // The plain references, interleaved with the cases above so that machine drift hits them alike.
  { id: 'reference/logbridge', variant: 'reference', library: 'logbridge, no correlation', mustContain: plain,
    setup: () => lib.logbridge(variant) },
  { id: 'reference/pino', variant: 'reference', library: 'pino (default destination), no correlation', mustContain: plain,
    setup: () => lib.pino(variant, 'default') },
  { id: 'reference/pino-sync', variant: 'reference', library: 'pino sync:true, no correlation', mustContain: plain,
    setup: () => lib.pino(variant, 'sync') },
  { id: 'reference/floor', variant: 'reference', library: 'the plain floor (scenario 5), same line', mustContain: plain,
    setup: async () => floorBench() },
];

export const scenario: Scenario = {
  name: 'correlated',
  title: 'Scenario 3 — inside an active span and a request (steady: one for the run; rotating: a new one every 100 records)',
  unit: 'record',
  count: 30_000,
  warmup: 40_000, // as scenario 1's (see there)
  cases,
};
