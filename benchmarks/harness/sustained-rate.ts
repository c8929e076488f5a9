/**
 * The sustained-delivery search of the OTLP scenario (issue 13): the highest
 * rate, in records per second, at which a library with its defaults delivers
 * every record to the instant receiver over a window, logging in paced turns
 * of 100 records.
 *
 * - Child side ({@link pacedBench}): the case's loop runs once per turn; the
 *   next turn is due `100 / rate` seconds after the previous one was due
 *   (`setTimeout` when it is a millisecond or more away, `setImmediate`
 *   otherwise, so a rate above 100 per millisecond runs turn after turn).
 *   The window is logged from the Bench's `end()`, after the child's warm-up.
 * - Runner side ({@link searchSustainedRate}): a geometric bisection between
 *   {@link RATE_LOW} and {@link RATE_HIGH} (each probe at the geometric middle
 *   of what is left), a fixed number of probes, each one child process. A probe passes when every record arrived and the logging
 *   kept its pace (the window took at most 5% longer than planned).
 *
 * `BENCH_OTLP_RATE_WINDOW_S` (default 30, `--quick` 3) sets the window, and
 * `BENCH_OTLP_RATE_PROBES` (default 5) the probes per library, so a search costs
 * at most probes × (window + shutdown) per library.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Bench, Case, RunnerOptions } from './types.ts';
import type { InstantReceiver } from './instant-receiver.ts';
import { runChild } from './spawn.ts';

/** The bisection's bounds, records per second (a factor of 128: five probes narrow it to a factor of 1.16). */
export const RATE_LOW = 4_000;
export const RATE_HIGH = 512_000;
const PER_TURN = 100;
/** Records the child logs (100 per turn, unpaced) before the window. */
export const WARMUP = 3_000;

/** The window and probe count in effect (see the module comment). */
export function rateSettings(options: Pick<RunnerOptions, 'quick'>, env: NodeJS.ProcessEnv = process.env): { windowS: number; probes: number } {
  const windowS = Number(env.BENCH_OTLP_RATE_WINDOW_S ?? (options.quick ? 3 : 30));
  const probes = Number(env.BENCH_OTLP_RATE_PROBES ?? 5);
  return {
    windowS: Number.isFinite(windowS) && windowS > 0 ? windowS : 30,
    probes: Number.isInteger(probes) && probes > 0 ? probes : 5,
  };
}

/**
 * Wraps a case's Bench for one probe: `loop` as it is (the child's warm-up of
 * {@link WARMUP} records and its one measured call); the `end()` after that
 * call logs the paced window given by
 * `BENCH_OTLP_RATE` (records/s) and `BENCH_OTLP_RATE_WINDOW_S`, then ends the base.
 */
export function pacedBench(base: Bench): Bench {
  const rate = Number(process.env.BENCH_OTLP_RATE);
  const windowS = Number(process.env.BENCH_OTLP_RATE_WINDOW_S);
  let paced = false;
  let logged = 0;
  return {
    loop(start, count) {
      logged += count;
      base.loop(start, count);
    },
    async end() {
      // the child's warm-up ends here too: the window comes after the measured call
      if (!paced && logged > WARMUP && rate > 0 && windowS > 0) {
        paced = true;
        const turns = Math.round((rate * windowS) / PER_TURN);
        const interval = (PER_TURN / rate) * 1000;
        const t0 = performance.now();
        for (let k = 0; k < turns; k++) {
          base.loop(1_000_000 + k * PER_TURN, PER_TURN);
          const wait = t0 + (k + 1) * interval - performance.now();
          if (wait >= 1) await sleep(wait);
          else await nextTurn();
        }
        // the child reports wall time per batch; this line is the probe's own record of its pace
        process.stderr.write(`paced ${turns * PER_TURN} records in ${(performance.now() - t0).toFixed(0)} ms\n`);
      }
      await base.end();
    },
    close: () => base.close?.(),
  };
}

/** One probe's outcome. */
export interface Probe {
  readonly rate: number;
  readonly ok: boolean;
  readonly sent: number;
  readonly received: number;
  /** How long the paced window took, over the planned window. */
  readonly pace: number;
}

/** A search's result: the highest rate that passed (undefined: none did) and every probe. */
export interface RateSearch {
  readonly rate: number | undefined;
  readonly probes: readonly Probe[];
}

/** Bisects (geometrically) for the highest rate at which case `c` delivers everything; see the module comment. */
export async function searchSustainedRate(c: Case, receiver: InstantReceiver, options: Pick<RunnerOptions, 'quick'>): Promise<RateSearch> {
  const { windowS, probes: count } = rateSettings(options);
  let low = RATE_LOW;
  let high = RATE_HIGH;
  let best: number | undefined;
  const probes: Probe[] = [];
  for (let i = 0; i < count; i++) {
    const rate = Math.round(Math.sqrt(low * high));
    const probe = await runProbe(c, receiver, rate, windowS);
    probes.push(probe);
    process.stderr.write(`    ${c.id} at ${rate} records/s: ${probe.ok ? 'all delivered' : `${probe.sent - probe.received} lost`}, pace ×${probe.pace.toFixed(2)}\n`);
    if (probe.ok) {
      best = rate;
      low = rate;
    } else high = rate;
  }
  return { rate: best, probes };
}

async function runProbe(c: Case, receiver: InstantReceiver, rate: number, windowS: number): Promise<Probe> {
  receiver.clear();
  const turns = Math.round((rate * windowS) / PER_TURN);
  const outcome = await runChild('otlp', c, 1, WARMUP, PER_TURN, 'null', {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, BENCH_OTLP_RATE: String(rate), BENCH_OTLP_RATE_WINDOW_S: String(windowS),
  });
  await sleep(50); // answers still on the loopback
  const sent = WARMUP + 1 + turns * PER_TURN;
  const received = receiver.counted;
  const paced = /paced \d+ records in (\d+) ms/.exec(outcome.stderr);
  const pace = paced === null ? Infinity : Number(paced[1]) / (windowS * 1000);
  return { rate, ok: outcome.code === 0 && received === sent && pace <= 1.05, sent, received, pace };
}
