import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/run-node.ts';
import { MARKERS } from './runners/shared-cases.mjs';

/**
 * logbridge/testing (captureLogs, MemorySink) under the popular test
 * runners: the same four cases (test/testing/runners/shared-cases.mjs) run
 * by mocha, node:test, Vitest and Jest, each in a child process as a user
 * would start it; and the lines written to stdout meanwhile reach the
 * runner's output, buffered or written through.
 */

const BIN = (name: string) => join(ROOT, 'node_modules', name);

const RUNNERS: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
  ['mocha', [BIN('mocha/bin/mocha.js'), '--no-config', 'test/testing/runners/mocha.suite.ts'], /\b4 passing\b/],
  ['node:test', ['--test', 'test/testing/runners/node-test.suite.ts'], /\bpass 4\b/],
  ['Vitest', [BIN('vitest/vitest.mjs'), 'run', '--config', 'test/testing/runners/vitest.config.ts'], /Tests\s+4 passed/],
  // Jest's ES module support sits behind Node's VM modules flag; it imports the built package (npm test builds first).
  ['Jest', ['--experimental-vm-modules', BIN('jest/bin/jest.js'), '--config', 'test/testing/runners/jest.config.json'],
    /Tests:\s+4 passed, 4 total/],
];

function run(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('logbridge/testing under test runners (child processes)', function () {
  this.timeout(120_000);
  for (const [name, args, passed] of RUNNERS) {
    it(`passes its suite under ${name}, and stdout lines reach the runner's output`, async () => {
      const { code, output } = await run(args);
      assert.equal(code, 0, output);
      assert.match(output, passed);
      for (const marker of MARKERS) assert.ok(output.includes(`"message":"${marker}"`), `${marker} missing from:\n${output}`);
    });
  }
});
