import assert from 'node:assert/strict';
import { describeFunction, GETTER_THREW, keyString, keysOf, readMember, safeString } from '../../src/values/safe.ts';

const boom = (): never => {
  throw new Error('boom');
};

describe('safe reads', () => {
  it('safeString: the value as a string, "" when it throws or is nullish', () => {
    assert.equal(safeString(() => 42), '42');
    assert.equal(safeString(() => null), '');
    assert.equal(safeString(boom), '');
    assert.equal(safeString(() => ({ toString: boom })), '');
  });

  it('keyString: strings as they are, symbols and others through String()', () => {
    assert.equal(keyString('k'), 'k');
    assert.equal(keyString(Symbol('s')), 'Symbol(s)');
    assert.equal(keyString(1), '1');
    assert.equal(keyString({ toString: boom }), '');
  });

  it('describeFunction: named, anonymous and with a throwing name', () => {
    assert.equal(describeFunction(function named() {}), '[Function: named]');
    assert.equal(describeFunction(Object.defineProperty(() => {}, 'name', { value: '' })), '[Function (anonymous)]');
    assert.equal(describeFunction(Object.defineProperty(() => {}, 'name', { get: boom })), '[Function (anonymous)]');
  });

  it('readMember: the member, or the marker when its getter throws', () => {
    assert.equal(readMember({ a: 1 }, 'a'), 1);
    assert.equal(readMember(Object.defineProperty({}, 'a', { get: boom }), 'a'), GETTER_THREW);
    assert.equal(readMember([5, 6], 1), 6);
  });

  it('keysOf: the keys, or undefined for a proxy whose ownKeys trap throws', () => {
    assert.deepEqual(keysOf({ a: 1, b: 2 }), ['a', 'b']);
    assert.equal(keysOf(new Proxy({}, { ownKeys: boom })), undefined);
  });
});
