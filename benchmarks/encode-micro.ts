/**
 * Micro-benchmark of the value walker's two output shapes, in one process:
 * the JSON encoder on typical records (ns per record) and `toAnyValue` on a
 * nested value (ns per value). Small and quick (a few seconds), for
 * before/after comparisons of src/values/ changes; not part of `npm run bench`.
 *
 *   node benchmarks/encode-micro.ts [--rounds 40] [--only TEXT]
 *
 * Wall time drifts with the machine's load. For a count that does not,
 * `--calls N` runs N calls after the warm-up and prints nothing; under
 * callgrind, the difference of two runs divided by the difference of their
 * N is instructions per call:
 *
 *   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
 *     node --single-threaded benchmarks/encode-micro.ts --only 'json attrs3' --calls 20000
 *
 * Each case runs a warm-up, then `rounds` short timed batches (short, so some run undisturbed on a busy machine); the fastest
 * is reported (interference only ever adds time).
 */
import { createJsonEncoder } from '../src/encoders/json.ts';
import { toAnyValue } from '../src/values/any-value.ts';
import { DEFAULT_LIMITS } from '../src/values/limits.ts';
import type { LogRecord } from '../src/core/record.ts';

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg === -1 ? 40 : Number(process.argv[roundsArg + 1]);
const BATCH = 2_000;

const bound = Object.freeze({ service: 'checkout' });
const bindings = Object.freeze({ attributes: bound, keys: new Set(Object.keys(bound)) });

function record(attributes: Record<string, unknown>): LogRecord {
  return {
    time: Date.now() + 0.123, severityNumber: 9, severityText: 'INFO', scope: 'bench',
    body: 'order placed', eventName: undefined, bindings, contextAttributes: undefined,
    attributes, exception: undefined, requestId: undefined, trace: undefined,
  };
}

const nested = {
  user: { id: 42, name: 'Ada', roles: ['admin', 'ops'], address: { city: 'Zürich', zip: '8000' } },
  items: [{ sku: 'A-1', qty: 2, price: 9.5 }, { sku: 'B-7', qty: 1, price: 120 }],
  tags: new Set(['new', 'priority']), at: new Date(0), big: 12345678901234567890n,
};

const cases: Array<[string, () => unknown]> = [];
const encode = createJsonEncoder();
const attrs3 = record({ orderId: 'o-123', amount: 42.5, paid: true });
const nestedRecord = record({ orderId: 'o-123', order: nested });
const errorRecord = record({ orderId: 'o-123', cause: Object.assign(new Error('bad input'), { name: 'ValidationError' }) });
cases.push(['json attrs3 (ns/record)', () => encode(attrs3)]);
cases.push(['json nested (ns/record)', () => encode(nestedRecord)]);
cases.push(['json error attr (ns/record)', () => encode(errorRecord)]);
cases.push(['anyValue nested (ns/value)', () => toAnyValue(nested, DEFAULT_LIMITS)]);

const onlyArg = process.argv.indexOf('--only');
const only = onlyArg === -1 ? '' : process.argv[onlyArg + 1]!;

const callsArg = process.argv.indexOf('--calls');
const calls = callsArg === -1 ? undefined : Number(process.argv[callsArg + 1]);

let sink = 0;
for (const [name, run] of cases) {
  if (!name.includes(only)) continue;
  for (let i = 0; i < 40_000; i++) sink ^= (run() as string).length | 0;
  if (calls !== undefined) {
    // Instruction-count mode: just the calls, counted from outside (see the header).
    for (let i = 0; i < calls; i++) sink ^= (run() as string).length | 0;
    continue;
  }
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) sink ^= (run() as string).length | 0;
    best = Math.min(best, Number(process.hrtime.bigint() - start) / BATCH);
  }
  console.log(`${name.padEnd(30)} ${best.toFixed(0).padStart(6)}`);
}
if (sink === 0.5) console.log(sink); // keeps the results alive
