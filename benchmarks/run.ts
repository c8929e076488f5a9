/**
 * The benchmark runner (`npm run bench`): runs every case of every scenario
 * in its own child process on this machine, checks each case's output
 * before timing it, then prints the environment and one table per scenario
 * with medians, spreads and ratios, and checks the targets (docs/performance.md).
 *
 *   node benchmarks/run.ts [--quick] [--runs N] [--only TEXT] [--turn N]
 *                          [--json FILE] [--no-save] [--otlp-endpoint URL] [--instructions]
 *
 * Results go to benchmarks/results/latest.{json,md} unless --no-save.
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { cpus, totalmem, platform, release, arch, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Case, CaseResult, RunSample, Scenario } from './harness/types.ts';
import { formatNs, formatRate, formatRatio, markdownTable, median, spread } from './harness/stats.ts';
import { checkTargets, type TargetResult } from './harness/targets.ts';
import { runChild, type ChildOutcome } from './harness/spawn.ts';
import { INSTRUCTION_CASES, instructionsPerRecord } from './harness/instructions.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const SCENARIOS = ['stdout', 'disabled', 'correlated', 'floor', 'otlp'];

interface Options {
  quick: boolean;
  runs: number;
  only: string | undefined;
  turn: number;
  json: string | undefined;
  save: boolean;
  otlpEndpoint: string | undefined;
  instructions: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { quick: false, runs: 0, only: undefined, turn: 100, json: undefined, save: true, otlpEndpoint: undefined, instructions: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--runs') options.runs = Number(argv[++i]);
    else if (arg === '--only') options.only = argv[++i];
    else if (arg === '--turn') options.turn = Number(argv[++i]);
    else if (arg === '--json') options.json = argv[++i];
    else if (arg === '--no-save') options.save = false;
    else if (arg === '--otlp-endpoint') options.otlpEndpoint = argv[++i];
    else if (arg === '--instructions') options.instructions = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (options.runs === 0) options.runs = options.quick ? 2 : 5;
  return options;
}

const LIBRARIES = [
  'pino', 'sonic-boom', 'winston', 'bunyan', '@logtape/logtape', '@opentelemetry/api', '@opentelemetry/sdk-logs',
  '@opentelemetry/sdk-trace', '@opentelemetry/context-async-hooks', '@opentelemetry/exporter-logs-otlp-proto',
  '@opentelemetry/exporter-logs-otlp-http', 'pino-opentelemetry-transport', '@opentelemetry/winston-transport',
];

function environment(): Record<string, unknown> {
  const versions: Record<string, string> = {};
  for (const name of ['logbridge', ...LIBRARIES]) {
    const file = name === 'logbridge' ? join(ROOT, 'package.json') : join(ROOT, 'node_modules', name, 'package.json');
    try {
      versions[name] = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      versions[name] = 'not installed';
    }
  }
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch { /* not a git checkout */ }
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${platform()} ${release()} ${arch()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((n) => n.toFixed(2)).join(' '),
    commit,
    versions,
  };
}

