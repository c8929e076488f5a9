import assert from 'node:assert/strict';
import { loadOnDemand } from '../../src/core/on-demand.ts';

const SRC_CORE = new URL('../../src/core/', import.meta.url).href;

describe('loadOnDemand()', () => {
  it('loads a module synchronously: the same instance as a static import', async () => {
    const loaded = loadOnDemand<typeof import('../../src/core/levels.ts')>(`${SRC_CORE}x.ts`, './levels.ts');
    assert.equal(loaded, await import('../../src/core/levels.ts'));
    assert.equal(loaded.SEVERITY.info, 9);
  });

  it('loads the .js twin when the caller is compiled JavaScript', () => {
    assert.throws(() => loadOnDemand(`${SRC_CORE}x.js`, './levels.ts'),
      (error: NodeJS.ErrnoException) => error.code === 'MODULE_NOT_FOUND' && /levels\.js/.test(error.message));
  });
});
