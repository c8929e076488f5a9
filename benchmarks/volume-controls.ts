/**
 * Micro-benchmark of the volume controls (standalone, not part of `npm run
 * bench`): `node benchmarks/volume-controls.ts`. Each case logs into a sink
 * that does nothing, so what is measured is the control itself plus making
 * the record; the best of 5 rounds is printed. docs/volume-controls.md cites
 * its numbers.
 */
import { configure, getLogger, withRequestContext, type ConfigureOptions } from '../src/index.ts';
import type { Sink } from '../src/core/sink.ts';

const nothing: Sink = { emit() {} };
const log = getLogger('bench.volume');
const attrs = { orderId: 12345, user: 'ann' };

function setup(options: ConfigureOptions): void {
  configure({ sinks: [nothing], level: 'info', redact: false, env: {}, debugBuffer: false, throttle: false,
    traceBased: false, sourceLocation: false, ...options });
}

const cases: Array<[string, ConfigureOptions, number, (n: number) => void]> = [
  ['debug() disabled, controls off', {}, 20_000_000, (n) => { for (let i = 0; i < n; i++) log.debug('cache state', attrs); }],
  ['debug() disabled, buffer on, outside a request', { debugBuffer: 'debug' }, 1_000_000,
    (n) => { for (let i = 0; i < n; i++) log.debug('cache state', attrs); }],
  ['debug() buffered in a request (evicting past 200)', { debugBuffer: 'debug' }, 1_000_000,
    (n) => withRequestContext({ requestId: 'r' }, () => { for (let i = 0; i < n; i++) log.debug('cache state', attrs); })],
  ['info() written, controls off', {}, 1_000_000, (n) => { for (let i = 0; i < n; i++) log.info('order placed', attrs); }],
  ['info() written, buffer on (in a request)', { debugBuffer: 'debug' }, 1_000_000,
    (n) => withRequestContext({ requestId: 'r' }, () => { for (let i = 0; i < n; i++) log.info('order placed', attrs); })],
  ['info() written, throttle on (under the limit)', { throttle: '1000000000/1h' }, 1_000_000,
    (n) => { for (let i = 0; i < n; i++) log.info('order placed', attrs); }],
  ['info() held back by the throttle', { throttle: '1/1h' }, 1_000_000, (n) => { for (let i = 0; i < n; i++) log.info('order placed', attrs); }],
  ['info() written, trace-based on (no trace)', { traceBased: true }, 1_000_000,
    (n) => { for (let i = 0; i < n; i++) log.info('order placed', attrs); }],
  ['info() written, source location on', { sourceLocation: true }, 200_000,
    (n) => { for (let i = 0; i < n; i++) log.info('order placed', attrs); }],
];

const best = new Map<string, number>();
for (let round = 0; round < 5; round++) {
  for (const [name, options, n, fn] of cases) {
    setup(options);
    fn(Math.ceil(n / 20));
    const started = process.hrtime.bigint();
    fn(n);
    const ns = Number(process.hrtime.bigint() - started) / n;
    best.set(name, Math.min(best.get(name) ?? Infinity, ns));
  }
}
console.log(`Node ${process.version}, best of 5 rounds`);
for (const [name, ns] of best) console.log(`${name.padEnd(52)} ${ns.toFixed(ns < 10 ? 2 : 0).padStart(8)} ns/call`);