/** Checks one verification run's output: line count, valid JSON, required content. Returns a problem or undefined. */
function checkOutput(c: Case, outcome: ChildOutcome, calls: number): string | undefined {
  if (outcome.code !== 0 || outcome.sample === undefined) {
    return `exit code ${outcome.code}: ${outcome.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  }
  const lines = outcome.stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const expected = c.expectedLines?.(calls) ?? calls;
  if (lines.length !== expected) return `expected ${expected} lines, got ${lines.length}`;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    try {
      JSON.parse(line);
    } catch {
      return `line ${i + 1} is not JSON: ${line.slice(0, 120)}`;
    }
    for (const needle of c.mustContain ?? []) {
      if (!line.includes(needle)) return `line ${i + 1} lacks ${JSON.stringify(needle)}: ${line.slice(0, 160)}`;
    }
  }
  return undefined;
}

function summarize(scenario: Scenario, c: Case, samples: readonly RunSample[]): CaseResult {
  const ns = samples.map((s) => s.wallNs / s.calls);
  const cpu = samples.map((s) => (s.cpuUs * 1000) / s.calls);
  const rss = samples.map((s) => s.maxRssKiB / 1024);
  return {
    scenario: scenario.name,
    id: c.id,
    variant: c.variant,
    library: c.library,
    unit: scenario.unit,
    reference: c.reference === true,
    runs: samples.length,
    calls: samples[0]?.calls ?? 0,
    nsPerUnit: median(ns),
    nsMin: Math.min(...ns),
    nsMax: Math.max(...ns),
    spread: spread(ns),
    cpuNsPerUnit: median(cpu),
    maxRssMiB: median(rss),
    samplesNs: ns,
  };
}

async function loadScenario(name: string): Promise<Scenario | undefined> {
  const file = join(HERE, 'scenarios', `${name}.ts`);
  if (!existsSync(file)) return undefined;
  const mod = await import(file) as { scenario?: Scenario };
  return mod.scenario;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const env = environment();
  const started = Date.now();
  printEnvironment(env, options);
  const results: CaseResult[] = [];
  const failures: Array<{ id: string; problem: string }> = [];
  for (const name of SCENARIOS) {
    const scenario = await loadScenario(name);
    if (scenario === undefined) continue;
    const cases = scenario.cases.filter((c) => options.only === undefined || `${name}/${c.id}`.includes(options.only));
    if (cases.length === 0) continue;
    if (scenario.run !== undefined) {
      // Scenarios with their own driver (OTLP: a receiver in this process).
      const own = await scenario.run(cases, options);
      results.push(...own.results);
      failures.push(...own.failures);
      printScenario(scenario, own.results);
      continue;
    }
    const factor = options.quick ? 0.4 : 1;
    const callsOf = (c: Case): number => Math.max(1000, Math.round(scenario.count * factor * (c.scale ?? 1)));
    const warmupOf = (c: Case): number => Math.max(500, Math.round(scenario.warmup * Math.min(1, (c.scale ?? 1) * 2)));
    log(`\n${scenario.title}: verifying ${cases.length} cases`);
    const good: Case[] = [];
    for (const c of cases) {
      const calls = Math.min(2000, callsOf(c));
      const warmup = Math.min(500, warmupOf(c));
      const outcome = await runChild(name, c, calls, warmup, Math.min(options.turn, c.turn ?? Infinity), 'pipe');
      const batches = c.batches ?? 3;
      const problem = checkOutput(c, outcome, batches * Math.floor(calls / batches) + warmup);
      if (problem === undefined) good.push(c);
      else {
        failures.push({ id: `${name}/${c.id}`, problem });
        log(`  ✗ ${c.id}: ${problem}`);
      }
    }
    const samples = new Map<Case, RunSample[]>(good.map((c) => [c, []]));
    // Runs are interleaved (case A, B, C, A, B, C, …) so drifting machine load hits every case alike.
    // Secondary cases (a case's `runs`) get fewer processes, to keep the suite within a few minutes.
    const runsOf = (c: Case): number => Math.min(options.runs, c.runs ?? options.runs);
    for (let run = 0; run < options.runs; run++) {
      log(`  run ${run + 1}/${options.runs}`);
      for (const c of good) {
        if (run >= runsOf(c)) continue;
        const outcome = await runChild(name, c, callsOf(c), warmupOf(c), options.turn, 'null');
        if (outcome.sample === undefined || outcome.code !== 0) {
          failures.push({ id: `${name}/${c.id}`, problem: `run ${run + 1} failed: ${outcome.stderr.trim().slice(-300)}` });
          continue;
        }
        samples.get(c)!.push(outcome.sample);
      }
    }
    const scenarioResults = good.filter((c) => samples.get(c)!.length > 0).map((c) => summarize(scenario, c, samples.get(c)!));
    results.push(...scenarioResults);
    addRatios(results);
    printScenario(scenario, scenarioResults);
  }
  const instructions = options.instructions ? await countInstructions(options) : undefined;
  const targets = checkTargets(results, instructions);
  printTargets(targets);
  if (failures.length > 0) {
    console.log('\nFailed checks (these cases were not timed):');
    for (const f of failures) console.log(`  ${f.id}: ${f.problem}`);
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`\nTotal time: ${seconds} s`);
  const document = { environment: env, options, seconds, results, instructions, targets, failures };
  if (options.json !== undefined) writeFileSync(options.json, JSON.stringify(document, null, 2) + '\n');
  if (options.save && options.only === undefined) {
    const dir = join(HERE, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'latest.json'), JSON.stringify(document, null, 2) + '\n');
    writeFileSync(join(dir, 'latest.md'), toMarkdown(env, options, seconds, results, targets, failures));
    console.log(`Results written to ${join('benchmarks', 'results', 'latest.{json,md}')}`);
  }
  process.exitCode = failures.length > 0 ? 1 : 0;
}

/** Instructions per record (callgrind) of the cases the targets use, printed as a table. */
async function countInstructions(options: Options): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const selected = INSTRUCTION_CASES.filter((id) => options.only === undefined || id.includes(options.only));
  log(`\nInstructions per record (callgrind, node --single-threaded): ${selected.length} cases × 2 runs`);
  for (const id of selected) {
    const [name, ...rest] = id.split('/');
    const scenario = await loadScenario(name!);
    const c = scenario?.cases.find((x) => x.id === rest.join('/'));
    if (c === undefined) continue;
    counts[id] = await instructionsPerRecord(name!, c, options.turn);
    log(`  ${id}: ${Math.round(counts[id]!)}`);
  }
  console.log('\nInstructions per record (callgrind)\n');
  console.log(markdownTable(['case', 'instructions/record'], Object.entries(counts).map(([id, n]) => [id, String(Math.round(n))])));
  return counts;
}

/**
 * Each case's ratio to the reference case (pino's default destination) of
 * its variant; cases without one (the floor, logbridge-only variants) are
 * divided by scenario 1's pino case.
 */
function addRatios(results: CaseResult[]): void {
  const main = results.find((x) => x.scenario === 'stdout' && x.id === 'attrs3/pino');
  for (const r of results) {
    const ref = results.find((x) => x.scenario === r.scenario && x.variant === r.variant && x.reference) ??
      (r.unit === 'record' ? main : undefined);
    if (ref === undefined) continue;
    r.ratio = r.nsPerUnit / ref.nsPerUnit;
    r.cpuRatio = r.cpuNsPerUnit / ref.cpuNsPerUnit;
  }
}

function log(text: string): void {
  process.stderr.write(text + '\n');
}

function printEnvironment(env: Record<string, unknown>, options: Options): void {
  const versions = env.versions as Record<string, string>;
  console.log('logbridge benchmarks');
  console.log(`  node ${env.node} (V8 ${env.v8}), ${env.platform}`);
  console.log(`  CPU ${env.cpu} × ${env.cores}, ${env.memoryGiB} GiB, load ${env.loadAverage}`);
  console.log(`  commit ${env.commit}, ${env.date}`);
  console.log(`  ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`  runs per case ${options.runs}${options.quick ? ' (quick)' : ''}, ${options.turn} calls per event-loop turn`);
}

