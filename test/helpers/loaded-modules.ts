import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { runNode } from './run-node.ts';

/**
 * Runs `body` in a child process after importing `entry` (a file path) as
 * `lb`, and returns the URL of every module the child resolved
 * (module.registerHooks sees `import` and `require` alike) and its stdout.
 * The child gets none of the test run's own OTEL_* / LOGBRIDGE_* variables
 * (the defaults), plus `env`.
 */
export async function modulesLoadedBy(entry: string, body: string, env: Record<string, string | undefined> = {}): Promise<{ urls: string[]; stdout: string }> {
  const script = `
    import { registerHooks } from 'node:module';
    import { writeSync } from 'node:fs';
    const seen = new Set();
    registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.add(r.url); return r; } });
    const lb = await import(${JSON.stringify(pathToFileURL(entry).href)});
    ${body}
    writeSync(2, JSON.stringify([...seen]));
  `;
  const clean: Record<string, string | undefined> = {};
  for (const key of Object.keys(process.env)) if (key.startsWith('OTEL_') || key.startsWith('LOGBRIDGE_')) clean[key] = undefined;
  const result = await runNode(script, { ext: '.mjs', env: { ...clean, NODE_ENV: undefined, ...env } });
  assert.equal(result.code, 0, result.stderr);
  return { urls: JSON.parse(result.stderr.slice(result.stderr.lastIndexOf('["'))) as string[], stdout: result.stdout };
}
