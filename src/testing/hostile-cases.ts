import { conformanceRecord, sameIdentity, type ConformanceCase } from './conformance-cases.ts';
import type { Attributes } from '../core/record.ts';

/**
 * Hostile values: what a log call may be handed by accident or by an
 * attacker. A conforming sink or encoder never throws on any of them and
 * gives exactly one valid record with the record's own fields intact.
 */

function cyclic(): object {
  const order: Record<string, unknown> = { id: 7 };
  order.self = order;
  const list: unknown[] = [1];
  list.push(list);
  return { order, list };
}

function throwingGetter(): object {
  const o = { ok: 1 };
  Object.defineProperty(o, 'boom', { enumerable: true, get: () => { throw new Error('getter threw'); } });
  return o;
}

function trapProxy(): object {
  const fail = (): never => { throw new Error('trap'); };
  return new Proxy({}, { get: fail, ownKeys: fail, getOwnPropertyDescriptor: fail, has: fail, getPrototypeOf: fail });
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

function deep(levels: number): object {
  let o: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < levels; i++) o = { down: o };
  return o;
}

/** Attributes whose own getter throws: the attribute object itself is hostile. */
function hostileAttributeObject(): Attributes {
  const attributes = { fine: 'yes' };
  Object.defineProperty(attributes, 'bad', { enumerable: true, get: () => { throw new TypeError('top-level getter'); } });
  return attributes;
}

const HUGE = 'x'.repeat(1_000_000);

/** Each value under one attribute; the message stays plain, so it must survive intact. */
function hostileValues(): Array<[string, Attributes]> {
  return [
    ['cycles', cyclic() as Attributes],
    ['throwing getter', { value: throwingGetter() }],
    ['throwing getter on the attributes', hostileAttributeObject()],
    ['huge string', { value: HUGE }],
    ['huge array', { value: Array.from({ length: 100_000 }, (_, i) => i) }],
    ['BigInt', { value: 12_345_678_901_234_567_890n, negative: -1n }],
    ['symbols', { value: Symbol('s'), [Symbol('key')]: 'symbol key' } as Attributes],
    ['functions', { value: function named() {}, arrow: () => 1, klass: class Order {} }],
    ['non-finite numbers', { nan: NaN, inf: Infinity, minusInf: -Infinity, minusZero: -0 }],
    ['undefined and null', { undef: undefined, nil: null }],
    ['dates', { valid: new Date(0), invalid: new Date(NaN) }],
    ['collections', { map: new Map<unknown, unknown>([['a', 1], [{}, 2]]), set: new Set([1, 'two']), weak: new WeakMap() }],
    ['binary', { buffer: Buffer.from('hi'), bytes: new Uint8Array([0, 255]), view: new DataView(new ArrayBuffer(2)) }],
    ['an error in attributes', { cause: new RangeError('out of range') }],
    ['proxy with throwing traps', { value: trapProxy() }],
    ['revoked proxy', { value: revokedProxy() }],
    ['deep nesting', { value: deep(10_000) }],
    ['toJSON that throws', { value: { toJSON: () => { throw new Error('toJSON'); } } }],
    ['toJSON that returns itself', { value: { toJSON() { return this; } } }],
    ['null prototype', { value: Object.assign(Object.create(null) as object, { a: 1 }) }],
    ['sparse array', { value: [1, , 3] }], // eslint-disable-line no-sparse-arrays
    ['lone surrogates', { value: '\ud800 and \udfff', ['key\ud800']: 1 }],
    ['__proto__ key', JSON.parse('{"__proto__": {"polluted": true}, "fine": 1}') as Attributes],
    ['a promise', { value: Promise.resolve(1) }],
  ];
}

/** The hostile-value cases. */
export function hostileCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = hostileValues().map(([name, attributes]) => {
    const record = conformanceRecord(`hostile: ${name}`, { attributes });
    return { check: 'hostile-values', name, record, expect: sameIdentity(record) };
  });
  const hugeMessage = conformanceRecord('hostile: huge message', { body: HUGE });
  cases.push({ check: 'hostile-values', name: 'huge message', record: hugeMessage, expect: sameIdentity(hugeMessage, false) });
  const weirdFields = conformanceRecord('hostile: odd fields', { scope: 'scope with spaces=and "quotes"', eventName: 'e\u0000v' });
  cases.push({ check: 'hostile-values', name: 'odd scope and event name', record: weirdFields, expect: () => [] });
  return cases;
}

/** Text that would start a record of its own if a newline reached the output raw. */
const FORGED = '\n{"timestamp":"2026-01-01T00:00:00.000000Z","level":"FATAL","scope":"forged","message":"forged"}\n' +
  'timestamp=2026-01-01T00:00:00Z level=FATAL scope=forged message=forged\r\n\u2028';

/** Control characters and line breaks in the message, an attribute key and value. */
export function forgingCases(): ConformanceCase[] {
  const inMessage = conformanceRecord('line forging: message', { body: `legit${FORGED}` });
  const inAttribute = conformanceRecord('line forging: attribute', { attributes: { [`key${FORGED}`]: `value${FORGED}\u001b[2J` } });
  return [
    { check: 'line-forging', name: 'newline in the message', record: inMessage, expect: sameIdentity(inMessage, false) },
    { check: 'line-forging', name: 'newline in an attribute', record: inAttribute, expect: sameIdentity(inAttribute) },
  ];
}
