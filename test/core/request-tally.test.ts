import assert from 'node:assert/strict';
import { getLogger, withRequestContext } from '../../src/index.ts';
import { captureLogs } from '../../src/testing/index.ts';
import { RequestTally, addRequestAttributes, withRequestTally } from '../../src/core/request-tally.ts';

const log = getLogger('tally');

describe('RequestTally', () => {
  describe('count()', () => {
    it('counts the records made in the request by level, across awaits and nested request contexts', async () => {
      const tally = new RequestTally();
      await captureLogs(async () => {
        await withRequestTally(tally, async () => {
          log.info('a');
          await new Promise((resolve) => setTimeout(resolve, 1));
          log.warn('b');
          await withRequestContext({ requestId: 'inner' }, async () => {
            await Promise.resolve();
            log.info('c');
          });
          log.error('d');
        });
        log.info('outside');
      });
      assert.deepEqual(tally.counts, [0, 0, 2, 1, 1, 0]);
    });

    it('keeps the first error record with an exception, not a later one, nor a warning', async () => {
      const tally = new RequestTally();
      await captureLogs(() => withRequestTally(tally, () => {
        log.warn('retrying', new Error('transient'));
        log.error('no exception here');
        log.error('first', new TypeError('bad type'));
        log.error('second', new RangeError('later'));
      }));
      assert.deepEqual(tally.firstError, { type: 'TypeError', message: 'bad type' });
    });

    it('stops counting once closed', async () => {
      const tally = new RequestTally();
      await captureLogs(() => withRequestTally(tally, () => {
        log.info('counted');
        tally.closed = true;
        log.info('not counted');
      }));
      assert.equal(tally.counts[2], 1);
    });
  });

  describe('noteError()', () => {
    it('keeps a reported error only when no record gave one first, and takes any thrown value', () => {
      const first = new RequestTally();
      first.noteError('a string was thrown');
      first.noteError(new Error('later'));
      assert.deepEqual(first.firstError, { type: 'string', message: 'a string was thrown' });
    });
  });
});

describe('addRequestAttributes()', () => {
  it('adds to the tally of the current request, later calls winning, and returns false elsewhere', () => {
    assert.equal(addRequestAttributes({ x: 1 }), false);
    const tally = new RequestTally();
    withRequestTally(tally, () => {
      assert.equal(addRequestAttributes({ x: 1, y: 'a' }), true);
      assert.equal(addRequestAttributes({ x: 2 }), true);
    });
    assert.deepEqual({ ...tally.attributes }, { x: 2, y: 'a' });
    tally.closed = true;
    assert.equal(withRequestTally(tally, () => addRequestAttributes({ z: 3 })), false);
  });
});
