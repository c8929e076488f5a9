/**
 * The instruction-count mode (`--instructions`): instructions per record,
 * counted by valgrind's callgrind on `node --single-threaded --predictable --predictable-gc-schedule`
 * (no GC or compiler threads, heap sizing that does not follow the clock),
 * as the difference between two runs of the same case with N₁ and N₂
 * measured records (same warm-up), divided by N₂ − N₁. The
 * count is repeatable where wall time is not: it does not change with what
 * else the machine is doing.
 */
import type { Case } from './types.ts';
import { runChild } from './spawn.ts';

/** The cases whose instructions the targets use (scenario/case id). */
export const INSTRUCTION_CASES: readonly string[] = [
  'stdout/attrs3/logbridge', 'stdout/attrs3/pino', 'stdout/attrs3/pino-sync',
  'floor/floor/per-field+chunks', 'floor/floor/per-field+correlation',
  'correlated/steady/logbridge', 'correlated/steady/floor', 'correlated/steady/pino',
  'correlated/rotating/logbridge', 'correlated/rotating/floor', 'correlated/rotating/pino',
];

// A warm-up long enough that V8's optimising compiles of the logger's larger functions (done
// around records 14k–33k) fall before the measured window, as those of the small floor
// functions do: a shorter one counted compile work on one side only (±20–25% between runs).
const WARMUP = 40_000;
const N1 = 10_000;
const N2 = 50_000;

async function collected(scenario: string, c: Case, calls: number, turn: number): Promise<number> {
  const outcome = await runChild(scenario, c, calls, WARMUP, turn, 'null', undefined,
    ['valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null']);
  const match = /Collected\s*:\s*(\d+)/.exec(outcome.stderr);
  if (outcome.code !== 0 || match === null) throw new Error(`callgrind run of ${scenario}/${c.id} failed: ${outcome.stderr.slice(-300)}`);
  return Number(match[1]);
}

/** Instructions per record of one case: (I(N₂) − I(N₁)) / (N₂ − N₁). */
export async function instructionsPerRecord(scenario: string, c: Case, turn: number): Promise<number> {
  const low = await collected(scenario, c, N1, turn);
  const high = await collected(scenario, c, N2, turn);
  return (high - low) / (N2 - N1);
}
