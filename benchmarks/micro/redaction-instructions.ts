/**
 * Instructions per record of the stdout line with default redaction and with
 * `redact: false`, for the record shapes where redaction costs most: `attrs3`
 * (the stdout scenario's main line), `long` (one 2,000-character string),
 * `nested` and `correlated` (attrs3 inside a request context with two
 * attributes). Counted by callgrind on `node --single-threaded --predictable`
 * (fixed hash and random seeds), as (I(N₂) − I(N₁)) / (N₂ − N₁) after a
 * 10,000-record warm-up, so the count holds on a busy machine.
 *
 *   npm run build && node benchmarks/micro/redaction-instructions.ts [--processor | --encoder] [shape…]
 *
 * `--processor` counts the redaction processor alone on the same records
 * (built in a loop, kept alive in a ring so none is optimised away), against
 * the same loop with no processor: no clock, no output, no logger, so two
 * runs agree to a few instructions. `--encoder` counts, on the same records,
 * the JSON encoder alone (`redact: false`), the processor then the encoder
 * (the pipeline with a second sink), and the encoder with redaction fused in
 * (what the stdout sink runs when it is the only sink). The whole-line count
 * moves with the clock (the timestamp cache, V8's heap sizing) by up to
 * ~1,000 instructions between runs, and once gave redaction a negative cost.
 *
 * The whole line imports logbridge from dist/, `--processor` and `--encoder`
 * the modules of src/ (the fused encoder is internal); each count spawns
 * valgrind twice (about a minute each). Not run by `npm run bench`; for
 * before/after checks of src/redact/. `--predictable` keeps V8's heap sizing from following the
 * clock: without it two runs of the same code differ by up to ~1,500
 * instructions per record, with it by a few dozen at most.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LogRecord } from '../../src/core/record.ts';

const SHAPES = ['attrs3', 'long', 'nested', 'correlated'] as const;
type Shape = typeof SHAPES[number];
const WARMUP = 10_000;
const N1 = 6_000;
const N2 = 24_000;
/** The processor alone is cheap: a longer warm-up, so that its optimised code is what gets counted. */
const PROCESSOR_WARMUP = 200_000;

const LONG = 'lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(36).slice(0, 2000);
const REQUEST = Object.freeze({ 'user.id': 'u-42', 'http.route': '/orders/:id' });

