/**
 * Scenario 3 — the normal case in a service: the scenario-1 call made
 * inside an active span (OTel sdk-trace TracerProvider with the
 * AsyncLocalStorage context manager) and inside a request context. logbridge
 * reads both by itself; pino and winston get the same fields the way their
 * OTel instrumentations add them (a mixin / a format reading the active
 * span and the application's AsyncLocalStorage); the raw SDK takes the span
 * from the context itself and the request ID as an attribute.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Bench, Case, Scenario } from '../harness/types.ts';
import { VARIANTS } from '../harness/variants.ts';
import * as lib from '../harness/libraries.ts';
import { floorBench } from './floor.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const REQUEST_ID = 'req-7f3a9c';
const variant = VARIANTS.attrs3!;

type Api = typeof import('@opentelemetry/api');

/** Registers a TracerProvider and the ALS context manager; returns a context with one active span. */
async function startTracing(): Promise<{ api: Api; ctx: import('@opentelemetry/api').Context }> {
  const api = await import('@opentelemetry/api');
  const { TracerProvider } = await import('@opentelemetry/sdk-trace');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // Fixed IDs so the output check can look for them on every line.
  const provider = new TracerProvider({ idGenerator: { generateTraceId: () => TRACE_ID, generateSpanId: () => SPAN_ID } });
  api.trace.setGlobalTracerProvider(provider);
  const span = provider.getTracer('bench').startSpan('GET /orders');
  return { api, ctx: api.trace.setSpan(api.context.active(), span) };
}

/** Runs each turn of `bench` inside the span and/or request context, as a request handler would. */
function within(bench: Bench, enter: (fn: () => void) => void): Bench {
  return { loop: (start, count) => enter(() => bench.loop(start, count)), end: () => bench.end() };
}

/** Request attributes as a service binds them (user, route); frozen, as setRequestAttributes makes them. */
const REQUEST_ATTRIBUTES = Object.freeze({ 'user.id': 'u-42', 'http.route': '/orders/:id' });

async function logbridgeCase(span: boolean, request: boolean, attributes = false): Promise<Bench> {
  const tracing = span ? await startTracing() : undefined;
  const { withRequestContext } = await lib.loadLogbridge();
  const bench = await lib.logbridge(variant);
  const context = attributes ? { requestId: REQUEST_ID, attributes: REQUEST_ATTRIBUTES } : { requestId: REQUEST_ID };
  return within(bench, (fn) => {
    const inRequest = request ? () => withRequestContext(context, fn) : fn;
    if (tracing === undefined) inRequest();
    else tracing.api.context.with(tracing.ctx, inRequest);
  });
}

/** What @opentelemetry/instrumentation-pino's mixin adds, plus the application's request ID. */
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
    if (requestId !== undefined) out['request.id'] = requestId;
    return out;
  };
}

async function rivalCase(make: (mixin: () => Record<string, unknown>, store: AsyncLocalStorage<string>) => Promise<Bench>): Promise<Bench> {
  const { api, ctx } = await startTracing();
  const store = new AsyncLocalStorage<string>();
  const bench = await make(correlationMixin(api, store), store);
  return within(bench, (fn) => api.context.with(ctx, () => store.run(REQUEST_ID, fn)));
}

const both = [TRACE_ID, SPAN_ID, REQUEST_ID, 'order placed'];
const plain = ['order placed', 'checkout'];
const cases: Case[] = [
  { id: 'span+request/logbridge', variant: 'span+request', library: 'logbridge', mustContain: both, setup: () => logbridgeCase(true, true) },
  { id: 'span+request+attributes/logbridge', variant: 'span+request+attributes', library: 'logbridge (+ 2 request attributes)',
    mustContain: [...both, 'u-42'], setup: () => logbridgeCase(true, true, true) },
  { id: 'span/logbridge', variant: 'span', library: 'logbridge (span only)', mustContain: [TRACE_ID, SPAN_ID], setup: () => logbridgeCase(true, false) },
  { id: 'request/logbridge', variant: 'request', library: 'logbridge (request context only)', mustContain: [REQUEST_ID], setup: () => logbridgeCase(false, true) },
  { id: 'span+request/pino', variant: 'span+request', library: 'pino (default destination) + mixin', reference: true, mustContain: both,
    setup: () => rivalCase((mixin) => lib.pino(variant, 'default', 'info', mixin)) },
  { id: 'span+request/pino-sync', variant: 'span+request', library: 'pino sync:true + mixin', mustContain: both,
    setup: () => rivalCase((mixin) => lib.pino(variant, 'sync', 'info', mixin)) },
  { id: 'span+request/winston', variant: 'span+request', library: 'winston + format', scale: 0.25, mustContain: both,
    setup: () => rivalCase((mixin) => lib.winston(variant, 'info', mixin)) },
  // The targets' references, interleaved with the cases above so that machine drift hits them alike:
  // pino without correlation (scenario 1's line) and the floor of scenario 5.
  { id: 'reference/pino', variant: 'reference', library: 'pino (default destination), no correlation', mustContain: plain,
    setup: () => lib.pino(variant, 'default') },
  { id: 'reference/pino-sync', variant: 'reference', library: 'pino sync:true, no correlation', mustContain: plain,
    setup: () => lib.pino(variant, 'sync') },
  { id: 'reference/floor', variant: 'reference', library: 'the floor (scenario 5), same line', mustContain: ['order placed', REQUEST_ID],
    setup: async () => floorBench() },
  { id: 'span+request/otel-sdk', variant: 'span+request', library: 'OTel SDK (Simple processor)', scale: 0.25, mustContain: both,
    setup: () => rivalCase((_, store) => lib.otelSdk(variant, 'info', () => ({ 'request.id': store.getStore() }))) },
];

export const scenario: Scenario = {
  name: 'correlated',
  title: 'Scenario 3 — inside an active span and a request context',
  unit: 'record',
  count: 30_000,
  warmup: 20_000,
  cases,
};
