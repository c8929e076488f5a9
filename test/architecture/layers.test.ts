import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The rooms of src/, lowest first. A module may import from its own room and
 * from rooms below it, never from a room above it (docs/architecture.md).
 * The top (entry points, the composition root, testing/, cli/) may import anything.
 */
const ROOMS = ['values', 'core', 'redact', 'config', 'otel', 'encoders', 'sinks', 'lifecycle', 'http'];
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function roomOf(file: string): number {
  const first = relative(SRC, file).split('/')[0]!;
  const rank = ROOMS.indexOf(first);
  return rank === -1 ? ROOMS.length : rank; // files at the top of src/
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => resolve(dirname(file), m[1]!));
  // Modules loaded on demand (core/on-demand.ts) are imports too: `loadOnDemand('sinks/otlp.ts')`, a path in src/.
  const onDemand = [...text.matchAll(/loadOnDemand(?:<[^>]*>)?\(\s*'([^']+)'/g)].map((m) => join(SRC, m[1]!));
  return [...specs, ...onDemand];
}

describe('src/ layering', () => {
  const files = sourceFiles(SRC);

  it('has no import from a lower room to a higher one', () => {
    const wrong: string[] = [];
    for (const file of files) {
      for (const target of importsOf(file)) {
        if (roomOf(target) > roomOf(file)) wrong.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('has no import cycle', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => relative(SRC, f)).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  it('keeps every source file under ~300 lines (330 at most)', () => {
    const long = files
      .map((f) => [relative(SRC, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > 330);
    assert.deepEqual(long, []);
  });
});
