import assert from 'node:assert/strict';
import { getLogger, getRequestContext, withRequestContext } from '../../src/index.ts';
import { setRequestAttributes } from '../../src/core/context.ts';
import { captureLogs } from '../../src/testing/index.ts';

describe('setRequestAttributes()', () => {
  const log = getLogger('ctx');

  it('adds attributes to every later record of the request, across awaits', async () => {
    const sink = await captureLogs(() => withRequestContext({ requestId: 'r' }, async () => {
      log.info('before');
      setRequestAttributes({ 'user.id': 'u1', 'tenant.id': 't1' });
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.info('after');
    }));
    assert.equal(sink.records[0]!.contextAttributes, undefined);
    assert.deepEqual({ ...sink.records[1]!.contextAttributes }, { 'user.id': 'u1', 'tenant.id': 't1' });
  });

  it('is seen by continuations that started before the call (one context per request)', async () => {
    const sink = await captureLogs(() => withRequestContext({ requestId: 'r' }, async () => {
      const later = new Promise<void>((resolve) => setTimeout(() => { log.info('timer'); resolve(); }, 5));
      setRequestAttributes({ 'user.id': 'u2' });
      await later;
    }));
    assert.equal(sink.records[0]!.allAttributes['user.id'], 'u2');
  });

  it('leaves records made earlier as they were', async () => {
    const sink = await captureLogs(() => withRequestContext({ attributes: { a: 1 } }, () => {
      log.info('one');
      setRequestAttributes({ a: 2, b: 3 });
      log.info('two');
    }));
    assert.deepEqual({ ...sink.records[0]!.contextAttributes }, { a: 1 });
    assert.deepEqual({ ...sink.records[1]!.contextAttributes }, { a: 2, b: 3 });
  });

  it('never writes into the object given to withRequestContext', () => {
    const given = { attributes: { a: 1 } };
    withRequestContext(given, () => setRequestAttributes({ b: 2 }));
    assert.deepEqual(given.attributes, { a: 1 });
  });

  it('does not leak to the outer context from a nested one', () => {
    withRequestContext({ requestId: 'outer' }, () => {
      withRequestContext({ requestId: 'inner' }, () => setRequestAttributes({ inner: true }));
      assert.equal(getRequestContext()?.attributes, undefined);
    });
  });

  it('returns false and does nothing outside a request context', () => {
    assert.equal(setRequestAttributes({ a: 1 }), false);
    assert.equal(getRequestContext(), undefined);
  });

  it('takes attributes with throwing getters without throwing', () => {
    const hostile = Object.defineProperty({}, 'x', { enumerable: true, get() { throw new Error('no'); } });
    withRequestContext({}, () => {
      assert.equal(setRequestAttributes(hostile), true);
      assert.equal(getRequestContext()?.attributes?.x, '[Getter threw]');
    });
  });
});

describe('withRequestContext()', () => {
  const log = getLogger('ctx');

  it('keeps the attributes it was given, even when the caller changes its object later', async () => {
    const attributes: Record<string, unknown> = { 'user.id': 'u1' };
    const sink = await captureLogs(() => withRequestContext({ attributes }, () => {
      log.info('one');
      attributes['user.id'] = 'u2';
      attributes.extra = 1;
      log.info('two');
    }));
    assert.deepEqual(sink.records.map((r) => ({ ...r.contextAttributes })), [{ 'user.id': 'u1' }, { 'user.id': 'u1' }]);
    assert.equal(Object.isFrozen(sink.records[0]!.contextAttributes), true);
    assert.equal(sink.records[0]!.contextAttributes, sink.records[1]!.contextAttributes);
  });
});

describe('withRequestContext() attributes copy', () => {
  it('is a plain object that keeps a __proto__ key as an ordinary attribute', () => {
    const given = JSON.parse('{"__proto__":"x","a":1}') as Record<string, unknown>;
    withRequestContext({ attributes: given }, () => {
      const seen = getRequestContext()!.attributes!;
      assert.equal(Object.getPrototypeOf(seen), Object.prototype);
      assert.deepEqual(Object.keys(seen), ['__proto__', 'a']);
      assert.equal(Object.getOwnPropertyDescriptor(seen, '__proto__')?.value, 'x');
    });
  });
});
