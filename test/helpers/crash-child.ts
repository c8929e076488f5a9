import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SRC_INDEX, parseLines, type RunResult } from './run-node.ts';

/**
 * Child processes for the crash and signal tests. One application script
 * runs twice: with logbridge (`log` is a real logger) and as a plain Node
 * program (`log` does nothing), so exit codes and signals can be compared
 * with what Node does on its own. The script writes `READY` to stderr when
 * a signal may be sent.
 */

export interface ChildOptions {
  /** Run with logbridge (default) or as the plain Node program. */
  readonly logbridge?: boolean;
  /** Extra environment (LOGBRIDGE_CRASH_HANDLERS is set to `true` unless given). */
  readonly env?: Record<string, string | undefined>;
  readonly nodeArgs?: readonly string[];
  /** Send this signal once the child wrote `READY` on stderr. */
  readonly signal?: NodeJS.Signals;
  /** Kill the child after this long (default 45 s: a loaded machine is slow, a hang is still caught). */
  readonly timeoutMs?: number;
  /** Code placed before the application code, in the logbridge run only. */
  readonly setup?: string;
}

const dir = mkdtempSync(join(tmpdir(), 'logbridge-crash-'));
let counter = 0;

/** Writes the script for one run and returns its path. */
export function writeScript(app: string, options: ChildOptions = {}): string {
  const prelude = options.logbridge === false
    ? 'const log = new Proxy({}, { get: () => () => {} });\n'
    : `import * as logbridge from ${JSON.stringify(SRC_INDEX)};\nconst log = logbridge.getLogger('app');\n` +
      (options.setup ?? '');
  const file = join(dir, `app-${process.pid}-${counter++}.ts`);
  writeFileSync(file, `${prelude}\n${app}\n`);
  return file;
}

/** A run's result, with the time from the signal (when one was sent) to the child's end. */
export interface ChildResult extends RunResult {
  /** Milliseconds from sending `options.signal` to the end of the child. */
  readonly afterSignalMs: number | undefined;
}

/** Runs `app` in a child process; see {@link ChildOptions}. */
export function runChild(app: string, options: ChildOptions = {}): Promise<ChildResult> {
  const file = writeScript(app, options);
  const env: Record<string, string | undefined> = {
    ...process.env,
    LOGBRIDGE_CRASH_HANDLERS: 'true',
    LOGBRIDGE_FORMAT: 'json',
    ...options.env,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const started = Date.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), file], {
    cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let signalledAt: number | undefined;
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    err.push(chunk);
    if (options.signal !== undefined && signalledAt === undefined && Buffer.concat(err).includes('READY\n')) {
      signalledAt = Date.now();
      child.kill(options.signal);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 45_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const now = Date.now();
      resolve({
        code, signal, ms: now - started, afterSignalMs: signalledAt === undefined ? undefined : now - signalledAt,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** Runs `app` with logbridge and as plain Node, in parallel. */
export async function runBoth(app: string, options: ChildOptions = {}): Promise<{ withLogbridge: ChildResult; plain: ChildResult }> {
  const [withLogbridge, plain] = await Promise.all([
    runChild(app, options),
    runChild(app, { ...options, logbridge: false }),
  ]);
  return { withLogbridge, plain };
}

/** The stdout JSON lines without their timestamps (the one field that changes from run to run). */
export function linesOf(result: RunResult): Array<Record<string, unknown>> {
  return parseLines(result.stdout).map((line) => {
    const { timestamp, ...rest } = line;
    if (typeof timestamp !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(timestamp)) {
      throw new Error(`bad timestamp in ${JSON.stringify(line)}`);
    }
    return rest;
  });
}

/** Describes a run for assertion messages. */
export function describeRun(result: RunResult): string {
  return `code=${result.code} signal=${result.signal} ms=${result.ms}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}

/**
 * Starts independent runs, a few at a time (enough to use the cores, few
 * enough that a loaded machine does not starve them), in the order given;
 * the returned function awaits one by name. Call it in `before()`.
 */
export function startAll<T>(runs: Record<string, () => Promise<T>>, concurrency = 3): (name: string) => Promise<T> {
  const started = new Map<string, Promise<T>>();
  const queue: Array<() => void> = [];
  let running = 0;
  const next = (): void => {
    while (running < concurrency && queue.length > 0) queue.shift()!();
  };
  for (const [name, start] of Object.entries(runs)) {
    const promise = new Promise<T>((resolve, reject) => {
      queue.push(() => {
        running++;
        start().then(resolve, reject).finally(() => {
          running--;
          next();
        });
      });
    });
    promise.catch(() => {}); // awaited by its test, which reports the failure
    started.set(name, promise);
  }
  next();
  return (name) => started.get(name) ?? Promise.reject(new Error(`no run named ${name}`));
}
