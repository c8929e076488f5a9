/**
 * Scenario 4 — OTLP end to end to a loopback receiver that answers every
 * request at once and decodes only after the case (harness/instant-receiver.ts),
 * so no exporter waits on the receiver. Every library runs with its default
 * settings, configured only through the standard OTEL_EXPORTER_OTLP_*
 * variables, in its own child process.
 *
 * - `steady`: the scenario-1 call, 100 per event-loop turn (20,000 after
 *   40,000 warm-up, as in scenario 1); measured: wall time until the library's shutdown
 *   returned, producer CPU (all threads: pino's transport worker counts),
 *   CPU per *delivered* record with the drops beside it, bytes per record.
 *   The raw SDK also runs with a queue big enough to drop nothing.
 * - `cold`: the same with no warm-up, timed from the start of the case's
 *   setup (the library's modules loading and its pipeline being built count).
 * - `sustained`: 200,000 records, 100 per turn, logbridge's defaults: the
 *   target is that every one arrives.
 * - `burst`: 10,000 synchronous calls in one turn, then shutdown: how many
 *   of them each library's defaults deliver.
 * - `rate`: the highest rate (records/s, paced turns of 100) at which
 *   logbridge's defaults and the raw SDK's deliver every record over a
 *   window (harness/sustained-rate.ts: `BENCH_OTLP_RATE_WINDOW_S`, default 30 s,
 *   3 s with `--quick`; a bisection of `BENCH_OTLP_RATE_PROBES`, default 5, probes).
 *
 * `--otlp-endpoint URL` (runner option) sends to an external receiver
 * instead, for re-counting; received counts are then not checked here.
 */
import { createRequire } from 'node:module';
import type { Bench, Case, CaseResult, RunnerOptions, Scenario } from '../harness/types.ts';
import { VARIANTS } from '../harness/variants.ts';
import { BINDING } from '../harness/variants.ts';
import { loadLogbridge } from '../harness/libraries.ts';
import { runChild } from '../harness/spawn.ts';
import { median, spread } from '../harness/stats.ts';
import { pacedBench, rateSettings, searchSustainedRate, type RateSearch } from '../harness/sustained-rate.ts';

const require = createRequire(import.meta.url);
const variant = VARIANTS.attrs3!;
const attrs = variant.attrs!;
const message = variant.message;

type Loop = (start: number, count: number) => void;

async function logbridgeOtlp(): Promise<Bench> {
  const lb = await loadLogbridge();
  lb.configure({ level: 'info' }); // sinks from the environment: OTEL_LOGS_EXPORTER=otlp
  const log = lb.getLogger('bench').child(BINDING);
  const loop: Loop = (start, count) => {
    for (let i = start; i < start + count; i++) log.info(message, attrs(i));
  };
  return { loop, end: () => lb.flush(), close: () => lb.shutdown() };
}

/** The raw SDK: LoggerProvider + BatchLogRecordProcessor (defaults) + the OTLP exporter for the protocol. */
async function otelSdk(protocol: 'proto' | 'json'): Promise<Bench> {
  const sdk = await import('@opentelemetry/sdk-logs');
  const { OTLPLogExporter } = protocol === 'proto'
    ? await import('@opentelemetry/exporter-logs-otlp-proto')
    : await import('@opentelemetry/exporter-logs-otlp-http');
  const provider = new sdk.LoggerProvider({ processors: [new sdk.BatchLogRecordProcessor({ exporter: new OTLPLogExporter() })] });
  const logger = provider.getLogger('bench');
  const loop: Loop = (start, count) => {
    for (let i = start; i < start + count; i++) {
      logger.emit({ severityNumber: 9, severityText: 'INFO', body: message, attributes: { ...BINDING, ...attrs(i) } });
    }
  };
  return { loop, end: () => provider.forceFlush(), close: () => provider.shutdown() };
}

interface ThreadStream {
  end(): void;
  ref(): void;
  once(event: 'close', fn: () => void): void;
}

/** pino + pino-opentelemetry-transport (a worker thread running the SDK's batch processor and exporter). */
async function pinoTransport(): Promise<Bench> {
  const pino = require('pino') as typeof import('pino').default;
  const transport = pino.transport({ target: 'pino-opentelemetry-transport' }) as unknown as ThreadStream;
  const log = pino({ level: 'info' }, transport as unknown as import('pino').DestinationStream).child(BINDING);
  const loop: Loop = (start, count) => {
    for (let i = start; i < start + count; i++) log.info(attrs(i), message);
  };
  return {
    loop,
    end: () => new Promise<void>((resolve) => log.flush(() => resolve())),
    // Ending the stream makes the worker shut its LoggerProvider down (which flushes) before it exits.
    close: () => new Promise<void>((resolve) => {
      transport.once('close', resolve);
      transport.ref(); // the worker is unref'd: keep the process up until it has shut down
      transport.end();
    }),
  };
}

