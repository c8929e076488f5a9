import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/run-node.ts';

// Code samples are copied as they are: they must not open a server on every interface.
describe('code samples in README.md and docs/', () => {
  const files = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

  it('listen on 127.0.0.1 (or a host they name), never on every interface by default', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [block] of text.matchAll(/```(?:ts|js|javascript|typescript)\n[\s\S]*?```/g)) {
        for (const [call] of block.matchAll(/\.listen\(([^)]*)\)/g)) {
          if (!/127\.0\.0\.1|host|localhost/.test(call)) offenders.push(`${file}: ${call}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });
});
