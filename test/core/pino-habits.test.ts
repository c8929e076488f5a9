import assert from 'node:assert/strict';
import { getLogger, setLevel, getLevel } from '../../src/index.ts';
import { captureLogs, MemorySink } from '../../src/testing/index.ts';
import { runtime } from '../../src/core/runtime.ts';

/** The pino habits of Logger (src/core/logger.ts): level property, isLevelEnabled, child levels, flush, printf. */
describe('Logger (pino habits)', () => {
  let rules: string;
  beforeEach(() => {
    rules = getLevel();
    setLevel('info');
  });
  afterEach(() => setLevel(rules));

  describe('level', () => {
    it('reads the level in force', () => {
      setLevel('info,p.read=warn');
      assert.equal(getLogger('p.read').level, 'warn');
      assert.equal(getLogger('p.read.other').level, 'warn');
      assert.equal(getLogger('p.readx').level, 'info');
    });

    it('when assigned, enables and disables the level methods of that logger', async () => {
      const log = getLogger('p.assign');
      log.level = 'debug';
      assert.equal(log.level, 'debug');
      assert.equal(log.isEnabled('debug'), true);
      const sink = await captureLogs(() => {
        log.debug('shown');
        log.trace('hidden');
      });
      assert.deepEqual(sink.records.map((r) => r.body), ['shown']);
      log.level = 'silent';
      assert.equal(log.level, 'off');
      assert.equal((await captureLogs(() => log.fatal('x'))).records.length, 0);
    });

    it('leaves other loggers alone and no longer follows the rules of its name', () => {
      const log = getLogger('p.own');
      log.level = 'error';
      setLevel('debug');
      assert.equal(log.level, 'error');
      assert.equal(getLogger('p.other').level, 'debug');
    });

    it('is shared by children made from the logger without a level', () => {
      const log = getLogger('p.family');
      const before = log.child({ a: 1 });
      log.level = 'warn';
      const after = log.child({ b: 2 });
      log.level = 'trace';
      assert.equal(after.level, 'trace');
      assert.equal(after.isEnabled('trace'), true);
      // A child made before the first assignment stays on the name's rules.
      assert.equal(before.level, 'info');
    });

    it('when assigned on a child that shared its parent\'s level, leaves the parent alone', () => {
      const parent = getLogger('p.parent');
      parent.level = 'warn';
      const child = parent.child({ part: 'x' });
      child.level = 'debug';
      assert.equal(child.level, 'debug');
      assert.equal(parent.level, 'warn');
      parent.level = 'error';
      assert.equal(child.level, 'debug');
    });

    it('throws a coded error for a name that is not a level, and keeps the level', () => {
      const log = getLogger('p.bad');
      assert.throws(() => { log.level = 'loud'; }, { code: 'LOGBRIDGE_ERR_INVALID_LEVEL' });
      assert.equal(log.level, 'info');
    });
  });

  describe('isLevelEnabled()', () => {
    it('answers like isEnabled()', () => {
      setLevel('warn');
      const log = getLogger('p.enabled');
      assert.equal(log.isLevelEnabled('warn'), true);
      assert.equal(log.isLevelEnabled('info'), false);
    });
  });

  describe('child(bindings, { level })', () => {
    it('gives the child its own level and the parent keeps its own', async () => {
      const parent = getLogger('p.child');
      const child = parent.child({ part: 'db' }, { level: 'debug' });
      assert.equal(child.level, 'debug');
      assert.equal(parent.level, 'info');
      const sink = await captureLogs(() => {
        child.debug('child debug');
        parent.debug('parent debug');
      });
      assert.deepEqual(sink.records.map((r) => r.body), ['child debug']);
      assert.equal(sink.records[0]!.allAttributes['part'], 'db');
    });

    it('throws a coded error for an invalid level', () => {
      assert.throws(() => getLogger('p.child').child({}, { level: 'chatty' }), { code: 'LOGBRIDGE_ERR_INVALID_LEVEL' });
    });
  });

  describe('flush()', () => {
    it('flushes every sink and calls pino-style callbacks', async () => {
      let flushed = 0;
      const sink = { emit(): void {}, flush(): Promise<void> { flushed += 1; return Promise.resolve(); } };
      const [sinks, processors] = runtime.pipeline.swap([sink], []);
      try {
        await getLogger('p.flush').flush();
        await new Promise<void>((resolve) => { void getLogger('p.flush').flush(() => resolve()); });
      } finally {
        runtime.pipeline.swap(sinks, processors);
      }
      assert.equal(flushed, 2);
    });
  });

  describe('printf-style messages', () => {
    async function bodyOf(fn: () => void) {
      const sink: MemorySink = await captureLogs(fn);
      return sink.records[0]!;
    }

    it('fills %s %d %i %f %j %o with util.format semantics', async () => {
      const log = getLogger('p.fmt');
      assert.equal((await bodyOf(() => log.info('hello %s', 'ana'))).body, 'hello ana');
      assert.equal((await bodyOf(() => log.info('%d items, %i whole, %f', 3, 4.7, 1.5))).body, '3 items, 4 whole, 1.5');
      assert.equal((await bodyOf(() => log.info('payload %j', { a: [1] }))).body, 'payload {"a":[1]}');
      assert.equal((await bodyOf(() => log.info('obj %o', { b: 1 }))).body, 'obj { b: 1 }');
      assert.equal((await bodyOf(() => log.info('100%% of %s', 'it'))).body, '100% of it');
    });

    it('takes a plain object left after the tokens as attributes, and an error as the exception', async () => {
      const log = getLogger('p.fmt');
      const withAttributes = await bodyOf(() => log.info('user %s paid %d', 'u1', 30, { currency: 'EUR' }));
      assert.equal(withAttributes.body, 'user u1 paid 30');
      assert.deepEqual(withAttributes.attributes, { currency: 'EUR' });
      const withError = await bodyOf(() => log.error('job %s failed', 'j7', new RangeError('late'), { try: 2 }));
      assert.equal(withError.body, 'job j7 failed');
      assert.equal(withError.exception?.type, 'RangeError');
      assert.deepEqual(withError.attributes, { try: 2 });
    });

    it('interpolates after pino-style error and attributes first arguments', async () => {
      const log = getLogger('p.fmt');
      const r = await bodyOf(() => log.error(new Error('x'), 'job %s failed', 'j8'));
      assert.equal(r.body, 'job j8 failed');
      assert.equal(r.exception?.message, 'x');
      const a = await bodyOf(() => log.info({ order: 1 }, 'order %d placed', 1));
      assert.equal(a.body, 'order 1 placed');
      assert.deepEqual(a.attributes, { order: 1 });
    });

    it('leaves messages without tokens, and tokens without arguments, as they are', async () => {
      const log = getLogger('p.fmt');
      assert.equal((await bodyOf(() => log.info('100% sure %s'))).body, '100% sure %s');
      const plain = await bodyOf(() => log.info('50% off', { a: 1 }));
      assert.equal(plain.body, '50% off');
      assert.deepEqual(plain.attributes, { a: 1 });
    });

    it('appends arguments beyond the tokens, the error and attributes, as util.format does', async () => {
      const untyped = getLogger('p.fmt').info as (...args: unknown[]) => void;
      const r = await bodyOf(() => untyped.call(getLogger('p.fmt'), 'a %s', 'b', 'c', 'd', 'e'));
      assert.equal(r.body, 'a b c d e');
    });

    it('still makes the record when an argument refuses to be formatted', async () => {
      const hostile = new Proxy({}, { get() { throw new Error('no'); }, ownKeys() { throw new Error('no'); } });
      const r = await bodyOf(() => getLogger('p.fmt').info('value %o', hostile));
      assert.equal(typeof r.body, 'string');
    });
  });
});
