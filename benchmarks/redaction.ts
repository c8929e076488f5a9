/**
 * Micro-benchmark of the redaction processor (standalone, not part of
 * `npm run bench`): `node benchmarks/redaction.ts`. Prints, per record shape,
 * the best of 7 rounds of the processor alone, and the stdout path (redaction
 * then JSON encoding, and the check fused into the encoder as the stdout sink
 * runs it when it is the only sink) next to the same encoding with `redact: false`.
 * `BENCH_CALLS` sets the calls per round (default 100,000). Times are CPU
 * time of this process (user + system), which a shared machine disturbs far
 * less than wall time. docs/security.md and docs/performance.md cite its numbers.
 */
import { createRedactor, redactionCheckOf } from '../src/redact/redactor.ts';
import { createJsonEncoder, fuseRedaction } from '../src/encoders/json.ts';
import type { LogRecord } from '../src/core/record.ts';

const base: LogRecord = {
  time: Date.now(), severityNumber: 9, severityText: 'INFO', scope: 'shop', body: 'order placed for customer',
  eventName: undefined, bindings: undefined, contextAttributes: undefined, attributes: undefined,
  exception: undefined, requestId: undefined, trace: undefined,
};
const flat = { ...base, attributes: { orderId: 12345, user: 'ann@example.com', amount: 19.99, status: 'confirmed' } };
const nested = { ...base, attributes: { ...flat.attributes, items: [{ sku: 'A-1', qty: 2 }] } };
const urls = { ...base, attributes: { 'http.route': '/orders/:id', 'url.full': 'https://shop.example/orders/42?page=2', 'user_agent.original': 'curl/8.5.0' } };
const keyMatch = { ...base, attributes: { orderId: 12345, user: 'ann@example.com', password: 'hunter2', status: 'confirmed' } };
const messageMatch = { ...base, body: 'callback with Bearer abcdefghijklmnop', attributes: { orderId: 12345 } };

const all = createRedactor();
const noPatterns = createRedactor({ patterns: false });
const encode = createJsonEncoder();
// What the stdout sink runs when it is the only sink: the check inside the encoder.
const fused = fuseRedaction(createJsonEncoder(), redactionCheckOf(createRedactor().processor)!)!;
const cases: Array<[string, () => unknown]> = [
  ['JSON encoding, nested record (for scale)', () => encode(nested)],
  ['no match, 4 flat attributes, patterns off', () => noPatterns.processor(flat)],
  ['no match, 4 flat attributes', () => all.processor(flat)],
  ['no match, nested array of objects', () => all.processor(nested)],
  ['no match, URL and route strings', () => all.processor(urls)],
  ['key match (password)', () => all.processor(keyMatch)],
  ['message pattern match (Bearer)', () => all.processor(messageMatch)],
  ['stdout path, flat, redact: false', () => encode(flat)],
  ['stdout path, flat, redaction on', () => encode(all.processor(flat)!)],
  ['stdout path, flat, redaction fused', () => fused(flat)],
  ['stdout path, nested, redact: false', () => encode(nested)],
  ['stdout path, nested, redaction on', () => encode(all.processor(nested)!)],
  ['stdout path, nested, redaction fused', () => fused(nested)],
];

const n = Number(process.env.BENCH_CALLS ?? 100_000);
const best = new Map<string, number>();
for (let round = 0; round < 7; round++) {
  for (const [name, fn] of cases) {
    for (let i = 0; i < 10_000; i++) fn();
    const started = process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const used = process.cpuUsage(started);
    const ns = (used.user + used.system) * 1000 / n;
    best.set(name, Math.min(best.get(name) ?? Infinity, ns));
  }
}
console.log(`Node ${process.version}, best of 7 rounds of ${n.toLocaleString('en')} calls, CPU time`);
for (const [name, ns] of best) console.log(`${name.padEnd(44)} ${ns.toFixed(0).padStart(6)} ns/record`);