/** winston + @opentelemetry/winston-transport, with the SDK registered where that transport looks (api-logs). */
async function winstonTransport(): Promise<Bench> {
  const winston = require('winston') as typeof import('winston');
  const apiLogs = require('@opentelemetry/api-logs') as { logs: { setGlobalLoggerProvider(p: unknown): unknown } };
  const sdk = await import('@opentelemetry/sdk-logs');
  const { OTLPLogExporter } = await import('@opentelemetry/exporter-logs-otlp-proto');
  const provider = new sdk.LoggerProvider({ processors: [new sdk.BatchLogRecordProcessor({ exporter: new OTLPLogExporter() })] });
  apiLogs.logs.setGlobalLoggerProvider(provider);
  const { OpenTelemetryTransportV3 } = require('@opentelemetry/winston-transport') as {
    OpenTelemetryTransportV3: new () => import('winston').transport;
  };
  const log = winston.createLogger({ level: 'info', transports: [new OpenTelemetryTransportV3()] }).child(BINDING);
  const loop: Loop = (start, count) => {
    for (let i = start; i < start + count; i++) log.info(message, attrs(i));
  };
  return { loop, end: () => provider.forceFlush(), close: () => provider.shutdown() };
}

const PROTO = { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_LOGS_EXPORTER: 'otlp' };
const JSON_PROTOCOL = { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_LOGS_EXPORTER: 'otlp' };
const STEADY = { batches: 1, scale: 1 };
const COLD = { ...STEADY, timedSetup: true };
const BURST = { batches: 1, turn: 10_000 };
const BIG_QUEUE = { OTEL_BLRP_MAX_QUEUE_SIZE: '100000' };

const cases: Case[] = [
  { id: 'steady/logbridge-proto', variant: 'steady', library: 'logbridge (http/protobuf)', env: PROTO, ...STEADY, setup: logbridgeOtlp },
  { id: 'steady/logbridge-json', variant: 'steady', library: 'logbridge (http/json)', env: JSON_PROTOCOL, ...STEADY, setup: logbridgeOtlp },
  { id: 'steady/otel-sdk-proto', variant: 'steady', library: 'OTel SDK + Batch + OTLP proto exporter', reference: true, env: PROTO, ...STEADY,
    setup: () => otelSdk('proto') },
  { id: 'steady/otel-sdk-json', variant: 'steady', library: 'OTel SDK + Batch + OTLP http/json exporter', env: JSON_PROTOCOL, ...STEADY,
    setup: () => otelSdk('json') },
  // The SDK with a queue big enough to drop nothing, so its cost per delivered record is not inflated by drops.
  { id: 'steady/otel-sdk-proto-bigqueue', variant: 'steady', library: 'OTel SDK (proto), OTEL_BLRP_MAX_QUEUE_SIZE=100000',
    env: { ...PROTO, ...BIG_QUEUE }, ...STEADY, setup: () => otelSdk('proto') },
  { id: 'steady/otel-sdk-json-bigqueue', variant: 'steady', library: 'OTel SDK (http/json), OTEL_BLRP_MAX_QUEUE_SIZE=100000',
    env: { ...JSON_PROTOCOL, ...BIG_QUEUE }, ...STEADY, setup: () => otelSdk('json') },
  { id: 'steady/pino-otel-transport', variant: 'steady', library: 'pino + pino-opentelemetry-transport', env: PROTO, ...STEADY,
    setup: pinoTransport },
  { id: 'steady/winston-otel-transport', variant: 'steady', library: 'winston + @opentelemetry/winston-transport', env: PROTO, ...STEADY,
    scale: 0.5, setup: winstonTransport },
  // Cold: the same steady call with no warm-up, timed from the start of setup (loading the
  // library's modules and building its pipeline count, wherever the library does them).
  { id: 'cold/logbridge-proto', variant: 'cold', library: 'logbridge (http/protobuf), cold', env: PROTO, ...COLD, setup: logbridgeOtlp },
  { id: 'cold/otel-sdk-proto', variant: 'cold', library: 'OTel SDK + Batch + OTLP proto exporter, cold', reference: true, env: PROTO,
    ...COLD, setup: () => otelSdk('proto') },
  // 200,000 records, 100 per event-loop turn, logbridge's defaults: every one must arrive.
  { id: 'sustained/logbridge-proto', variant: 'sustained', library: 'logbridge (http/protobuf), 200k records', env: PROTO,
    batches: 1, setup: logbridgeOtlp },
  { id: 'sustained/logbridge-json', variant: 'sustained', library: 'logbridge (http/json), 200k records', env: JSON_PROTOCOL,
    batches: 1, setup: logbridgeOtlp },
  // The highest rate delivered in full over a window (harness/sustained-rate.ts): searched, not timed.
  { id: 'rate/logbridge-proto', variant: 'rate', library: 'logbridge (http/protobuf), defaults', env: PROTO, batches: 1,
    setup: async () => pacedBench(await logbridgeOtlp()) },
  { id: 'rate/otel-sdk-proto', variant: 'rate', library: 'OTel SDK + Batch (defaults) + OTLP proto exporter', reference: true, env: PROTO,
    batches: 1, setup: async () => pacedBench(await otelSdk('proto')) },
  { id: 'burst/logbridge-proto', variant: 'burst', library: 'logbridge (http/protobuf)', env: PROTO, ...BURST, setup: logbridgeOtlp },
  { id: 'burst/otel-sdk-proto', variant: 'burst', library: 'OTel SDK + Batch + OTLP proto exporter', reference: true, env: PROTO, ...BURST,
    setup: () => otelSdk('proto') },
  { id: 'burst/pino-otel-transport', variant: 'burst', library: 'pino + pino-opentelemetry-transport', env: PROTO, ...BURST,
    setup: pinoTransport },
  { id: 'burst/winston-otel-transport', variant: 'burst', library: 'winston + @opentelemetry/winston-transport', env: PROTO, ...BURST,
    setup: winstonTransport },
];

