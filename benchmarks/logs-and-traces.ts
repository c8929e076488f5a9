/**
 * Micro-benchmark of the three ways a record meets its trace (standalone,
 * not part of `npm run bench`): `node benchmarks/logs-and-traces.ts`.
 * docs/logs-and-traces.md cites its numbers. Prints the best of 7 rounds
 * (CPU-bound, one process, records to a sink that only counts, so only
 * logbridge's own work is measured):
 *
 * 1. a `warn` record inside a recording span: trace IDs on the record only,
 *    and with the span-event bridge (the span event added, attributes
 *    converted; the span's export is the tracing SDK's cost, not counted);
 *    an `info` record the bridge looks at and leaves (below its level);
 * 2. one request through the HTTP core (begin, run, end, with 8 records):
 *    no request log, the access-log record, the canonical line.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { configure, getLogger } from '../src/index.ts';
import { createSpanEventBridge } from '../src/otel/span-events.ts';
import { createRequestCore, type IncomingRequest } from '../src/http/core.ts';
import type { Sink } from '../src/core/sink.ts';

let received = 0;
const counting: Sink = { emit: () => { received++; } };
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
// No span processor: spans are recorded (events kept in memory) and dropped at end.
trace.setGlobalTracerProvider(new TracerProvider());
const tracer = trace.getTracer('bench');
const log = getLogger('bench');

function best(rounds: number, n: number, fn: () => void): number {
  let min = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const used = process.cpuUsage(start);
    min = Math.min(min, ((used.user + used.system) * 1000) / n);
  }
  return min;
}

function spanCase(bridge: boolean, level: 'warn' | 'info' = 'warn'): number {
  configure({ env: {}, sinks: [counting], redact: false, processors: bridge ? [createSpanEventBridge({ maxPerSpan: 1e9 })] : [] });
  // One span per 20 records: a request's worth.
  return best(7, 2000, () => tracer.startActiveSpan('s', (span) => {
    for (let i = 0; i < 20; i++) log[level]('stock low', { sku: 'A-1', left: i });
    span.end();
  })) / 20;
}

const request: IncomingRequest = { method: 'GET', path: '/work/1', scheme: 'http', header: () => undefined };
function requestCase(options: Parameters<typeof createRequestCore>[0]): number {
  configure({ env: {}, sinks: [counting], redact: false });
  const core = createRequestCore({ span: false, ...options });
  return best(7, 5000, () => {
    const scope = core.begin(request);
    scope.run(() => { for (let i = 0; i < 8; i++) log.info('phase', { i }); });
    scope.end({ statusCode: 200, route: '/work/:n' });
  });
}

const rows: Array<[string, number]> = [
  ['warn in a span: trace IDs on the record (ns/record)', spanCase(false)],
  ['warn in a span: + span event (ns/record)', spanCase(true)],
  ['info in a span: trace IDs on the record (ns/record)', spanCase(false, 'info')],
  ['info in a span: bridge on, below its level (ns/record)', spanCase(true, 'info')],
  ['request, 8 records, no request log (ns/request)', requestCase({})],
  ['request, 8 records, access log (ns/request)', requestCase({ accessLog: true })],
  ['request, 8 records, canonical line (ns/request)', requestCase({ canonicalLine: true })],
];
console.log(`Node ${process.version}, ${received} records made`);
for (const [name, ns] of rows) console.log(`${name.padEnd(56)} ${ns.toFixed(0).padStart(7)}`);
