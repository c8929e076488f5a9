import assert from 'node:assert/strict';
import { captureLogs } from '../../src/testing/capture.ts';
import { getLevel, getLogger } from '../../src/configure.ts';
import { runtime } from '../../src/core/runtime.ts';

describe('captureLogs()', () => {
  const log = getLogger('capture.test');

  it('captures the records of sync and async code', async () => {
    const sync = await captureLogs(() => log.warn('sync'));
    const later = await captureLogs(async () => {
      await Promise.resolve();
      log.warn('async');
    });
    assert.deepEqual(sync.records.map((r) => r.body), ['sync']);
    assert.deepEqual(later.records.map((r) => r.body), ['async']);
  });

  it('applies `level` for the duration only', async () => {
    const before = getLevel();
    const logs = await captureLogs(() => log.debug('seen'), { level: 'debug' });
    assert.equal(logs.records.length, 1);
    assert.equal(getLevel(), before);
  });

  it('restores the sinks and the level when fn throws', async () => {
    const sinks = runtime.pipeline.sinks;
    const before = getLevel();
    await assert.rejects(captureLogs(() => {
      throw new Error('boom');
    }, { level: 'trace' }), /boom/);
    assert.equal(runtime.pipeline.sinks, sinks);
    assert.equal(getLevel(), before);
  });
});
