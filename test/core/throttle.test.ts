import assert from 'node:assert/strict';
import sinon from 'sinon';
import { Throttle } from '../../src/core/throttle.ts';
import { parseThrottleRules } from '../../src/config/volume-rules.ts';
import type { LogRecord } from '../../src/core/record.ts';
import { configure, getLogger, getVolumeStats } from '../../src/index.ts';
import { MemorySink } from '../../src/testing/index.ts';

function record(body: string, over: Partial<LogRecord> = {}): LogRecord {
  return {
    time: Date.now(), severityNumber: 17, severityText: 'ERROR', scope: 'db', body, eventName: undefined, bindings: undefined,
    contextAttributes: undefined, attributes: undefined, exception: undefined, requestId: undefined, trace: undefined, ...over,
  };
}

function rules(text: string) {
  const parsed = parseThrottleRules(text);
  assert.ok(parsed.ok);
  return parsed.value;
}

describe('Throttle', () => {
  let clock: sinon.SinonFakeTimers;
  let summaries: LogRecord[];
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000 });
    summaries = [];
  });
  afterEach(() => sinon.restore());

  function run(throttle: Throttle, records: LogRecord[]): number {
    return records.filter((r) => throttle.processor(r) !== undefined).length;
  }

  describe('processor', () => {
    it('passes `limit` records per key per window and summarises the rest when the window closes', () => {
      const throttle = new Throttle(rules('3/1s'), (r) => summaries.push(r));
      assert.equal(run(throttle, Array.from({ length: 50 }, () => record('db timeout'))), 3);
      assert.equal(summaries.length, 0);
      clock.tick(999);
      assert.equal(summaries.length, 0);
      clock.tick(1);
      assert.equal(summaries.length, 1);
      const s = summaries[0]!;
      assert.equal(s.body, 'suppressed 47 records like "db timeout" in 1000 ms');
      assert.equal(s.attributes?.['logbridge.throttle.suppressed'], 47);
      assert.equal(s.severityNumber, 17);
      assert.equal(s.scope, 'db');
      assert.deepEqual(throttle.stats(), { suppressed: 47, summaries: 1 });
    });

    it('starts a new window after the old one: its first record passes again', () => {
      const throttle = new Throttle(rules('1/1s'), (r) => summaries.push(r));
      assert.equal(run(throttle, [record('x'), record('x')]), 1);
      clock.tick(1000);
      assert.equal(run(throttle, [record('x'), record('x'), record('x')]), 1);
      clock.tick(1000);
      assert.deepEqual(summaries.map((s) => s.attributes?.['logbridge.throttle.suppressed']), [1, 2]);
    });

    it('writes no summary for a window where nothing was held back', () => {
      const throttle = new Throttle(rules('5/1s'), (r) => summaries.push(r));
      run(throttle, [record('x'), record('x')]);
      clock.tick(5000);
      assert.equal(summaries.length, 0);
    });

    it('keys by logger, level and message, or by event name', () => {
      const throttle = new Throttle(rules('1/1s'), (r) => summaries.push(r));
      const passed = run(throttle, [
        record('a'), record('a', { severityNumber: 13, severityText: 'WARN' }), record('a', { scope: 'api' }), record('b'),
        record('ignored body 1', { eventName: 'cache.miss' }), record('ignored body 2', { eventName: 'cache.miss' }),
      ]);
      assert.equal(passed, 5);
      clock.tick(1000);
      assert.equal(summaries[0]!.attributes?.['logbridge.throttle.event_name'], 'cache.miss');
      assert.match(summaries[0]!.body, /like "cache.miss"/);
    });

    it('never holds back FATAL records', () => {
      const throttle = new Throttle(rules('1/1s'), (r) => summaries.push(r));
      assert.equal(run(throttle, Array.from({ length: 10 }, () => record('dying', { severityNumber: 21, severityText: 'FATAL' }))), 10);
    });

    it('applies the most specific logger pattern; off leaves a logger alone', () => {
      const throttle = new Throttle(rules('1/1s,db.pool=3/1s,audit=off'), (r) => summaries.push(r));
      const ten = (scope: string) => Array.from({ length: 10 }, () => record('m', { scope }));
      assert.equal(run(throttle, ten('db')), 1);
      assert.equal(run(throttle, ten('db.pool.conn')), 3);
      assert.equal(run(throttle, ten('audit')), 10);
    });

    it('lets its own summary records through', () => {
      const throttle = new Throttle(rules('1/1s'), (r) => summaries.push(throttle.processor(r)!));
      run(throttle, [record('x'), record('x')]);
      clock.tick(1000);
      assert.equal(summaries.length, 1);
      assert.ok(summaries[0] !== undefined);
    });

    it('follows new rules for keys that start after the change', () => {
      const throttle = new Throttle(rules('off'), (r) => summaries.push(r));
      assert.equal(run(throttle, [record('x'), record('x')]), 2);
      throttle.setRules(rules('1/1s'));
      assert.equal(run(throttle, [record('y'), record('y')]), 1);
    });
  });

  describe('through configure({ throttle })', () => {
    after(() => configure({ sinks: [], throttle: false, env: {} }));

    it('throttles an error storm to the configured rate with a correct summary count', () => {
      const sink = new MemorySink();
      configure({ sinks: [sink], level: 'info', throttle: '10/1s', env: {} });
      const log = getLogger('payments');
      const before = getVolumeStats().throttle.suppressed;
      for (let second = 0; second < 3; second++) {
        for (let i = 0; i < 200; i++) log.error('card processor unreachable', { i });
        clock.tick(1000);
      }
      const errors = sink.records.filter((r) => r.body === 'card processor unreachable');
      assert.equal(errors.length, 30);
      const counts = sink.records.map((r) => r.attributes?.['logbridge.throttle.suppressed']).filter((n) => n !== undefined);
      assert.deepEqual(counts, [190, 190, 190]);
      assert.equal(getVolumeStats().throttle.suppressed - before, 570);
    });
  });
});

describe('flush() with throttling on', () => {
  after(() => configure({ sinks: [], throttle: false, env: {} }));
  it('writes the summaries of the windows still open', async () => {
    const { flush } = await import('../../src/index.ts');
    const sink = new MemorySink();
    configure({ sinks: [sink], level: 'info', throttle: '1/1h', env: {} });
    for (let i = 0; i < 5; i++) getLogger('jobs').warn('retrying');
    await flush();
    assert.deepEqual(sink.records.map((r) => r.attributes?.['logbridge.throttle.suppressed']), [undefined, 4]);
  });
});