/** The child: logs WARMUP then `count` records of `shape` to stdout, 100 per event-loop turn. */
async function child(shape: Shape, redact: boolean, count: number): Promise<void> {
  const lb = await import(new URL('../../dist/index.js', import.meta.url).href) as typeof import('../../src/index.ts');
  lb.configure(redact ? { level: 'info' } : { level: 'info', redact: false });
  const log = lb.getLogger('bench').child({ service: 'checkout' });
  const calls: Record<Shape, (i: number) => void> = {
    attrs3: (i) => log.info('order placed', { orderId: i, sku: 'SKU-1234', qty: 3 }),
    correlated: (i) => log.info('order placed', { orderId: i, sku: 'SKU-1234', qty: 3 }),
    long: () => log.info('payload received', { payload: LONG }),
    nested: (i) => log.info('order placed', {
      order: {
        id: i, items: [{ sku: 'SKU-1', qty: 1, price: 9.99 }, { sku: 'SKU-2', qty: 2, price: 4.5 }],
        customer: { id: 'c-17', tier: 'gold', address: { city: 'Lyon', country: 'FR' } },
      },
    }),
  };
  const call = calls[shape];
  let i = 0;
  const run = async (n: number): Promise<void> => {
    for (let left = n; left > 0; left -= 100) {
      const turn = (): void => {
        for (let k = 0; k < Math.min(100, left); k++) call(i++);
      };
      if (shape === 'correlated') lb.withRequestContext({ requestId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', attributes: REQUEST }, turn);
      else turn();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await run(WARMUP);
  await run(count);
  await lb.flush();
}

/**
 * What a `--processor` or `--encoder` child runs on each record: nothing (`bare`), the processor,
 * the JSON encoder (`redact: false`), the processor then the encoder, or the encoder with
 * redaction fused in (what the stdout sink runs when it is the only sink).
 */
type Variant = 'bare' | 'processor' | 'encoder' | 'processor+encoder' | 'fused';

/** The child of `--processor` and `--encoder`: PROCESSOR_WARMUP then `count` records, built in a loop, through `variant`. */
async function processorChild(shape: Shape, variant: Variant, count: number): Promise<void> {
  // The fused encoder is internal: this mode reads src/ (run as TypeScript), the other modes dist/.
  const { createRedactor, redactionCheckOf } = await import('../../src/redact/redactor.ts');
  const { createJsonEncoder, fuseRedaction } = await import('../../src/encoders/json.ts');
  const { processor } = createRedactor();
  const encode = createJsonEncoder();
  // Made only when counted: a second encoder's closures would share (and blur) the first one's feedback.
  const fused = variant === 'fused' ? fuseRedaction(createJsonEncoder(), redactionCheckOf(processor)!)! : encode;
  const step: Record<Variant, (record: LogRecord) => unknown> = {
    bare: (record) => record,
    processor: (record) => processor(record),
    encoder: (record) => encode(record),
    'processor+encoder': (record) => encode(processor(record)!),
    fused: (record) => fused(record),
  };
  const run = step[variant];
  const bindings = { attributes: { service: 'checkout' }, keys: new Set(['service']) };
  const attributes: Record<Shape, (i: number) => Record<string, unknown>> = {
    attrs3: (i) => ({ orderId: i, sku: 'SKU-1234', qty: 3 }),
    correlated: (i) => ({ orderId: i, sku: 'SKU-1234', qty: 3 }),
    long: () => ({ payload: LONG }),
    nested: (i) => ({ order: { id: i, items: [{ sku: 'SKU-1', qty: 1, price: 9.99 }], customer: { id: 'c-17', tier: 'gold' } } }),
  };
  const make = attributes[shape];
  const context = shape === 'correlated' ? REQUEST : undefined;
  const requestId = shape === 'correlated' ? '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' : undefined;
  const ring: unknown[] = new Array(1024);
  let changed = 0;
  const hundred = (from: number): void => {
    for (let i = from; i < from + 100; i++) {
      const record = {
        time: 1_700_000_000_000 + i, severityNumber: 9, severityText: 'INFO', scope: 'bench', body: 'order placed',
        eventName: undefined, bindings, contextAttributes: context, attributes: make(i), exception: undefined,
        requestId, trace: undefined,
      };
      if (variant === 'processor' && processor(record) !== record) changed++;
      ring[i & 1023] = variant === 'processor' ? record : run(record);
    }
  };
  for (let n = 0; n < PROCESSOR_WARMUP + count; n += 100) hundred(n);
  if (changed > 0) throw new Error(`the processor changed ${changed} records`);
}

function collected(shape: Shape, redact: boolean | Variant, count: number, mode: '--child' | '--processor-child'): number {
  const self = fileURLToPath(import.meta.url);
  const out = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath,
    '--single-threaded', '--predictable', '--predictable-gc-schedule', '--hash-seed=42', '--random-seed=42', self, mode, shape, String(redact), String(count)],
  { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const match = /Collected\s*:\s*(\d+)/.exec(out.stderr);
  if (out.status !== 0 || match === null) throw new Error(`callgrind run failed: ${out.stderr.slice(-300)}`);
  return Number(match[1]);
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1] as Shape, args[2] === 'true', Number(args[3]));
} else if (args[0] === '--processor-child') {
  await processorChild(args[1] as Shape, args[2] as Variant, Number(args[3]));
} else {
  const alone = args[0] === '--processor';
  const encoder = args[0] === '--encoder';
  const mode = alone || encoder ? '--processor-child' : '--child';
  const [n1, n2] = alone || encoder ? [N1 * 10, N2 * 10] : [N1, N2];
  const shapes = args.filter((a) => !a.startsWith('--')).length === 0 ? SHAPES
    : args.filter((a): a is Shape => (SHAPES as readonly string[]).includes(a));
  console.log(`Node ${process.version}, instructions per record (callgrind, N ${n1} and ${n2})` +
    `${alone ? ', processor alone' : encoder ? ', JSON encoder (src/)' : ''}`);
  for (const shape of shapes) {
    const per = (redact: boolean | Variant): number => Math.round((collected(shape, redact, n2, mode) - collected(shape, redact, n1, mode)) / (n2 - n1));
    if (encoder) {
      const [off, separate, fused] = [per('encoder'), per('processor+encoder'), per('fused')];
      console.log(`${shape.padEnd(11)} encoder ${off}  processor then encoder ${separate} (+${separate - off})  fused ${fused} (+${fused - off})`);
      continue;
    }
    const on = per(alone ? 'processor' : true);
    const off = per(alone ? 'bare' : false);
    console.log(`${shape.padEnd(11)} ${alone ? 'processor' : 'redaction'} ${on}  ${alone ? 'bare loop' : 'redact:false'} ${off}  difference ${on - off}`);
  }
}
