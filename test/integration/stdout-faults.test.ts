import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SRC_INDEX } from '../helpers/run-node.ts';

/**
 * stdout faults, in child processes that log under load while the parent
 * plays a broken reader: one that closes the pipe (EPIPE), one that stops
 * reading (full pipe), one that reads slowly. The child never touches
 * `process.stdout` itself, as a service that only logs through logbridge.
 * Accounting is exact wherever the reader eventually reads everything:
 * complete lines received + lines reported dropped = lines emitted.
 */

interface ChildReport {
  readonly emitted: number;
  readonly received: number;
  readonly dropped: number;
  readonly rssGrowthMb: number;
  readonly maxDelayMs: number;
}

const CHILD = `
import { getLogger } from ${JSON.stringify(SRC_INDEX)};
import { runtime } from ${JSON.stringify(join(ROOT, 'src/core/runtime.ts'))};
import { monitorEventLoopDelay } from 'node:perf_hooks';
const [durationMs, perTick, payloadChars] = process.argv.slice(2).map(Number);
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const log = getLogger('fault');
const payload = 'p'.repeat(payloadChars);
const baseRss = process.memoryUsage.rss();
let emitted = 0;
let maxRss = 0;
const deadline = Date.now() + durationMs;
const counts = () => {
  const [stats] = runtime.pipeline.stats();
  return { received: stats.received, dropped: Object.values(stats.dropped).reduce((a, b) => a + b, 0) };
};
function batch() {
  for (let i = 0; i < perTick; i++) log.info('line', { seq: emitted++, payload });
  maxRss = Math.max(maxRss, process.memoryUsage.rss());
  if (Date.now() < deadline) setTimeout(batch, 10);
  else {
    delay.disable();
    process.stderr.write('LOAD_DONE\\n');
    process.on('exit', () => process.stderr.write('REPORT ' + JSON.stringify({
      emitted, ...counts(), rssGrowthMb: (maxRss - baseRss) / 2 ** 20, maxDelayMs: delay.max / 1e6,
    }) + '\\n'));
  }
}
batch();
`;

let scriptPath: string | undefined;
function childScript(): string {
  if (scriptPath === undefined) {
    const dir = join(ROOT, '.test-scripts');
    mkdirSync(dir, { recursive: true });
    scriptPath = join(dir, `stdout-faults-${process.pid}.ts`);
    writeFileSync(scriptPath, CHILD);
  }
  return scriptPath;
}

type Reader = 'close' | 'stuck' | 'slow';

