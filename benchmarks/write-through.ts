/**
 * Write-through mode against pino `destination({ sync: true })` (standalone,
 * not part of `npm run bench`): `npm run build && node benchmarks/write-through.ts`.
 * Each case is a child process writing 100,000 `info` lines with one
 * attribute to its stdout, which is /dev/null or a pipe this process drains;
 * prints the best of 3 runs in µs per line (wall time in the child, flush
 * included). docs/sinks-and-formats.md cites its numbers.
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';

const CHILD = join(import.meta.dirname, 'write-through/child.ts');
const CASES = ['logbridge sync', 'pino sync', 'logbridge buffered', 'pino async'] as const;

function once(name: string, target: 'devnull' | 'pipe'): Promise<number> {
  const stdout = target === 'devnull' ? openSync('/dev/null', 'w') : 'pipe';
  const child = spawn(process.execPath, [CHILD, name], { stdio: ['ignore', stdout, 'pipe'] });
  child.stdout?.resume();
  let err = '';
  child.stderr!.on('data', (c: Buffer) => { err += c; });
  return new Promise((resolve, reject) => {
    child.on('close', (code) => (code === 0 ? resolve(Number(err.trim())) : reject(new Error(`${name}: exit ${code}: ${err}`))));
  });
}

for (const target of ['devnull', 'pipe'] as const) {
  for (const name of CASES) {
    let best = Infinity;
    for (let run = 0; run < 3; run++) best = Math.min(best, await once(name, target));
    console.log(`${target.padEnd(7)} ${name.padEnd(20)} ${best.toFixed(2)} µs/line`);
  }
}
