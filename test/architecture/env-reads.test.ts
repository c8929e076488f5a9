import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/run-node.ts';

/**
 * Environment variables are read only through the one table (src/config/env.ts,
 * `readEnv(ENV.x, env)`): outside src/config/, no module reads a variable by
 * name. Passing the environment object on (`options.env ?? process.env`) is fine.
 */
const SRC = join(ROOT, 'src');
const CONFIG = join(SRC, 'config');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The code without comments (a TSDoc line may well mention `process.env.X`) and module paths (`./env.ts`). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1').replace(/'[^'\n]*\.ts'/g, "''");
}

/** Reads of a variable by name: `env.X`, `env['X']`, `env[name]`, `const { X } = process.env`. */
export function namedEnvReads(source: string): string[] {
  const text = code(source);
  const reads = [...text.matchAll(/(?<![\w$])#?env\s*(?:\?\.|\.)\s*[A-Za-z_$][\w$]*|(?<![\w$])#?env\s*(?:\?\.)?\[/g)].map((m) => m[0]);
  const destructured = [...text.matchAll(/\}\s*=\s*(?:process\.)?env\b/g)].map((m) => m[0]);
  return [...reads, ...destructured];
}

describe('environment reads', () => {
  describe('namedEnvReads()', () => {
    it('finds every form of a read by name', () => {
      const found = namedEnvReads([
        "const a = process.env.NODE_ENV;", "const b = env['NO_COLOR'];", "const c = options.env?.TERM;",
        "const d = this.#env[name];", "const { FORCE_COLOR } = process.env;",
      ].join('\n'));
      assert.equal(found.length, 5, found.join(' | '));
    });

    it('lets the environment object be passed on and comments mention reads', () => {
      const found = namedEnvReads([
        "const env = options.env ?? process.env;", "readEnv(ENV.nodeEnv, env);", "f(io.env);",
        "import { ENV } from '../config/env.ts';", "/** Reads `process.env.X` through the table. */", "// env.NODE_ENV decides", "const url = 'https://x.org'; // env.Y",
      ].join('\n'));
      assert.deepEqual(found, []);
    });
  });

  it('happen only in src/config/ (everything else uses readEnv and the table)', () => {
    const outside = sourceFiles(SRC).filter((file) => !file.startsWith(CONFIG + '/'));
    const wrong = outside.flatMap((file) => namedEnvReads(readFileSync(file, 'utf8')).map((read) => `${relative(SRC, file)}: ${read}`));
    assert.deepEqual(wrong, []);
  });
});