async function runUnderFault(reader: Reader, args: [durationMs: number, perTick: number, payloadChars: number]):
  Promise<{ report: ChildReport; code: number | null; stderr: string; lines: string[] }> {
  const child = spawn(process.execPath, [childScript(), ...args.map(String)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const chunks: Buffer[] = [];
  const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.stderr.on('data', (c: Buffer) => {
    stderr += c;
    if (reader === 'stuck' && stderr.includes('LOAD_DONE')) child.stdout.resume();
  });
  child.stdout.on('data', (c: Buffer) => {
    chunks.push(c);
    if (reader === 'close' && chunks.length === 1) child.stdout.destroy();
    if (reader === 'slow') {
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 4);
    }
  });
  if (reader === 'stuck') child.stdout.pause();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(kill);
  const match = /REPORT (.*)/.exec(stderr);
  assert.ok(match, `no report; exit ${code}; stderr: ${stderr.slice(0, 1000)}`);
  const text = Buffer.concat(chunks).toString('utf8');
  const lines = text.split('\n');
  lines.pop(); // the part after the last newline is not a complete line
  if (process.env.LOGBRIDGE_TEST_VERBOSE) console.log(reader, match[1], 'lines', lines.length);
  return { report: JSON.parse(match[1]!) as ChildReport, code, stderr, lines };
}

function assertWholeAndOrdered(lines: readonly string[]): void {
  let last = -1;
  for (const line of lines) {
    const seq = (JSON.parse(line) as { seq: number }).seq;
    assert.ok(seq > last, `out of order: ${seq} after ${last}`);
    last = seq;
  }
}

describe('stdout faults (child processes under load)', function () {
  this.timeout(90_000);

  it('survives a reader that closes the pipe (EPIPE): no crash, memory flat, drops counted', async () => {
    const { report, code, stderr } = await runUnderFault('close', [1500, 200, 300]);
    assert.equal(code, 0, stderr.slice(0, 1000));
    assert.equal(report.received, report.emitted);
    assert.ok(report.dropped > 0 && report.dropped <= report.emitted, JSON.stringify(report));
    assert.match(stderr, /STDOUT_CLOSED: fd 1 failed with EPIPE/);
    assert.ok(report.rssGrowthMb < 128, `RSS grew ${report.rssGrowthMb} MB`);
  });

  it('survives a reader that stops reading (full pipe): bounded buffer, drops counted, every line accounted for', async () => {
    // About 30 MB/s for 2 s against a 16 Mi-char buffer: the writer must drop.
    const { report, code, stderr, lines } = await runUnderFault('stuck', [2000, 300, 1000]);
    assert.equal(code, 0, stderr.slice(0, 1000));
    assert.equal(report.received, report.emitted);
    assert.ok(report.dropped > 0, JSON.stringify(report));
    assert.equal(lines.length + report.dropped, report.emitted, JSON.stringify(report));
    assertWholeAndOrdered(lines);
    assert.match(stderr, /STDOUT_FULL/);
    assert.ok(report.rssGrowthMb < 256, `RSS grew ${report.rssGrowthMb} MB`);
    // The writer waits at most 1 s for a reader before dropping (fd-writer blockMs).
    assert.ok(report.maxDelayMs < 3000, `event loop blocked ${report.maxDelayMs} ms`);
  });

  it('fatal() with a stuck reader waits only briefly and discards no buffered line', async () => {
    const app = `
      import { getLogger } from ${JSON.stringify(SRC_INDEX)};
      import { runtime } from ${JSON.stringify(join(ROOT, 'src/core/runtime.ts'))};
      const log = getLogger('fault');
      for (let i = 0; i < 20000; i++) log.info('line', { seq: i, pad: 'y'.repeat(200) });
      setTimeout(() => {
        const started = performance.now();
        log.fatal('about to fall over', { seq: 20000 });
        const ms = performance.now() - started;
        const [stats] = runtime.pipeline.stats();
        process.stderr.write('FATAL ' + JSON.stringify({ ms, dropped: stats.dropped, pending: stats.pending }) + '\\n');
        process.exit(1);
      }, 300);
    `;
    const dir = join(ROOT, '.test-scripts');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `stdout-fatal-${process.pid}.ts`);
    writeFileSync(file, app);
    const child = spawn(process.execPath, [file], { cwd: ROOT, env: { ...process.env, LOGBRIDGE_EXIT_TIMEOUT_MS: '500' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('exit', () => child.stdout.resume());
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 1, stderr);
    const report = JSON.parse(/FATAL (.*)/.exec(stderr)![1]!) as { ms: number; dropped: Record<string, number>; pending: number };
    // Before: the FATAL write blocked 10 s on the stuck reader, then dropped the whole backlog.
    assert.deepEqual(report.dropped, {}, 'nothing was discarded by the FATAL write');
    assert.ok(report.pending > 0, 'the backlog is still buffered, for the exit flush');
    assert.ok(report.ms < 1000, `fatal() blocked ${report.ms} ms (it waits at most 50 ms)`);
    const text = Buffer.concat(chunks).toString('utf8');
    assert.ok(text.endsWith('\n'), 'no torn last line');
    const written = Number(/sink "stdout": 20001 received, (\d+) delivered/.exec(stderr)?.[1]);
    assert.equal(text.split('\n').length - 1, written, stderr);
    assertWholeAndOrdered(text.split('\n').slice(0, -1));
  });

  it('keeps up with a slow reader: lines whole and in order, every line accounted for', async () => {
    const { report, code, stderr, lines } = await runUnderFault('slow', [1500, 200, 500]);
    assert.equal(code, 0, stderr.slice(0, 1000));
    assert.equal(report.received, report.emitted);
    assert.equal(lines.length + report.dropped, report.emitted, JSON.stringify(report));
    assertWholeAndOrdered(lines);
    assert.ok(report.rssGrowthMb < 256, `RSS grew ${report.rssGrowthMb} MB`);
    assert.ok(report.maxDelayMs < 3000, `event loop blocked ${report.maxDelayMs} ms`);
  });
});