interface OtlpRun {
  wallNs: number;
  cpuUs: number;
  maxRssKiB: number;
  sent: number;
  received: number;
  bytes: number;
}

/** The driver: a receiver in this process, each case in a child pointed at it. */
async function run(selected: readonly Case[], options: RunnerOptions): Promise<{ results: CaseResult[]; failures: Array<{ id: string; problem: string }> }> {
  const { startInstantReceiver } = await import('../harness/instant-receiver.ts');
  const receiver = await startInstantReceiver();
  const external = options.otlpEndpoint;
  const results: CaseResult[] = [];
  const failures: Array<{ id: string; problem: string }> = [];
  const runs = Math.min(options.runs, options.quick ? 1 : 3);
  try {
    process.stderr.write(`\n${scenario.title}: ${selected.length} cases × ${runs} runs${external ? ` to ${external}` : ''}\n`);
    const timed = selected.filter((c) => c.variant !== 'rate');
    const samples = new Map<Case, OtlpRun[]>(timed.map((c) => [c, []]));
    for (let r = 0; r < runs; r++) {
      process.stderr.write(`  run ${r + 1}/${runs}\n`);
      for (const c of timed) {
        const burst = c.variant === 'burst';
        const calls = burst ? 10_000 : c.variant === 'sustained' ? 200_000
          : Math.round(scenario.count * (options.quick ? 0.4 : 1) * (c.scale ?? 1));
        const warmup = cold(c) ? 0 : scenario.warmup;
        receiver.clear();
        const outcome = await runChild('otlp', c, calls, warmup, c.turn ?? options.turn, 'null',
          { OTEL_EXPORTER_OTLP_ENDPOINT: external ?? receiver.url });
        if (outcome.sample === undefined || outcome.code !== 0) {
          failures.push({ id: `otlp/${c.id}`, problem: `exit ${outcome.code}: ${outcome.stderr.trim().slice(-300)}` });
          continue;
        }
        // Requests still in flight when the child exited are lost, not late: give the loopback a moment anyway.
        await new Promise((resolve) => setTimeout(resolve, 50));
        let records: ReadonlyArray<{ body: unknown; attributes: Record<string, unknown> }> = [];
        if (external === undefined) {
          records = receiver.records();
          const problem = checkRecords(records);
          if (problem !== undefined) {
            failures.push({ id: `otlp/${c.id}`, problem });
            continue;
          }
        }
        samples.get(c)!.push({
          wallNs: outcome.sample.wallNs,
          cpuUs: outcome.sample.cpuUs,
          maxRssKiB: outcome.sample.maxRssKiB,
          sent: calls + warmup,
          received: external === undefined ? records.length : NaN,
          bytes: receiver.bytes,
        });
      }
    }
    for (const c of timed) {
      const list = samples.get(c)!;
      if (list.length > 0) results.push(summarize(c, list));
    }
    results.push(...await searchRates(selected.filter((c) => c.variant === 'rate' && external === undefined), options, failures));
    for (const r of results) {
      const ref = results.find((x) => x.variant === r.variant && x.reference);
      if (ref === undefined || r.variant === 'rate') continue;
      r.ratio = r.nsPerUnit / ref.nsPerUnit;
      r.cpuRatio = Number(r.extra!['CPU µs/delivered']) / Number(ref.extra!['CPU µs/delivered']);
    }
  } finally {
    await receiver.close();
  }
  return { results, failures };
}

