/**
 * Runs one fault scenario: a loopback OTLP receiver in this process, the
 * load app (`load-app.ts`) in a child process pointed at it by environment
 * variables only, and a timeline of faults applied to the receiver relative
 * to the moment the child starts logging. The receiver's own count of
 * distinct records is the ground truth the child's accounting is checked
 * against.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { ROOT } from '../helpers/run-node.ts';

/** One step of a scenario's timeline, `at` ms after the child starts logging. */
export interface FaultStep {
  readonly at: number;
  readonly apply: (receiver: OtlpReceiver) => void | Promise<void>;
}

export interface Scenario {
  readonly name: string;
  /** What the receiver does, in words, for the results table. */
  readonly fault: string;
  readonly steps: readonly FaultStep[];
  /** Extra environment for the child (queue size, timeouts). */
  readonly env?: Readonly<Record<string, string>>;
  /** Whether every record must arrive (the receiver came back within the retry window). */
  readonly lossless: boolean;
}

export interface SoakReport {
  readonly emitted: number;
  readonly threw: number;
  readonly loadMs: number;
  readonly drainMs: number;
  readonly sinks: ReadonlyArray<{ received: number; exported?: number; pending?: number; dropped: Record<string, number> }>;
  readonly pipelineDrops: number;
  readonly eventLoopDelayMs: { p50: number; p99: number; max: number };
  readonly rssBaseMb: number;
  readonly rssMaxMb: number;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly report: SoakReport;
  readonly rate: number;
  readonly seconds: number;
  /** Distinct records the receiver kept (by `seq`). */
  readonly kept: number;
  /** Records the receiver kept more than once. */
  readonly duplicates: number;
  /** Records the receiver reported back as rejected (partial success). */
  readonly rejectedByReceiver: number;
  readonly requests: number;
  /** Records the child reported dropped, by reason. */
  readonly dropped: Record<string, number>;
  readonly droppedTotal: number;
  /** kept − rejected + dropped − emitted: 0 when every record is accounted for. */
  readonly unaccounted: number;
  readonly stderr: string;
  readonly code: number | null;
}

