import assert from 'node:assert/strict';
import { mergeAttributes, recordAttributes } from '../../src/core/attributes.ts';
import { makeRecord } from '../encoders/record-fixture.ts';

describe('attributes', () => {
  describe('mergeAttributes()', () => {
    it('lets later sources win and skips undefined ones', () => {
      assert.deepEqual({ ...mergeAttributes({ a: 1, b: 1 }, undefined, { b: 2 }) }, { a: 1, b: 2 });
    });

    it('never throws: a throwing getter gives a placeholder, unlistable keys are skipped', () => {
      const getter = Object.defineProperty({}, 'bad', { enumerable: true, get: () => { throw new Error('no'); } });
      const unlistable = new Proxy({}, { ownKeys: () => { throw new Error('no keys'); } });
      assert.deepEqual({ ...mergeAttributes(getter, unlistable, { ok: true }) }, { bad: '[Getter threw]', ok: true });
    });

    it('keeps __proto__ an ordinary key of a null-prototype result', () => {
      const merged = mergeAttributes(JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>);
      assert.equal(Object.getPrototypeOf(merged), null);
      assert.deepEqual(Object.keys(merged), ['__proto__']);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  });

  describe('recordAttributes()', () => {
    it('merges by precedence: call > request > exception details > bindings', () => {
      const record = makeRecord({
        bindings: { attributes: { k: 'binding', b: 1, e: 'binding' }, keys: new Set(['k', 'b', 'e']) },
        exception: { type: 'E', message: 'm', attributes: { e: 'exception', k: 'exception' } },
        contextAttributes: { k: 'request', r: 1 },
        attributes: { k: 'call' },
      });
      assert.deepEqual({ ...recordAttributes(record) }, { k: 'call', b: 1, e: 'exception', r: 1 });
    });
  });
});
