import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from '../helpers/run-node.ts';

/**
 * The request context (AsyncLocalStorage, src/core/context.ts) is read when a
 * record is made, on the caller's context, and bound by the HTTP adapters.
 * Sinks, encoders and the OTLP path never read it: when a batch is exported,
 * the async context is someone else's (docs/architecture.md).
 */
const SRC = join(ROOT, 'src');
const CONTEXT = join(SRC, 'core/context.ts');
const ALLOWED = [/^core\//, /^http\//, /^otel\/request-id-span-processor\.ts$/, /^index\.ts$/];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => resolve(dirname(file), m[1]!));
}

describe('request context reads', () => {
  it('happen only in core/, http/, the request-ID span processor and the public entry', () => {
    const readers = sourceFiles(SRC).filter((file) => imports(file).includes(CONTEXT)).map((file) => relative(SRC, file));
    assert.ok(readers.includes('core/logger.ts'), 'the logger reads the context (the scan finds imports)');
    assert.deepEqual(readers.filter((file) => !ALLOWED.some((re) => re.test(file))), []);
  });
});
