import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeScript } from '../helpers/crash-child.ts';
import { ROOT, parseLines } from '../helpers/run-node.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';

/**
 * The exit matrix (issue 12; the table in docs/errors-and-crashes.md): how a
 * process ends × what the collector does × how stdout is read, in child
 * processes that have records buffered in both sinks when the end starts.
 * The full cross product is 8 × 4 × 3 = 96 cells (`EXIT_MATRIX_FULL=1`);
 * by default this runs a covering subset of 32: every exit path with every collector state, the reader
 * rotated so that every (exit path, reader) and (collector, reader) pair
 * occurs too. Per cell: every stdout line is valid JSON and the output
 * ends at a line boundary; stdout lines read = what the accounting says was
 * written; the receiver's records lie between what the accounting calls
 * delivered and delivered + unconfirmed; every sink's accounting adds up
 * (received = delivered + dropped + undelivered + unconfirmed); without an
 * accounting line, everything arrived; the exit code or signal is Node's;
 * the end took at most the deadline plus a margin.
 */

const DEADLINE_MS = 1000;
/**
 * What the end may take beyond the deadline here. The docs promise about
 * 300 ms on an idle machine (exit sender start-up, finishing a cut line);
 * a loaded CI machine running four of these children at once on two cores
 * needs more, because a process cannot keep its own deadline while its
 * main thread compiles the OTLP exporter (0.25 s of CPU when idle), so that
 * only a real overrun (a socket holding the loop, a fixed 10 s wait) fails.
 */
const MARGIN_MS = 3000;
const PATHS = ['natural', 'exit0', 'uncaught', 'rejection', 'sigterm', 'sigterm-listener', 'sigint', 'sigint-listener'] as const;
const COLLECTORS = ['up', 'down', 'hang', '503'] as const;
const READERS = ['normal', 'slow', 'stuck'] as const;
type Path = typeof PATHS[number];
type Collector = typeof COLLECTORS[number];
type Reader = typeof READERS[number];

/** The application: logs 3,000 records in one go (signal paths: 100 every 5 ms, signalled after 3,000) and then ends by `CELL_PATH`. */
const APP = `
const path = process.env.CELL_PATH;
const pad = 'p'.repeat(120);
let i = 0;
const burst = (n) => { for (let k = 0; k < n; k++) log.info('tick', { i: i++, pad }); process.stderr.write('E ' + i + '\\n'); };
const mark = () => process.stderr.write('MARK_AT ' + Date.now() + '\\n');
const keep = setInterval(() => {}, 1000);
if (path.startsWith('sig')) {
  const signal = path.startsWith('sigterm') ? 'SIGTERM' : 'SIGINT';
  let timer;
  // a busy service: 20,000 records a second, and it goes on logging while logbridge delivers
  const loop = () => { burst(100); if (i === 3000) process.stderr.write('READY\\n'); timer = setTimeout(loop, 5); };
  if (path.endsWith('listener')) {
    // a graceful shutdown: stop working, log once more, let the loop run dry
    process.on(signal, () => { clearTimeout(timer); clearInterval(keep); log.info('draining'); process.stderr.write('X 1\\n'); });
  }
  loop();
} else {
  burst(3000);
  if (path !== 'natural') mark();
  // the end of a natural end is when the loop runs dry (logbridge's 'beforeExit' hook, installed first, runs first)
  if (path === 'natural') { clearInterval(keep); process.once('beforeExit', mark); }
  else if (path === 'exit0') process.exit(0);
  else if (path === 'uncaught') setImmediate(() => { throw new Error('boom'); });
  else Promise.reject(new Error('nope'));
}
`;

interface Cell {
  readonly path: Path;
  readonly collector: Collector;
  readonly reader: Reader;
}

interface CellRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From the start of the end (MARK_AT, or the signal sent) to the child's exit, ms. */
  readonly endMs: number;
  readonly received: readonly unknown[];
}

/**
 * The covering subset: every (path, collector) pair, the reader chosen so
 * every pair with it occurs too. `EXIT_MATRIX_FULL=1` runs all 96 cells
 * (about three times as long).
 */
