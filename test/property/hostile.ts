/**
 * Arbitraries for the hostile-input suite: everything fast-check's
 * `anything()` makes (all options on), strings full of line breaks, ANSI
 * escapes and lone surrogates, and hand-made values built to break
 * serializers: cycles, throwing getters and toJSON, proxies (working,
 * throwing and revoked), BigInt, symbols, huge and deep values.
 *
 * Seeds: `FC_SEED=<n>` re-runs the suite with another seed (`FC_SEED=random`
 * for a fresh one each run); `FC_RUNS=<n>` changes the number of runs.
 */
import fc from 'fast-check';

const seedText = process.env.FC_SEED;
/** fast-check parameters for every property of the suite. */
export const FC_PARAMS: fc.Parameters<unknown> = {
  seed: seedText === undefined || seedText === '' ? 20261128 : seedText === 'random' ? undefined : Number(seedText),
  numRuns: Number(process.env.FC_RUNS ?? 40),
  endOnFailure: true,
};

const NASTY_PIECES = [
  '\n', '\r\n', '\r', '\u2028', '\u2029', '\u0085', '\0', '\x7f', '\x9b31m', '\x1b[31m', '\x1b[2J', '\x1b]0;pwned\x07',
  '\x1b[1A\x1b[2K', '\ud800', '\udfff', '\udbff\udfff', '"', '\\', '\\u0000', '\u202e', '\u2066', '\ufeff', '{"level":"FATAL","message":"forged"}\n',
  '" level=FATAL msg="forged', 'é✓😀', '\t', '%s%n%d', '${process.exit()}', '</script>',
];

/** Strings made of line breaks, escapes, surrogates and ordinary text. */
export const hostileString: fc.Arbitrary<string> = fc.array(fc.oneof(
  fc.constantFrom(...NASTY_PIECES),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ maxLength: 10 }),
), { maxLength: 12 }).map((parts) => parts.join(''));

