import assert from 'node:assert/strict';
import { configure, getLogger, getVolumeStats, withRequestContext } from '../../src/index.ts';
import { MemorySink } from '../../src/testing/index.ts';
import { currentRequestBuffer } from '../../src/core/debug-buffer.ts';

/** Configures a memory sink at `info` with the debug buffer as given; returns the sink. */
function setup(debugBuffer: Parameters<typeof configure>[0] extends infer O ? O extends { debugBuffer?: infer D } ? D : never : never): MemorySink {
  const sink = new MemorySink();
  configure({ sinks: [sink], level: 'info', debugBuffer, redact: false, env: {} });
  return sink;
}

describe('debug buffer (src/core/debug-buffer.ts)', () => {
  after(() => configure({ sinks: [], level: 'info', debugBuffer: false, env: {} }));

  describe('when off', () => {
    it('leaves a disabled level method the no-op', () => {
      setup(false);
      assert.equal(getLogger('db.off').debug.name, 'disabled');
      assert.equal(getLogger('db.off').trace.name, 'disabled');
    });
  });

  describe('bufferOrEmit()', () => {
    it('discards the buffered records of a request that does not fail, counting them', async () => {
      const sink = setup('debug');
      const before = getVolumeStats().debugBuffer;
      await withRequestContext({ requestId: 'ok-1' }, async () => {
        getLogger('db').debug('query 1');
        await Promise.resolve();
        getLogger('db').debug('query 2');
        getLogger('db').info('done');
      });
      assert.deepEqual(sink.records.map((r) => r.body), ['done']);
      const after = getVolumeStats().debugBuffer;
      assert.equal(after.buffered - before.buffered, 2);
      assert.equal(after.discarded - before.discarded, 2);
      assert.equal(after.replayed - before.replayed, 0);
    });

    it('replays the buffer, in order and marked, before the trigger record; later records pass through', async () => {
      const sink = setup('debug');
      let firstTime = 0;
      await withRequestContext({ requestId: 'fail-1' }, async () => {
        getLogger('db').debug('step 1', { n: 1 });
        firstTime = Date.now();
        await new Promise((r) => setTimeout(r, 5));
        getLogger('db').trace('not kept: below the buffer level');
        getLogger('db').debug('step 2');
        getLogger('api').error('failed');
        getLogger('db').debug('after the failure');
      });
      assert.deepEqual(sink.records.map((r) => r.body), ['step 1', 'step 2', 'failed', 'after the failure']);
      const [one, two, trigger, later] = sink.records;
      assert.equal(one!.attributes?.['logbridge.replayed'], true);
      assert.equal(one!.attributes?.n, 1);
      assert.equal(two!.attributes?.['logbridge.replayed'], true);
      assert.equal(trigger!.attributes, undefined);
      assert.equal(later!.attributes, undefined);
      assert.ok(one!.time <= firstTime + 1 && one!.time < trigger!.time, 'the original timestamp is kept');
      assert.ok(sink.records.every((r) => r.requestId === 'fail-1'));
    });

    it('drops a below-level record made outside any request, as a disabled level would', () => {
      const sink = setup('debug');
      getLogger('db').debug('outside');
      assert.equal(sink.records.length, 0);
      assert.equal(currentRequestBuffer(), undefined);
    });

    it('never buffers a logger that is off', () => {
      const sink = new MemorySink();
      configure({ sinks: [sink], level: 'info,quiet=off', debugBuffer: 'debug', env: {} });
      withRequestContext({}, () => {
        getLogger('quiet').debug('x');
        getLogger('quiet').error('y');
        getLogger('api').error('z');
      });
      assert.deepEqual(sink.records.map((r) => r.body), ['z']);
    });

    it('triggers at the configured level', () => {
      const sink = new MemorySink();
      configure({ sinks: [sink], level: 'info', debugBuffer: { level: 'debug', trigger: 'warn' }, env: {} });
      withRequestContext({}, () => {
        getLogger('db').debug('kept');
        getLogger('db').warn('trigger');
      });
      assert.deepEqual(sink.records.map((r) => r.body), ['kept', 'trigger']);
    });

    it('evicts the oldest past maxRecords and says how many on the first replayed record', () => {
      const sink = new MemorySink();
      configure({ sinks: [sink], level: 'info', debugBuffer: { maxRecords: 3 }, env: {} });
      withRequestContext({}, () => {
        for (let i = 1; i <= 5; i++) getLogger('db').debug(`d${i}`);
        getLogger('db').error('boom');
      });
      assert.deepEqual(sink.records.map((r) => r.body), ['d3', 'd4', 'd5', 'boom']);
      assert.equal(sink.records[0]!.attributes?.['logbridge.replayed.evicted'], 2);
    });

    it('evicts the oldest past maxBytes', () => {
      const sink = new MemorySink();
      configure({ sinks: [sink], level: 'info', debugBuffer: { maxBytes: 1024 }, env: {} });
      withRequestContext({}, () => {
        for (let i = 1; i <= 6; i++) getLogger('db').debug(`d${i}`, { blob: 'x'.repeat(200) });
        getLogger('db').error('boom');
      });
      const bodies = sink.records.map((r) => r.body);
      assert.equal(bodies.at(-1), 'boom');
      assert.ok(bodies.length < 7 && bodies.length > 1, `some kept, some evicted: ${bodies.join()}`);
      assert.equal(bodies.at(-2), 'd6');
    });

    it('keeps requests apart when the process-wide budget is spent', async () => {
      const sink = new MemorySink();
      configure({ sinks: [sink], level: 'info', debugBuffer: { maxBytes: 4096, maxTotalBytes: 1500 }, env: {} });
      let release!: () => void;
      const hold = new Promise<void>((r) => { release = r; });
      const first = withRequestContext({ requestId: 'a' }, async () => {
        for (let i = 0; i < 5; i++) getLogger('db').debug(`a${i}`, { blob: 'x'.repeat(150) });
        await hold;
      });
      withRequestContext({ requestId: 'b' }, () => {
        getLogger('db').debug('b0', { blob: 'x'.repeat(150) });
        getLogger('db').error('b failed');
      });
      release();
      await first;
      assert.deepEqual(sink.records.map((r) => r.body), ['b failed'], 'b could not buffer: a holds the budget');
    });

    it('discards a late record of a request that has ended', async () => {
      const sink = setup('debug');
      const before = getVolumeStats().debugBuffer.discarded;
      let done!: () => void;
      const ran = new Promise<void>((r) => { done = r; });
      // The request (a synchronous function) ends before its timer fires, in its async context.
      withRequestContext({}, () => {
        setTimeout(() => {
          getLogger('db').debug('late');
          done();
        }, 1);
      });
      await ran;
      assert.equal(sink.records.length, 0);
      assert.equal(getVolumeStats().debugBuffer.discarded - before, 1);
    });
  });
});
