/**
 * One log call with a 1,000,000-key attributes object (standalone, not part
 * of `npm run bench`): `node benchmarks/million-keys.ts > /dev/null`. Prints
 * on stderr the wall time of the call itself, best of 3, with the default
 * configuration (JSON lines on stdout; set OTEL_EXPORTER_OTLP_ENDPOINT to
 * add the OTLP sink). docs/performance.md cites its numbers.
 */
import { getLogger } from '../src/index.ts';

const keys = Number(process.env.BENCH_KEYS ?? 1_000_000);
const big: Record<string, number> = {};
for (let i = 0; i < keys; i++) big['k' + i] = i;
const log = getLogger('million');
log.info('warm-up', { a: 1 });
const times: number[] = [];
for (let round = 0; round < 3; round++) {
  const started = performance.now();
  log.info('huge', big);
  times.push(performance.now() - started);
}
const listing = performance.now();
Object.keys(big);
const keysMs = performance.now() - listing;
process.stderr.write(`Node ${process.version}, ${keys.toLocaleString('en')} keys: log call ${Math.min(...times).toFixed(1)} ms ` +
  `(rounds ${times.map((t) => t.toFixed(1)).join(', ')}); one Object.keys of the same object ${keysMs.toFixed(1)} ms\n`);
