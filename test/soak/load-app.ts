/**
 * The application under load for the fault-injection suite: configured only
 * through the environment (OTLP endpoint, queue, timeouts), it logs
 * `SOAK_RATE` records per second for `SOAK_SECONDS`, measures its own event
 * loop delay and RSS, counts log calls that throw, then shuts logbridge down
 * and prints one `SOAK_REPORT {json}` line on stderr with logbridge's own
 * accounting, for the parent to check against the receiver's count.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getLogger, shutdown } from '../../src/index.ts';
import { runtime } from '../../src/core/runtime.ts';

const rate = Number(process.env.SOAK_RATE ?? 3000);
const seconds = Number(process.env.SOAK_SECONDS ?? 30);
const total = Math.round(rate * seconds);
const log = getLogger('soak.app');
const delay = monitorEventLoopDelay({ resolution: 10 });
let emitted = 0;
let threw = 0;
let rssMax = 0;
const rssBase = process.memoryUsage.rss();

function logOne(seq: number): void {
  try {
    log.info('order placed', { seq, 'order.id': `o-${seq}`, amount: 12.5, user: { id: seq % 977, tier: 'gold' } });
  } catch {
    threw++;
  }
}

const started = performance.now();
let lastSecond = 0;
function tick(): void {
  const elapsed = performance.now() - started;
  // Catch up to the schedule: a delayed loop must not lower the offered load.
  const due = Math.min(total, Math.floor((elapsed / 1000) * rate));
  while (emitted < due) logOne(emitted++);
  rssMax = Math.max(rssMax, process.memoryUsage.rss());
  const second = Math.floor(elapsed / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    process.stderr.write(`SOAK_T ${second}\n`);
  }
  if (emitted < total) setTimeout(tick, 10);
  else void finish(elapsed);
}

async function finish(loadMs: number): Promise<void> {
  delay.disable();
  const drainStarted = performance.now();
  await shutdown();
  const drainMs = performance.now() - drainStarted;
  const sinks = runtime.pipeline.stats();
  const report = {
    emitted, threw, loadMs: Math.round(loadMs), drainMs: Math.round(drainMs),
    sinks, pipelineDrops: runtime.pipeline.recursionDrops + runtime.pipeline.lateDrops,
    eventLoopDelayMs: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
    rssBaseMb: rssBase / 2 ** 20, rssMaxMb: Math.max(rssMax, process.memoryUsage.rss()) / 2 ** 20,
  };
  process.stderr.write(`SOAK_REPORT ${JSON.stringify(report)}\n`);
}

process.stderr.write('SOAK_START\n');
delay.enable();
tick();
