import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROOT } from '../helpers/run-node.ts';

const pages = [
  ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, 'docs', f)),
  join(ROOT, 'README.md'), join(ROOT, 'CHANGELOG.md'), join(ROOT, 'examples/deploy/README.md'),
];

/** Relative link targets of a Markdown file (no URLs, no pure anchors), outside code blocks. */
function relativeLinks(file: string): string[] {
  return linksIn(readFileSync(file, 'utf8'));
}

function linksIn(markdown: string): string[] {
  const text = markdown.replace(/```[\s\S]*?```/g, '');
  const links: string[] = [];
  for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1]!;
    if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
    links.push(target.split('#')[0]!);
  }
  return links;
}

describe('docs links', () => {
  it('finds relative links outside code blocks, without URLs, anchors or fragments', () => {
    const text = '[a](docs/a.md#x) [b](https://x.org) [c](#top)\n```\n[d](no.md)\n```\n[e](../e.md)';
    assert.deepEqual(linksIn(text), ['docs/a.md', '../e.md']);
  });

  for (const page of pages) {
    it(`${page.slice(ROOT.length + 1)} links only to files that exist`, () => {
      for (const link of relativeLinks(page)) {
        const target = resolve(dirname(page), link);
        assert.ok(existsSync(target), `${link} does not exist`);
      }
    });
  }
});
