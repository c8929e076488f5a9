import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/run-node.ts';
import { ENV } from '../../src/config/env.ts';

/** Pages of issue 8; other pages are checked by their authors. */
const PAGES = ['getting-started.md', 'levels.md', 'sinks-and-formats.md', 'otel-mapping.md', 'testing.md',
  'migration-from-pino.md', 'migration-from-winston.md'].map((p) => join(ROOT, 'docs', p))
  .concat(join(ROOT, 'examples/deploy/README.md'));

/** Variables the pages may name that logbridge itself does not read (the OTel SDK's, npm's). */
const NOT_OURS = new Set(['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_TRACES_EXPORTER']);

describe('docs environment variables', () => {
  const known = new Set<string>(Object.values(ENV).flatMap((v) => [v.name, ...(('fallbacks' in v ? v.fallbacks : undefined) ?? [])]));
  for (const page of PAGES) {
    it(`${page.slice(ROOT.length + 1)} names only variables logbridge reads`, () => {
      const names = (readFileSync(page, 'utf8').match(/\b(?:LOGBRIDGE|OTEL)_[A-Z0-9_]*[A-Z0-9]\b/g) ?? [])
        .filter((n) => !n.startsWith('LOGBRIDGE_ERR_')); // error codes, not variables
      for (const name of new Set(names)) assert.ok(known.has(name) || NOT_OURS.has(name), `${name} is not in src/config/env.ts`);
    });
  }
});
