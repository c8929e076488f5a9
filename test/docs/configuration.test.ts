import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV, type EnvVar } from '../../src/config/env.ts';
import { ROOT } from '../helpers/run-node.ts';

// docs/configuration.md must stay true: every variable of the table, with its default.
describe('docs/configuration.md', () => {
  const doc = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
  for (const spec of Object.values(ENV) as EnvVar<unknown>[]) {
    it(`documents ${spec.name}`, () => {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${spec.name}\` |`) || line.startsWith(`| \`${spec.name}\`<br>`));
      assert.ok(row, `no table row for ${spec.name}`);
      for (const fallback of spec.fallbacks ?? []) assert.ok(row.includes(fallback), `${fallback} missing from its row`);
      const value = spec.defaultValue;
      if (typeof value === 'number' || (typeof value === 'string' && value !== '')) assert.ok(row.includes(`\`${String(value)}\``), `default of ${spec.name}`);
    });
  }
});

describe('docs/configuration.md on/off variables', () => {
  const doc = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
  it('gives the default of every on/off variable in the words its description uses', () => {
    for (const spec of Object.values(ENV) as EnvVar<unknown>[]) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${spec.name}\` |`));
      if (row === undefined || !/`on` \(default/.test(row)) continue;
      assert.match(row, new RegExp(`^\\| \`${spec.name}\` \\| \`on\` \\|`), spec.name);
    }
  });
});