const HEADER = ['case', 'library', 'ns/unit (median)', 'spread', 'units/s', 'CPU ns/unit', 'peak RSS', '× ref', '× ref CPU'];

/** What the `× ref` columns divide by, per scenario. */
const REFERENCE_NOTE: Readonly<Record<string, string>> = {
  stdout: 'ref = pino default destination, same shape',
  disabled: 'ref = pino',
  correlated: 'ref = pino + mixin; logbridge-only variants vs scenario 1 pino',
  floor: 'ref = scenario 1 pino default destination',
  otlp: 'ref = raw OTel SDK with the protobuf exporter; CPU ratio per delivered record',
};

function rowsOf(results: readonly CaseResult[]): string[][] {
  return results.map((r) => [
    r.id,
    r.library,
    formatNs(r.nsPerUnit),
    `±${(r.spread * 100).toFixed(0)}%`,
    formatRate(1e9 / r.nsPerUnit),
    formatNs(r.cpuNsPerUnit),
    `${r.maxRssMiB.toFixed(0)} MiB`,
    formatRatio(r.ratio),
    formatRatio(r.cpuRatio),
  ]);
}

function printScenario(scenario: Scenario, results: readonly CaseResult[]): void {
  console.log(`\n${scenario.title} (unit: ${scenario.unit}; ${REFERENCE_NOTE[scenario.name] ?? ''})`);
  const rows = [HEADER.map((h) => h.replace('unit', scenario.unit)), ...rowsOf(results)];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log('  ' + row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  const extra = results.filter((r) => r.extra !== undefined);
  if (extra.length === 0) return;
  const extraRows = [['case', ...Object.keys(extra[0]!.extra!)], ...extra.map((r) => [r.id, ...Object.values(r.extra!).map(String)])];
  const extraWidths = extraRows[0]!.map((_, i) => Math.max(...extraRows.map((row) => row[i]!.length)));
  console.log('');
  for (const row of extraRows) console.log('  ' + row.map((cell, i) => (i < 1 ? cell.padEnd(extraWidths[i]!) : cell.padStart(extraWidths[i]!))).join('  '));
}

function mark(met: boolean | undefined): string {
  return met === undefined ? '?' : met ? '✓' : '✗';
}

function printTargets(targets: readonly TargetResult[]): void {
  console.log('\nTargets, ratios within this run (wall time; CPU time and instructions where shown):');
  for (const t of targets) {
    const cpu = t.cpuValue === undefined ? '' : `; on CPU time ${t.cpuValue} ${mark(t.cpuMet)}`;
    console.log(`  ${mark(t.met)} ${t.name}: ${t.value ?? '—'} (target ${t.target}${cpu})`);
  }
}

function yesNo(met: boolean | undefined): string {
  return met === undefined ? '?' : met ? 'yes' : 'no';
}

function toMarkdown(env: Record<string, unknown>, options: Options, seconds: number, results: readonly CaseResult[],
  targets: readonly TargetResult[], failures: ReadonlyArray<{ id: string; problem: string }>): string {
  const versions = env.versions as Record<string, string>;
  const parts = [
    '# Benchmark results (last run)',
    '',
    `Generated by \`npm run bench\` on ${env.date} at commit ${env.commit}; do not edit by hand.`,
    '',
    `- Node ${env.node} (V8 ${env.v8}), ${env.platform}`,
    `- CPU ${env.cpu} × ${env.cores}, ${env.memoryGiB} GiB RAM, load average at start ${env.loadAverage}`,
    `- ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `- ${options.runs} runs per case${options.quick ? ' (--quick)' : ''}, ${options.turn} calls per event-loop turn, total ${seconds} s`,
    '',
    '## Targets',
    '',
    'Measured on wall time (the median over runs); the same ratio on CPU time (every thread of the process) alongside.',
    '',
    markdownTable(['target', 'goal', 'wall time', 'met', 'CPU time', 'met (CPU)'], targets.map((t) => [
      t.name, t.target, t.value ?? '—', yesNo(t.met), t.cpuValue ?? '—', t.cpuValue === undefined ? '—' : yesNo(t.cpuMet),
    ])),
  ];
  const byScenario = new Map<string, CaseResult[]>();
  for (const r of results) byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r]);
  for (const [name, list] of byScenario) {
    parts.push('', `## ${name}`, '', `Ratios: ${REFERENCE_NOTE[name] ?? ''}.`, '', markdownTable(HEADER.map((h) => h.replace('unit', list[0]!.unit)), rowsOf(list)));
    const extra = list.filter((r) => r.extra !== undefined);
    if (extra.length > 0) {
      parts.push('', markdownTable(['case', ...Object.keys(extra[0]!.extra!)], extra.map((r) => [r.id, ...Object.values(r.extra!).map(String)])));
    }
  }
  if (failures.length > 0) {
    parts.push('', '## Failed checks', '', ...failures.map((f) => `- ${f.id}: ${f.problem}`));
  }
  return parts.join('\n') + '\n';
}

await main();