function cells(): Cell[] {
  const out: Cell[] = [];
  const full = process.env.EXIT_MATRIX_FULL === '1';
  PATHS.forEach((path, p) => COLLECTORS.forEach((collector, c) => {
    for (const reader of full ? READERS : [READERS[(p + c) % 3]!]) out.push({ path, collector, reader });
  }));
  return out;
}

async function runCell(cell: Cell): Promise<CellRun> {
  const receiver = await startOtlpReceiver();
  try {
    if (cell.collector === 'down') await receiver.down();
    if (cell.collector === 'hang') receiver.setDefaultFault({ hang: true });
    if (cell.collector === '503') receiver.setDefaultFault({ status: 503 });
    const run = await spawnCell(cell, receiver);
    return { ...run, received: receiver.records.map((r) => r.severityText === 'FATAL' ? 'FATAL' : r.attributes.i ?? r.body) };
  } finally {
    await receiver.close();
  }
}

function spawnCell(cell: Cell, receiver: OtlpReceiver): Promise<Omit<CellRun, 'received'>> {
  const file = writeScript(APP);
  const crash = cell.path === 'uncaught' || cell.path === 'rejection';
  const env: Record<string, string | undefined> = {
    ...process.env,
    CELL_PATH: cell.path,
    LOGBRIDGE_FORMAT: 'json',
    LOGBRIDGE_EXIT_TIMEOUT_MS: String(DEADLINE_MS),
    // the default configuration, but for the crash handlers that only the crash paths need
    LOGBRIDGE_CRASH_HANDLERS: crash ? 'true' : undefined,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_SERVICE_NAME: 'exit-matrix',
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const child = spawn(process.execPath, [file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let stderr = '';
  let startedAt: number | undefined;
  let exitedAt = 0;
  if (cell.reader === 'stuck') child.stdout.pause();
  child.stdout.on('data', (chunk: Buffer) => {
    out.push(chunk);
    if (cell.reader === 'slow') {
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 5);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
    if (startedAt !== undefined) return;
    const mark = /MARK_AT (\d+)/.exec(stderr);
    if (mark) startedAt = Number(mark[1]);
    else if (stderr.includes('READY\n')) {
      startedAt = Date.now();
      child.kill(cell.path.startsWith('sigterm') ? 'SIGTERM' : 'SIGINT');
    }
  });
  const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
  child.on('exit', () => {
    exitedAt = Date.now();
    child.stdout.resume(); // the stuck reader reads what the pipe holds once the child is gone
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(kill);
      resolve({
        code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr,
        endMs: startedAt === undefined ? NaN : exitedAt - startedAt,
      });
    });
  });
}

interface SinkLine {
  readonly received: number;
  readonly delivered: number;
  readonly dropped: number;
  readonly undelivered: number;
  readonly unconfirmed: number;
}

/** The accounting line's numbers, sink by sink; undefined when there is no line. */
function accountingOf(stderr: string): { emitted: number; sinks: Record<string, SinkLine> } | undefined {
  const lines = stderr.split('\n').filter((l) => l.startsWith('logbridge: ACCOUNTING: '));
  assert.ok(lines.length <= 1, `more than one accounting line:\n${stderr}`);
  if (lines.length === 0) return undefined;
  const [head, ...parts] = lines[0]!.slice('logbridge: ACCOUNTING: '.length).split('; ');
  const emitted = Number(/^(\d+) records? emitted/.exec(head!)?.[1]);
  const sinks: Record<string, SinkLine> = {};
  for (const part of parts) {
    const name = /^sink "([^"]+)"/.exec(part)![1]!;
    const n = (re: RegExp): number => Number(re.exec(part)?.[1] ?? 0);
    sinks[name] = {
      received: n(/(\d+) received/), delivered: n(/(\d+) delivered/), dropped: n(/(\d+) dropped/),
      undelivered: n(/(\d+) undelivered/), unconfirmed: n(/(\d+) unconfirmed/),
    };
  }
  return { emitted, sinks };
}

/** Records the application logged: its last progress report, plus the FATAL record or the listener's last line. */
function emittedBy(cell: Cell, stderr: string): number {
  const reports = [...stderr.matchAll(/^E (\d+)$/gm)].map((m) => Number(m[1]));
  const extra = cell.path === 'uncaught' || cell.path === 'rejection' ? 1 : cell.path.endsWith('listener') ? 1 : 0;
  return Math.max(...reports) + extra;
}