/** Keys that collide with record fields, prototypes and our own markers. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'toJSON',
    'timestamp', 'level', 'message', 'severity_number', 'scope', 'trace_id', 'span_id', 'request.id',
    'exception.type', 'exception.message', 'exception.stacktrace', 'dropped_attributes_count',
    'logbridge.truncated', '[more]', 'attr.level', 'password', 'Authorization', ''),
  hostileString,
);

function revokedProxy(): object {
  const p = Proxy.revocable({ a: 1 }, {});
  p.revoke();
  return p.proxy;
}

function throwingProxy(): object {
  const boom = (): never => {
    throw new Error('trap');
  };
  return new Proxy({}, { ownKeys: boom, get: boom, getPrototypeOf: boom, has: boom, getOwnPropertyDescriptor: boom });
}

function deep(levels: number): unknown {
  let value: unknown = { leaf: true };
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? { next: value } : [value];
  return value;
}

function hostileError(): Error {
  const error = new Error('base');
  for (const key of ['message', 'stack', 'name']) {
    Object.defineProperty(error, key, { get() { throw new Error(`${key} getter`); } });
  }
  Object.defineProperty(error, 'cause', { get: () => error });
  return error;
}

function cyclicObject(): Record<string, unknown> {
  const cyclic: Record<string, unknown> = { name: 'cyclic' };
  cyclic.self = cyclic;
  cyclic.list = [cyclic, { back: cyclic }];
  return cyclic;
}

/** Makers of values built by hand to hurt serializers (each call makes a fresh value). */
const MAKERS: ReadonlyArray<() => unknown> = [
  cyclicObject,
  () => { const a: unknown[] = []; a.push(a); return a; },
  () => { const e = new Error('loop'); (e as { cause?: unknown }).cause = e; return e; },
  () => ({ [Symbol('s')]: 1, visible: Symbol('value') }),
  () => { const f = (): void => {}; Object.defineProperty(f, 'name', { get() { throw new Error('name'); } }); return f; },
  () => ({ get boom(): never { throw new Error('getter'); } }),
  () => ({ toJSON(): never { throw new Error('toJSON'); } }),
  () => ({ toJSON(): unknown { return this; } }),
  () => ({ toJSON: () => ({ password: 'in-toJSON', nested: { toJSON: () => '\n\x1b[31m' } }) }),
  () => ({ toString(): never { throw new Error('toString'); }, valueOf(): never { throw new Error('valueOf'); } }),
  () => Object.create(null),
  () => Object.assign(Object.create(null), { '__proto__': 'own', constructor: '\n' }),
  () => JSON.parse('{"__proto__": {"polluted": true}, "level": "FATAL"}'),
  revokedProxy, throwingProxy, () => new Proxy({ a: 1 }, {}), () => new Proxy([1, 2], {}),
  () => 10n ** 40n, () => -1n, () => Symbol('sym\n'), () => Symbol(), () => NaN, () => -0, () => Infinity,
  () => -Infinity, () => Number.MAX_VALUE,
  () => new Date(NaN), () => new Date(8.64e15), () => new Uint8Array([0, 255]), () => new Float64Array([NaN, 1.5]),
  () => new ArrayBuffer(3),
  () => new Map<unknown, unknown>([[{}, 1], [Symbol('k'), 2], ['\n', 3]]), () => new Set([cyclicObject()]),
  () => new WeakMap(), () => Promise.resolve(1),
  hostileError, () => new AggregateError([hostileError(), 'str', null], 'agg\nmsg'),
  () => 'x'.repeat(2_000_000), () => '\n'.repeat(10_000), () => '\x1b'.repeat(1000),
  () => new Array(200_000).fill('a'), () => Array.from({ length: 5000 }, (_, i) => ({ [`k${i}`]: i })),
  () => Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`key${i}`, i])),
  () => deep(50_000), () => new (class Weird { get x(): number { return 1; } })(),
  () => Object.defineProperty({}, 'hidden', { value: 1, enumerable: false }),
  () => [, , 1], // sparse
  () => new String('boxed\n'), () => new Number(1), () => Object(Symbol('boxed')), () => Object(1n),
];

/** Every hand-made value, fresh. */
export function handMade(): unknown[] {
  return MAKERS.map((make) => make());
}

/**
 * A hand-made value by index. fast-check prints and may copy the values it
 * generates, which the hand-made ones are built to break; so the arbitrary
 * yields this stand-in and the property calls {@link reveal} to get a fresh
 * hostile value.
 */
export class HandMade {
  readonly index: number;
  constructor(index: number) {
    this.index = index;
  }
  [fc.toStringMethod](): string {
    return `handMade()[${this.index}]`;
  }
}

/** Replaces {@link HandMade} stand-ins (at the top and inside generated dictionaries) by the real values. */
export function reveal(value: unknown, depth = 0): unknown {
  if (value instanceof HandMade) return MAKERS[value.index % MAKERS.length]!();
  if (depth >= 3 || typeof value !== 'object' || value === null) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = proto === null ? Object.create(null) : {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(out, key, {
      value: reveal((value as Record<string, unknown>)[key], depth + 1), enumerable: true, writable: true, configurable: true,
    });
  }
  return out;
}

/** Any value: fast-check's `anything()` with every option, hostile strings and the hand-made values (see {@link reveal}). */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    key: hostileKey, values: [hostileString, fc.bigInt(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null),
      fc.constant(undefined)],
    maxDepth: 4, maxKeys: 6,
    withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withObjectString: true,
    withNullPrototype: true, withTypedArray: true, withSparseArray: true,
  }),
  hostileString,
  fc.nat({ max: 1000 }).map((i) => new HandMade(i)),
);

/** Attributes: a dictionary of hostile keys to hostile values, sometimes a hostile value itself. */
export const hostileAttributes: fc.Arbitrary<unknown> = fc.oneof(
  fc.dictionary(hostileKey, hostileValue, { maxKeys: 8 }),
  hostileValue,
);
