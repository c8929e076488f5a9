import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROOT } from '../helpers/run-node.ts';

/** Pages other engineers are writing; their absence is reported as pending, not as a failure. */
const PENDING_PAGES = new Set(['configuration.md', 'context-and-correlation.md', 'errors-and-crashes.md',
  'security.md', 'performance.md', 'opentelemetry.md']);

const pages = [
  ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, 'docs', f)),
  join(ROOT, 'examples/deploy/README.md'),
];

/** Relative link targets of a Markdown file (no URLs, no pure anchors), outside code blocks. */
function relativeLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const links: string[] = [];
  for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1]!;
    if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
    links.push(target.split('#')[0]!);
  }
  return links;
}

describe('docs links', () => {
  for (const page of pages) {
    it(`${page.slice(ROOT.length + 1)} links only to files that exist`, () => {
      for (const link of relativeLinks(page)) {
        const target = resolve(dirname(page), link);
        if (!existsSync(target) && PENDING_PAGES.has(link.split('/').at(-1)!)) continue;
        assert.ok(existsSync(target), `${link} does not exist`);
      }
    });
  }

  it('has every page the docs link to that other engineers are writing', function () {
    const missing = [...PENDING_PAGES].filter((p) => !existsSync(join(ROOT, 'docs', p)));
    if (missing.length > 0) this.skip();
  });
});
