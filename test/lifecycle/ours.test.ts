import assert from 'node:assert/strict';
import { firstReportOf, hasApplicationListener, markOurs } from '../../src/lifecycle/ours.ts';

describe('lifecycle/ours', () => {
  const EVENT = 'logbridge-test-event';
  const added: Array<() => void> = [];
  const listen = (listener: () => void): void => {
    added.push(listener);
    process.on(EVENT, listener);
  };
  afterEach(() => {
    for (const listener of added.splice(0)) process.removeListener(EVENT, listener);
  });

  it('tells a marked listener (any logbridge copy\'s) from the application\'s', () => {
    listen(markOurs(() => {}));
    assert.equal(hasApplicationListener(EVENT), false);
    listen(() => {});
    assert.equal(hasApplicationListener(EVENT), true);
  });

  it('reports a thrown object once across copies, and never dedupes primitives', () => {
    const error = new Error('x');
    assert.equal(firstReportOf(error), true);
    assert.equal(firstReportOf(error), false);
    assert.equal(firstReportOf('boom'), true);
    assert.equal(firstReportOf('boom'), true);
  });
});
