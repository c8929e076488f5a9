import assert from 'node:assert/strict';
import sinon from 'sinon';
import { settleWithin } from '../../src/core/settle-within.ts';

describe('settleWithin()', () => {
  afterEach(() => sinon.restore());

  it('resolves when the promise settles, rejection included', async () => {
    await settleWithin(Promise.resolve(1), 1000);
    await settleWithin(Promise.reject(new Error('x')), 1000);
  });

  it('resolves after ms when the promise never settles', async () => {
    const clock = sinon.useFakeTimers();
    let done = false;
    const waiting = settleWithin(new Promise(() => {}), 500).then(() => (done = true));
    await clock.tickAsync(499);
    assert.equal(done, false);
    await clock.tickAsync(1);
    await waiting;
    assert.equal(done, true);
  });
});
