import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadOnDemand, ownFile, PACKAGE_ROOT } from '../../src/core/on-demand.ts';

const ROOT = new URL('../../', import.meta.url);

describe('loadOnDemand()', () => {
  it('loads a module synchronously, named by its path in src/: the same instance as a static import', async () => {
    const loaded = loadOnDemand<typeof import('../../src/core/levels.ts')>('core/levels.ts');
    assert.equal(loaded, await import('../../src/core/levels.ts'));
    assert.equal(loaded.SEVERITY.info, 9);
  });

  it('throws what the loading throws for a module that is not there', () => {
    assert.throws(() => loadOnDemand('core/no-such-module.ts'),
      (error: NodeJS.ErrnoException) => error.code === 'MODULE_NOT_FOUND' && /no-such-module\.ts/.test(error.message));
  });
});

describe('ownFile() and PACKAGE_ROOT', () => {
  it('find the package root and, run from the sources, the source file', () => {
    assert.equal(PACKAGE_ROOT.href, ROOT.href);
    assert.equal(fileURLToPath(ownFile('otel/otlp/exit-sender.ts')), fileURLToPath(new URL('src/otel/otlp/exit-sender.ts', ROOT)));
  });
});