/** Runs `scenario` at `rate` records/s for `seconds`. */
export async function runScenario(scenario: Scenario, rate: number, seconds: number): Promise<ScenarioResult> {
  const receiver = await startOtlpReceiver();
  const timers: NodeJS.Timeout[] = [];
  try {
    const child = spawn(process.execPath, [join(ROOT, 'test/soak/load-app.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        OTEL_LOGS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'soak',
        SOAK_RATE: String(rate),
        SOAK_SECONDS: String(seconds),
        ...scenario.env,
      },
    });
    let stderr = '';
    const kill = setTimeout(() => child.kill('SIGKILL'), (seconds + 120) * 1000);
    child.stderr.on('data', (chunk: Buffer) => {
      const before = stderr;
      stderr += chunk;
      if (!before.includes('SOAK_START') && stderr.includes('SOAK_START')) {
        for (const step of scenario.steps) timers.push(setTimeout(() => void step.apply(receiver), step.at));
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(kill);
    const match = /SOAK_REPORT (.*)/.exec(stderr);
    if (match === null) throw new Error(`no report (exit ${code}): ${stderr.slice(-2000)}`);
    const report = JSON.parse(match[1]!) as SoakReport;
    const seqs = new Set<string>();
    for (const record of receiver.records) seqs.add(String(record.attributes.seq));
    const dropped: Record<string, number> = {};
    for (const sink of report.sinks) {
      for (const [reason, n] of Object.entries(sink.dropped)) dropped[reason] = (dropped[reason] ?? 0) + n;
    }
    const droppedTotal = Object.values(dropped).reduce((a, b) => a + b, 0) + report.pipelineDrops;
    const rejectedByReceiver = receiver.counts.rejected;
    return {
      scenario, report, rate, seconds, code, stderr,
      kept: seqs.size,
      duplicates: receiver.records.length - seqs.size,
      rejectedByReceiver,
      requests: receiver.counts.requests,
      dropped,
      droppedTotal,
      unaccounted: seqs.size - rejectedByReceiver + droppedTotal - report.emitted,
    };
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await receiver.close();
  }
}

/** A markdown table row for the results file. */
export function resultRow(r: ScenarioResult): string {
  const d = r.report.eventLoopDelayMs;
  const reasons = Object.entries(r.dropped).map(([k, v]) => `${k} ${v}`).join(', ') || '0';
  return `| ${r.scenario.name} | ${r.scenario.fault} | ${r.report.emitted} | ${r.kept} | ${r.rejectedByReceiver} | ` +
    `${reasons} | ${r.unaccounted} | ${r.duplicates} | ${r.report.threw} | ${d.p50.toFixed(1)} / ${d.p99.toFixed(1)} / ${d.max.toFixed(0)} | ` +
    `${r.report.rssBaseMb.toFixed(0)} → ${r.report.rssMaxMb.toFixed(0)} | ${(r.report.drainMs / 1000).toFixed(1)} |`;
}

export const RESULT_HEADER =
  '| scenario | receiver does | emitted | received (distinct) | rejected by receiver | dropped (reported, by reason) | unaccounted | duplicates | calls that threw | event-loop delay p50 / p99 / max (ms) | RSS MB (start → max) | drain s |\n' +
  '|---|---|---:|---:|---:|---|---:|---:|---:|---|---|---:|';

/**
 * The fault scenarios, scaled to a run of `seconds` (the soak runs 30 s:
 * faults start at 5 s and last 10 s; shorter runs shrink both).
 */
export function scenarios(seconds: number, rate = 3000): Scenario[] {
  const ms = (s: number): number => Math.round(s * 1000);
  const start = Math.min(5, seconds / 6);
  const window = Math.min(10, seconds / 3);
  const w = window.toFixed(window < 10 ? 1 : 0);
  // Lossless claims need a queue that holds the outage plus the backoff lag after it (at most 5 s).
  const queue = { OTEL_BLRP_MAX_QUEUE_SIZE: String(Math.max(65_536, 2 ** Math.ceil(Math.log2(rate * (window + 7))))) };
  const between = (fault: Parameters<OtlpReceiver['setDefaultFault']>[0], from = start, to = start + window): FaultStep[] => [
    { at: ms(from), apply: (r) => r.setDefaultFault(fault) },
    { at: ms(to), apply: (r) => r.setDefaultFault(undefined) },
  ];
  const outage: FaultStep[] = [{ at: ms(start), apply: (r) => r.down() }, { at: ms(start + window), apply: (r) => r.up() }];
  return [
    { name: 'baseline', fault: 'answers 200 throughout', steps: [], lossless: true },
    {
      name: 'refused', fault: 'refuses every connection (nothing listening), retry window 5 s',
      steps: [{ at: 0, apply: (r) => r.down() }], env: { OTEL_BLRP_EXPORT_TIMEOUT: '5000' }, lossless: false,
    },
    {
      name: 'reset', fault: `reads each request, then resets the connection, for ${w} s; queue ${queue.OTEL_BLRP_MAX_QUEUE_SIZE}`,
      steps: between({ reset: true }), env: queue, lossless: true,
    },
    {
      name: '503-429', fault: `503 + Retry-After: 1 for ${(window / 2).toFixed(1)} s, then 429 + Retry-After: 2 for ` +
        `${(window / 2).toFixed(1)} s; queue ${queue.OTEL_BLRP_MAX_QUEUE_SIZE}`,
      steps: [...between({ status: 503, retryAfter: 1 }, start, start + window / 2),
        ...between({ status: 429, retryAfter: 2 }, start + window / 2, start + window)],
      env: queue, lossless: true,
    },
    { name: '400', fault: `400 Bad Request for ${(window / 2).toFixed(1)} s`, steps: between({ status: 400, message: 'bad' }, start, start + window / 2), lossless: false },
    { name: 'partial', fault: 'partial success rejecting 1 record in every answer', steps: [{ at: 0, apply: (r) => r.setDefaultFault({ rejected: 1, message: 'attribute too long' }) }], lossless: false },
    {
      name: 'hang', fault: `never answers for ${w} s (client timeout 2 s); queue ${queue.OTEL_BLRP_MAX_QUEUE_SIZE}`,
      steps: between({ hang: true }), env: { OTEL_EXPORTER_OTLP_TIMEOUT: '2000', ...queue }, lossless: true,
    },
    {
      name: 'outage', fault: `goes down for ${w} s, then comes back (retry window 30 s); queue ${queue.OTEL_BLRP_MAX_QUEUE_SIZE}`,
      steps: outage, env: queue, lossless: true,
    },
    {
      name: 'outage-small-queue', fault: `goes down for ${w} s, then comes back; queue 16384 (less than the outage)`,
      steps: outage, env: { OTEL_BLRP_MAX_QUEUE_SIZE: '16384' }, lossless: false,
    },
  ];
}

/** Bounds a run must keep, generous for two cores shared with other work. */
export interface Bounds {
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
  readonly rssGrowthMb: number;
}

/** Asserts the promises of issue 7 for one run; throws an AssertionError naming the first one broken. */
export function checkResult(r: ScenarioResult, bounds: Bounds): void {
  const summary = `${r.scenario.name}: ${JSON.stringify({ ...r, scenario: undefined, stderr: r.stderr.slice(-600) })}`;
  assert.equal(r.code, 0, summary);
  assert.equal(r.report.threw, 0, `log calls threw: ${summary}`);
  assert.equal(r.report.sinks.reduce((n, s) => n + s.received, 0), r.report.emitted, summary);
  assert.equal(r.unaccounted, 0, `records unaccounted for: ${summary}`);
  assert.equal(r.duplicates, 0, `records delivered twice: ${summary}`);
  if (r.scenario.lossless) {
    assert.equal(r.droppedTotal, 0, `records lost although the receiver came back: ${summary}`);
    assert.equal(r.kept, r.report.emitted, summary);
  }
  const delay = r.report.eventLoopDelayMs;
  assert.ok(delay.p99 < bounds.eventLoopP99Ms && delay.max < bounds.eventLoopMaxMs, `event loop delay ${JSON.stringify(delay)}`);
  const growth = r.report.rssMaxMb - r.report.rssBaseMb;
  assert.ok(growth < bounds.rssGrowthMb, `RSS grew ${growth.toFixed(0)} MB`);
}
