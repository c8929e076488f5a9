/**
 * Runs one benchmark case in this process and reports on fd 3: warm-up,
 * then measured batches (three unless the case says otherwise).
 *
 *   node --expose-gc benchmarks/child.ts <scenario> <case-id> <calls> <warmup> <turn>
 *
 * `calls` is the total over all batches.
 *
 * The runner gives stdout as /dev/null (measure) or as a pipe (verify); the
 * case writes to fd 1 either way. Timing covers the calls and the final
 * flush, so libraries that write asynchronously pay for their writes too.
 */
import { writeSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Bench, RunSample, Scenario } from './harness/types.ts';

const [scenarioName, caseId, callsArg, warmupArg, turnArg] = process.argv.slice(2);
const scenario = (await import(`./scenarios/${scenarioName}.ts`) as { scenario: Scenario }).scenario;
const benchCase = scenario.cases.find((c) => c.id === caseId);
if (benchCase === undefined) throw new Error(`no case ${caseId} in ${scenarioName}`);
const calls = Number(callsArg);
const warmup = Number(warmupArg);
const turn = benchCase.turn ?? Number(turnArg);

async function drive(bench: Bench, first: number, count: number): Promise<void> {
  for (let done = 0; done < count; done += turn) {
    bench.loop(first + done, Math.min(turn, count - done));
    // Yield like a service does between requests: async writers get to write.
    await nextTurn();
  }
  await bench.end();
}

// A cold case's first batch also counts setup(): module loading and pipeline construction.
const setupCpu = process.cpuUsage();
const setupStart = process.hrtime.bigint();
const bench = await benchCase.setup();
if (warmup > 0) await drive(bench, 0, warmup);
if (benchCase.timedSetup !== true) {
  (globalThis as { gc?: () => void }).gc?.();
  // Let background work of the warm-up (optimizing compiles, concurrent GC) end before CPU time is counted.
  await new Promise((resolve) => setTimeout(resolve, 20));
}

// Three batches per process (unless the case says otherwise); the runner
// keeps the fastest, which removes most of the time lost to other processes
// on a shared machine (that noise only ever adds time).
const batchCount = benchCase.batches ?? 3;
const batches: Array<{ wallNs: number; cpuUs: number }> = [];
const perBatch = Math.max(1, Math.floor(calls / batchCount));
for (let b = 0; b < batchCount; b++) {
  const fromSetup = b === 0 && benchCase.timedSetup === true;
  const cpu0 = fromSetup ? setupCpu : process.cpuUsage();
  const t0 = fromSetup ? setupStart : process.hrtime.bigint();
  await drive(bench, warmup + b * perBatch, perBatch);
  // The last batch includes shutting down (OTLP: until everything is delivered).
  if (b === batchCount - 1) await bench.close?.();
  const wallNs = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  batches.push({ wallNs, cpuUs: cpu.user + cpu.system });
}
const best = batches.reduce((a, b) => (b.wallNs < a.wallNs ? b : a));

const sample: RunSample = {
  calls: perBatch,
  wallNs: best.wallNs,
  cpuUs: best.cpuUs,
  batchesWallNs: batches.map((b) => b.wallNs),
  maxRssKiB: process.resourceUsage().maxRSS,
  heapUsedBytes: process.memoryUsage().heapUsed,
};
writeSync(3, JSON.stringify(sample));