function expectedEnd(cell: Cell): [number | null, NodeJS.Signals | null] {
  if (cell.path === 'uncaught' || cell.path === 'rejection') return [1, null];
  if (cell.path === 'sigterm') return [null, 'SIGTERM'];
  if (cell.path === 'sigint') return [null, 'SIGINT'];
  return [0, null];
}

function check(cell: Cell, run: CellRun): void {
  const about = `${cell.path} × ${cell.collector} × ${cell.reader}: code=${run.code} signal=${run.signal} ` +
    `end=${run.endMs} ms\n--- stderr\n${run.stderr.replace(/^E \d+\n/gm, '').slice(0, 3000)}`;
  assert.deepEqual([run.code, run.signal], expectedEnd(cell), about);
  assert.ok(run.stdout === '' || run.stdout.endsWith('\n'), `torn last line: ${JSON.stringify(run.stdout.slice(-80))}\n${about}`);
  const lines = parseLines(run.stdout);
  const emitted = emittedBy(cell, run.stderr);
  const accounting = accountingOf(run.stderr);
  if (accounting === undefined) {
    assert.equal(lines.length, emitted, `no accounting line, yet stdout lines are missing\n${about}`);
    assert.equal(new Set(run.received).size, emitted, `no accounting line, yet records are missing at the receiver\n${about}`);
  } else {
    assert.equal(accounting.emitted, emitted, about);
    const { stdout, otlp } = accounting.sinks;
    assert.ok(stdout !== undefined && otlp !== undefined, about);
    for (const sink of [stdout, otlp]) {
      assert.equal(sink.received, emitted, about);
      assert.equal(sink.delivered + sink.dropped + sink.undelivered + sink.unconfirmed, sink.received, `accounting does not add up\n${about}`);
    }
    assert.equal(lines.length, stdout.delivered, `stdout lines read ≠ lines the accounting calls written\n${about}`);
    const atReceiver = new Set(run.received).size;
    assert.ok(atReceiver >= otlp.delivered && atReceiver <= otlp.delivered + otlp.unconfirmed,
      `receiver has ${atReceiver} records, accounting says ${otlp.delivered} delivered + ${otlp.unconfirmed} unconfirmed\n${about}`);
  }
  if (cell.collector !== 'up') assert.equal(run.received.length, 0, about);
  if (cell.reader !== 'stuck') assert.equal(lines.length, emitted, `a reader that reads lost lines\n${about}`);
  assert.ok(run.endMs <= DEADLINE_MS + MARGIN_MS, `the end took ${run.endMs} ms (deadline ${DEADLINE_MS} ms)\n${about}`);
}

describe('exit matrix: exit path × collector × stdout reader (child processes, covering subset)', function () {
  this.timeout(240_000);
  const all = cells();
  const results = new Map<string, Promise<CellRun>>();
  const name = (cell: Cell): string => `${cell.path} × collector ${cell.collector} × reader ${cell.reader}`;

  before(() => {
    // Four children at a time: enough to finish in about a minute, few enough for two loaded cores.
    const queue = [...all];
    let running = 0;
    const waiters = new Map<string, { resolve: (run: CellRun) => void; reject: (error: unknown) => void }>();
    for (const cell of all) {
      const promise = new Promise<CellRun>((resolve, reject) => waiters.set(name(cell), { resolve, reject }));
      promise.catch(() => {});
      results.set(name(cell), promise);
    }
    const next = (): void => {
      while (running < 4 && queue.length > 0) {
        const cell = queue.shift()!;
        running++;
        const waiter = waiters.get(name(cell))!;
        runCell(cell).then(waiter.resolve, waiter.reject).finally(() => {
          running--;
          next();
        });
      }
    };
    next();
  });

  it('covers every pair of values of the three dimensions', () => {
    const pairs = new Set(all.flatMap((c) => [`${c.path}|${c.collector}`, `${c.path}|${c.reader}`, `${c.collector}|${c.reader}`]));
    assert.equal(pairs.size, PATHS.length * COLLECTORS.length + PATHS.length * READERS.length + COLLECTORS.length * READERS.length);
  });

  for (const cell of all) {
    it(name(cell), async () => check(cell, await results.get(name(cell))!));
  }
});
