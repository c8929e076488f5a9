import assert from 'node:assert/strict';
import fc from 'fast-check';
import { walk, type ValueVisitor } from '../../src/values/walk.ts';
import { jsonValue } from '../../src/values/json.ts';
import { toAnyValue, type AnyValue } from '../../src/values/any-value.ts';
import { DEFAULT_LIMITS, type Limits } from '../../src/values/limits.ts';
import { FC_PARAMS, handMade, hostileValue, reveal } from '../property/hostile.ts';

/** Limits without the record size cut, which only the JSON text has (it measures text while it grows). */
const NO_RECORD_CUT: Limits = { ...DEFAULT_LIMITS, recordSize: undefined };

/** A value in one comparable form: bytes as base64 (as JSON writes them), objects without prototype, -0 as 0. */
function comparable(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value === 'number') return value === 0 ? 0 : value;
  if (typeof value !== 'object' || value === null) return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    Object.defineProperty(out, key, { value: comparable((value as Record<string, unknown>)[key]), enumerable: true });
  }
  return out;
}

function fromJson(text: string | undefined): unknown {
  return text === undefined ? undefined : comparable(JSON.parse(text));
}

/** A visitor that writes a compact trace of what the walk handed it, to show the walk alone decides. */
class TraceVisitor implements ValueVisitor<string, string[], string[]> {
  string(s: string): string { return `s(${s})`; }
  plain(s: string): string { return `p(${s})`; }
  number(n: number): string { return `n(${n})`; }
  boolean(b: boolean): string { return `b(${b})`; }
  null(): string { return 'null'; }
  error(type: string, message: string, stack: string | undefined): string { return `error(${type}|${message}|${stack !== undefined})`; }
  bytes(b: Uint8Array | ArrayBuffer): string { return `bytes(${b.byteLength})`; }
  startArray(): string[] { return []; }
  item(array: string[], value: string): string[] { array.push(value); return array; }
  endArray(array: string[]): string { return `[${array.join(' ')}]`; }
  startObject(): string[] { return []; }
  member(object: string[], key: string, value: string): string[] { object.push(`${key}=${value}`); return object; }
  endObject(object: string[]): string { return `{${object.join(' ')}}`; }
  full(container: string[], limits: Limits): boolean { return container.length >= (limits.recordSize ?? Infinity); }
}

describe('walk()', () => {
  const trace = (value: unknown, limits: Limits = NO_RECORD_CUT): string | undefined => walk(new TraceVisitor(), value, limits);

  it('decides markers, limits and special values for every visitor', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    assert.equal(trace(cyclic), '{a=n(1) self=p([Circular])}');
    assert.equal(trace([1, [2, [3]]], { ...NO_RECORD_CUT, depth: 2 }), '[n(1) [n(2) p([Array])]]');
    assert.equal(trace([1, 2, 3], { ...NO_RECORD_CUT, collectionEntries: 2 }), '[n(1) n(2) p([1 more])]');
    assert.equal(trace({ a: 1, b: 2, c: 3 }, { ...NO_RECORD_CUT, collectionEntries: 1 }), '{a=n(1) [more]=p([2 more])}');
    assert.equal(trace(new Map([['k', undefined], ['j', 1]])), '{j=n(1)}');
    assert.equal(trace(new Set(['x'])), '[s(x)]');
    assert.equal(trace(NaN), 'p(NaN)');
    assert.equal(trace(12n), 'p(12)');
    assert.equal(trace(new Date(0)), 'p(1970-01-01T00:00:00.000Z)');
    assert.equal(trace(Buffer.from('abc')), 'bytes(3)');
    assert.equal(trace(new Int16Array([1, -1])), '[n(1) n(-1)]');
    assert.equal(trace(function named() {}), 's([Function: named])');
    assert.equal(trace({ get x(): never { throw new Error('no'); } }), '{x=s([Getter threw])}');
    assert.equal(trace({ toJSON: () => ({ replaced: true }) }), '{replaced=b(true)}');
    assert.equal(trace({ toJSON(): never { throw new Error('no'); } }), 'p([toJSON threw])');
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    assert.equal(trace(revoked.proxy), 'p([Unserializable])');
    assert.equal(trace([undefined, () => 1]), '[null s([Function (anonymous)])]');
    assert.equal(trace(undefined), undefined);
    const named = Object.assign(new Error('m'), { name: 'ValidationError' });
    assert.equal(trace(named), 'error(ValidationError|m|true)');
    assert.equal(trace(Object.assign(new Error('m'), { stack: '' })), 'error(Error|m|false)');
  });

  it('cuts strings with the truncation marker, nested ones too', () => {
    const limits = { ...NO_RECORD_CUT, valueLength: 30 };
    const text = 'x'.repeat(100);
    const cut = `${'x'.repeat(8)}…[truncated 92 chars]`;
    assert.equal(trace(text, limits), `s(${cut})`);
    assert.equal(trace({ deep: [text] }, limits), `{deep=[s(${cut})]}`);
  });

  it('stops an object early when the visitor says its output is full, and counts the rest', () => {
    assert.equal(trace({ a: 1, b: 2, c: 3, d: 4 }, { ...NO_RECORD_CUT, recordSize: 2 }), '{a=n(1) b=n(2) [more]=p([2 more])}');
    assert.equal(trace([1, 2, 3, 4], { ...NO_RECORD_CUT, recordSize: 3 }), '[n(1) n(2) n(3) p([1 more])]');
  });

  it('gives a walk started from inside another (a getter that walks) its own trail of seen objects', () => {
    const shared = { id: 1 };
    const outer = { shared, get inner(): unknown { return jsonValue(shared, DEFAULT_LIMITS); } };
    assert.equal(jsonValue(outer, DEFAULT_LIMITS), '{"shared":{"id":1},"inner":"{\\"id\\":1}"}');
  });
});

describe('JSON text and AnyValue agree (one walk, two visitors)', () => {
  it('on every hand-made hostile value', () => {
    // Two fresh sets made on one line, so that their errors' stacks are alike.
    const [jsonSide, anySide] = [0, 1].map(() => handMade()) as [unknown[], unknown[]];
    for (let i = 0; i < jsonSide.length; i++) {
      assert.deepEqual(fromJson(jsonValue(jsonSide[i], NO_RECORD_CUT)), comparable(toAnyValue(anySide[i], NO_RECORD_CUT)), `value ${i}`);
    }
  });

  it('on any generated value', () => {
    fc.assert(fc.property(hostileValue, (value) => {
      const json = fromJson(jsonValue(reveal(value), NO_RECORD_CUT));
      const any = comparable(toAnyValue(reveal(value), NO_RECORD_CUT) as AnyValue);
      assert.deepEqual(json, any);
    }), FC_PARAMS);
  });
});