/** The sustained-rate searches, one counting receiver for all (bodies are not kept: windows are long). */
async function searchRates(cases: readonly Case[], options: RunnerOptions, failures: Array<{ id: string; problem: string }>): Promise<CaseResult[]> {
  if (cases.length === 0) return [];
  const { startInstantReceiver } = await import('../harness/instant-receiver.ts');
  const receiver = await startInstantReceiver({ keepBodies: false });
  const { windowS, probes } = rateSettings(options);
  process.stderr.write(`  sustained rate: ${cases.length} cases, ${probes} probes of ${windowS} s each\n`);
  const found = new Map<Case, RateSearch>();
  try {
    for (const c of cases) found.set(c, await searchSustainedRate(c, receiver, options));
  } finally {
    await receiver.close();
  }
  const results: CaseResult[] = [];
  for (const [c, search] of found) {
    if (search.rate === undefined) {
      failures.push({ id: `otlp/${c.id}`, problem: `lost records at every rate probed (${search.probes.map((p) => p.rate).join(', ')} records/s)` });
      continue;
    }
    // ns/record and records/s of the rate found; the extra columns are the other OTLP cases' (the table prints them as one)
    const ns = 1e9 / search.rate;
    const best = search.probes.find((p) => p.rate === search.rate)!;
    results.push({
      scenario: 'otlp', id: c.id, variant: c.variant, library: `${c.library}, max rate over ${windowS} s`, unit: 'record',
      reference: c.reference === true, runs: search.probes.length, calls: best.sent, nsPerUnit: ns, nsMin: ns, nsMax: ns, spread: 0,
      cpuNsPerUnit: NaN, maxRssMiB: NaN, samplesNs: [ns],
      extra: { sent: best.sent, received: best.received, dropped: 0, 'drop %': '0.0%', 'CPU µs/delivered': '—', 'bytes/record': '—' },
    });
  }
  return results;
}

/** Cases timed from the first call, with no warm-up: bursts, and the cold-start OTLP cases. */
function cold(c: Case): boolean {
  return c.variant === 'burst' || c.variant === 'cold';
}

/** The records arrived whole: body, attributes and binding of the scenario-1 call. */
function checkRecords(records: ReadonlyArray<{ body: unknown; attributes: Record<string, unknown> }>): string | undefined {
  if (records.length === 0) return 'no record arrived';
  const first = records[0]!;
  if (first.body !== message) return `body ${JSON.stringify(first.body)} is not ${JSON.stringify(message)}`;
  if (first.attributes.sku !== 'SKU-1234' || first.attributes.service !== 'checkout') {
    return `attributes ${JSON.stringify(first.attributes)} lack sku/service`;
  }
  return undefined;
}

function summarize(c: Case, runs: readonly OtlpRun[]): CaseResult {
  const calls = runs.map((r) => r.sent);
  const measured = (r: OtlpRun): number => (cold(c) ? r.sent : r.sent - scenario.warmup);
  const ns = runs.map((r) => r.wallNs / measured(r));
  const cpuPerSent = runs.map((r) => (r.cpuUs * 1000) / measured(r));
  const cpuPerDelivered = runs.map((r) => r.cpuUs / (measured(r) * Math.max(r.received, 1) / r.sent));
  const dropped = runs.map((r) => r.sent - r.received);
  return {
    scenario: 'otlp',
    id: c.id,
    variant: c.variant,
    library: c.library,
    unit: 'record',
    reference: c.reference === true,
    runs: runs.length,
    calls: calls[0]!,
    nsPerUnit: median(ns),
    nsMin: Math.min(...ns),
    nsMax: Math.max(...ns),
    spread: spread(ns),
    cpuNsPerUnit: median(cpuPerSent),
    maxRssMiB: median(runs.map((r) => r.maxRssKiB / 1024)),
    samplesNs: ns,
    extra: {
      sent: calls[0]!,
      received: median(runs.map((r) => r.received)),
      dropped: Math.max(...dropped),
      'drop %': `${((Math.max(...dropped) / calls[0]!) * 100).toFixed(1)}%`,
      'CPU µs/delivered': median(cpuPerDelivered).toFixed(2),
      'bytes/record': Math.round(median(runs.map((r) => r.bytes / Math.max(r.received, 1)))),
    },
  };
}

export const scenario: Scenario = {
  name: 'otlp',
  title: 'Scenario 4 — OTLP end to end to a loopback receiver',
  unit: 'record',
  // Scenario 1's warm-up: with 3,000, V8's optimizing compiles of both sides' hot paths fell in
  // the measured window and were 40–50% of its CPU (compiler threads), so "steady" measured the
  // JIT more than the export. Start-up costs are what the cold cases measure.
  count: 20_000,
  warmup: 40_000,
  cases,
  run,
};
