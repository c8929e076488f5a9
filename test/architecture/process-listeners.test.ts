import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * One owner of the process lifecycle (issue 12): only src/lifecycle/ listens
 * to the process's events (exit, beforeExit, signals, uncaught errors).
 * Sinks expose flushSync()/flush()/stats() or register an exit task
 * (src/core/exit-tasks.ts), and the lifecycle drives them against one deadline.
 */

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const LISTEN = /\bprocess\s*\.\s*(on|once|prependListener|prependOnceListener|addListener)\s*\(/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('process event listeners', () => {
  it('are added only in src/lifecycle/', () => {
    const outside: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const path = relative(SRC, file);
      if (path.startsWith('lifecycle/')) continue;
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (LISTEN.test(line)) outside.push(`${path}:${i + 1}: ${line.trim()}`);
        LISTEN.lastIndex = 0;
      });
    }
    assert.deepEqual(outside, []);
  });

  it('the scan finds the listeners src/lifecycle/ does add (it can fail)', () => {
    const found = sourceFiles(join(SRC, 'lifecycle')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(LISTEN)]);
    assert.ok(found.length >= 4, `found ${found.length} listeners`);
  });
});
