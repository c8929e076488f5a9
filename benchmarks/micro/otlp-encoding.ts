/**
 * Micro-benchmark of the OTLP record encoders, in ns per record: the direct
 * protobuf request encoder (batches of 512, the OTLP sink's path) and the
 * `otlp-json` line encoder (one line per record). Records look like the
 * stdout scenario's: a child logger with one binding, three call
 * attributes, a trace context on half of them, a request ID on a third.
 *
 *   node benchmarks/micro/otlp-encoding.ts [rounds]
 *
 * Prints the median and the lowest of `rounds` (default 7) rounds after a
 * warm-up, in CPU time of this process (user + system), which a busy shared
 * machine disturbs less than wall time.
 * Not run by `npm run bench`; for before/after checks of the mapping code.
 */
import { OtlpEncoder } from '../../src/otel/otlp/encoder.ts';
import { createOtlpJsonEncoder } from '../../src/encoders/otlp-json.ts';
import { DEFAULT_LIMITS } from '../../src/values/limits.ts';
import type { LogRecord } from '../../src/core/record.ts';

const TRACE = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
const bindings = { attributes: Object.freeze({ region: 'eu-west-1' }), keys: new Set(['region']) };
const base = Date.now();

function record(i: number): LogRecord {
  return {
    time: base + i * 0.0137, severityNumber: 9, severityText: 'INFO', scope: 'orders.api', body: 'order placed',
    eventName: undefined, bindings, contextAttributes: undefined,
    attributes: { orderId: 1000 + i, amount: 12.5 + i, user: `user-${i % 97}` },
    exception: undefined, requestId: i % 3 === 0 ? `req-${i}` : undefined, trace: i % 2 === 0 ? TRACE : undefined,
  } as LogRecord;
}

const records = Array.from({ length: 512 }, (_, i) => record(i));
const rounds = Number(process.argv[2] ?? 7);

function measure(name: string, perRound: number, run: () => void): void {
  for (let i = 0; i < 20; i++) run(); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < 40; i++) run();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) * 1000 / (40 * perRound));
  }
  samples.sort((a, b) => a - b);
  console.log(`${name.padEnd(28)} ${samples[samples.length >> 1]!.toFixed(0).padStart(6)} ns/record  (min ${samples[0]!.toFixed(0)})`);
}

const resource = { 'service.name': 'bench', 'host.name': 'h', 'process.pid': 1234 };
const protobuf = new OtlpEncoder(resource, DEFAULT_LIMITS, 'protobuf');
const json = new OtlpEncoder(resource, DEFAULT_LIMITS, 'json');
const line = createOtlpJsonEncoder({ resource, limits: DEFAULT_LIMITS });
let sink = 0;
measure('protobuf request (direct)', records.length, () => { sink += protobuf.encode(records).length; });
measure('http/json request', records.length, () => { sink += json.encode(records).length; });
measure('otlp-json line encoder', records.length, () => { for (const r of records) sink += line(r).length; });
if (sink === 0) console.log('');
