/** Starting one case in a child process, for the runner and for scenarios with their own driver. */
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Case, RunSample } from './types.ts';

const BENCHMARKS = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(BENCHMARKS, '..');

/** What one child run gave: its report (fd 3), its output when piped, its exit code. */
export interface ChildOutcome {
  sample: RunSample | undefined;
  stdout: string;
  stderr: string;
  code: number | null;
}

/** The environment without OTEL_* / LOGBRIDGE_*, so every case runs with its library's defaults, plus the case's own. */
function childEnv(extra: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OTEL_') && !key.startsWith('LOGBRIDGE_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Node flags of wrapped runs: without them two counts of the same code differed by up to ~1,500 instructions per record. */
const PREDICTABLE = ['--single-threaded', '--predictable', '--predictable-gc-schedule', '--hash-seed=42', '--random-seed=42'];

/**
 * Runs one case once. `stdout: 'pipe'` collects its output for checking;
 * `'null'` gives it /dev/null (timed runs). `wrapper` runs Node under
 * another program (valgrind), with PREDICTABLE's flags. Killed after two
 * minutes (ten under a wrapper).
 */
export function runChild(scenario: string, c: Case, calls: number, warmup: number, turn: number, stdout: 'pipe' | 'null',
  env?: Readonly<Record<string, string>>, wrapper: readonly string[] = []): Promise<ChildOutcome> {
  const devNull = stdout === 'null' ? openSync('/dev/null', 'w') : undefined;
  // Under a wrapper (callgrind), V8 runs predictably: no heap sizing that follows the clock, fixed seeds.
  const args = [...wrapper.slice(1), ...(wrapper.length > 0 ? [process.execPath, ...PREDICTABLE] : []),
    '--expose-gc', join(BENCHMARKS, 'child.ts'), scenario, c.id, String(calls), String(warmup), String(turn)];
  const child = spawn(wrapper[0] ?? process.execPath, args, {
    cwd: ROOT,
    env: childEnv({ ...c.env, ...env }),
    stdio: ['ignore', devNull ?? 'pipe', 'pipe', 'pipe'],
  });
  if (devNull !== undefined) closeSync(devNull);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const report: Buffer[] = [];
  child.stdout?.on('data', (b: Buffer) => out.push(b));
  child.stderr?.on('data', (b: Buffer) => err.push(b));
  (child.stdio[3] as NodeJS.ReadableStream).on('data', (b: Buffer) => report.push(b));
  const timer = setTimeout(() => child.kill('SIGKILL'), wrapper.length > 0 ? 600_000 : 120_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const text = Buffer.concat(report).toString('utf8');
      let sample: RunSample | undefined;
      try {
        sample = text === '' ? undefined : JSON.parse(text) as RunSample;
      } catch {
        sample = undefined;
      }
      resolve({ sample, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code });
    });
  });
}
