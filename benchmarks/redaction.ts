/**
 * Micro-benchmark of the redaction processor (standalone, not part of
 * `npm run bench`): `node benchmarks/redaction.ts`. Prints, per record shape,
 * the best of 7 rounds of the processor alone, next to the JSON encoding of
 * the same record for scale. docs/security.md cites its numbers.
 */
import { createRedactor } from '../src/redact/redactor.ts';
import { createJsonEncoder } from '../src/encoders/json.ts';
import type { LogRecord } from '../src/core/record.ts';

const base: LogRecord = {
  time: Date.now(), severityNumber: 9, severityText: 'INFO', scope: 'shop', body: 'order placed for customer',
  eventName: undefined, bindings: undefined, contextAttributes: undefined, attributes: undefined,
  exception: undefined, requestId: undefined, trace: undefined,
};
const flat = { ...base, attributes: { orderId: 12345, user: 'ann@example.com', amount: 19.99, status: 'confirmed' } };
const nested = { ...base, attributes: { ...flat.attributes, items: [{ sku: 'A-1', qty: 2 }] } };
const keyMatch = { ...base, attributes: { orderId: 12345, user: 'ann@example.com', password: 'hunter2', status: 'confirmed' } };
const messageMatch = { ...base, body: 'callback with Bearer abcdefghijklmnop', attributes: { orderId: 12345 } };

const all = createRedactor();
const noPatterns = createRedactor({ patterns: false });
const encode = createJsonEncoder();
const cases: Array<[string, () => unknown]> = [
  ['JSON encoding, nested record (for scale)', () => encode(nested)],
  ['no match, 4 flat attributes, patterns off', () => noPatterns.processor(flat)],
  ['no match, 4 flat attributes', () => all.processor(flat)],
  ['no match, nested array of objects', () => all.processor(nested)],
  ['key match (password)', () => all.processor(keyMatch)],
  ['message pattern match (Bearer)', () => all.processor(messageMatch)],
];

const best = new Map<string, number>();
for (let round = 0; round < 7; round++) {
  for (const [name, fn] of cases) {
    const n = 300_000;
    for (let i = 0; i < 20_000; i++) fn();
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    const ns = Number(process.hrtime.bigint() - started) / n;
    best.set(name, Math.min(best.get(name) ?? Infinity, ns));
  }
}
console.log(`Node ${process.version}, best of 7 rounds of 300,000 calls`);
for (const [name, ns] of best) console.log(`${name.padEnd(44)} ${ns.toFixed(0).padStart(6)} ns/record`);
