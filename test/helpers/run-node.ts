import { spawn } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root, for scripts that import `../src/index.ts` or the built package. */
export const ROOT = resolve(import.meta.dirname, '../..');
/** Absolute specifier of the source entry point, for child scripts. */
export const SRC_INDEX = join(ROOT, 'src/index.ts');

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  readonly args?: readonly string[];
  readonly nodeArgs?: readonly string[];
  readonly timeoutMs?: number;
  /** Script file extension (`.ts` default; `.cjs` for CommonJS). */
  readonly ext?: string;
  /** Working directory (default: the repository root). */
  readonly cwd?: string;
  /**
   * Where the script file is written (default: `.test-scripts/` in the
   * repository, git-ignored, so imports of dev dependencies resolve).
   */
  readonly scriptDir?: string;
}

let counter = 0;

/**
 * Writes `source` to a temporary file and runs it with this Node binary,
 * collecting stdout and stderr through pipes. Kills it after `timeoutMs`.
 */
export function runNode(source: string, options: RunOptions = {}): Promise<RunResult> {
  const dir = options.scriptDir ?? join(ROOT, '.test-scripts');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `script-${process.pid}-${++counter}${options.ext ?? '.ts'}`);
  writeFileSync(file, source);
  return runFile(file, options);
}

/** Runs an existing script file; see {@link runNode}. */
export function runFile(file: string, options: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), file, ...(options.args ?? [])], {
    cwd: options.cwd ?? ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Date.now() - started,
      });
    });
  });
}

/** Splits stdout into lines and parses each as JSON; throws on the first invalid one. */
export function parseLines(stdout: string): Array<Record<string, unknown>> {
  const lines = stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, i) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`line ${i + 1} is not valid JSON: ${line.slice(0, 200)}`);
    }
  });
}
