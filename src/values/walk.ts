import { isError, errorType } from './error-type.ts';
import type { Limits } from './limits.ts';
import { describeFunction, keyString, readMember, safeString } from './safe.ts';
import { truncate } from './truncate.ts';

/**
 * The one walk over arbitrary user values. It decides everything about a
 * value — cycles (`"[Circular]"`), the depth limit (`"[Object]"` /
 * `"[Array]"`), entry limits (`"[N more]"`), string cuts, Map/Set, binary
 * data, typed arrays, Date, BigInt, non-finite numbers, Errors, functions,
 * symbols, `toJSON`, getters and proxy traps that throw — and a
 * {@link ValueVisitor} only builds one output shape from what it is handed
 * (JSON text in `json.ts`, OTLP AnyValue in `any-value.ts`). So every
 * output shows the same value the same way. Never throws.
 *
 * Redaction (`redact/`) still walks on its own: it must replace a member by
 * its key or path *before* descending into it, and hand back the same
 * object when nothing matched. A visitor hook that may answer for a member
 * (`replace(key, path)`) is what it would need to become a third visitor.
 */

/**
 * Builds one output shape. `V` is a finished value, `A` an array being
 * built, `O` an object being built. Accumulators are passed back by return
 * value, so immutable ones (strings) and mutable ones (arrays) both work.
 * Implement it as a class (see {@link walk} on speed).
 */
export interface ValueVisitor<V, A, O> {
  /** A string from user data, already cut to the value length limit; may need escaping. */
  string(s: string): V;
  /** A string the walker made (markers, ISO dates, BigInt digits): ASCII, no escaping needed. */
  plain(s: string): V;
  /** A finite number. */
  number(n: number): V;
  boolean(b: boolean): V;
  null(): V;
  /**
   * An Error, as an object `{ type, message, stacktrace }` (no `stacktrace`
   * when `stack` is undefined); the walk has named it and cut the strings.
   */
  error(type: string, message: string, stack: string | undefined): V;
  /** Binary data (`Buffer`, `Uint8Array`, `ArrayBuffer`); the visitor copies what it keeps. */
  bytes(b: Uint8Array | ArrayBuffer): V;
  startArray(): A;
  /** Appends an item; `index` is 0 for the first. */
  item(array: A, value: V, index: number): A;
  endArray(array: A): V;
  startObject(): O;
  /** Adds a member; `count` is how many members were added before this one. */
  member(object: O, key: string, value: V, count: number): O;
  endObject(object: O): V;
  /** Whether the output is already so big that further entries are left out (counted as "[N more]"). */
  full(container: A | O, limits: Limits): boolean;
}

/**
 * Walks `value` with `visitor`: the visitor's value, or `undefined` for
 * values left out (`undefined`). Never throws: an unreadable value gives
 * `"[Unserializable]"`.
 *
 * Speed: the walk is plain module functions with the visitor as an
 * argument, and visitors are class instances, so V8 sees one map per
 * visitor with constant methods and inlines them per visitor even when a
 * process uses several (stdout and OTLP); visitors as object literals of
 * the same shape, or a walk made per visitor as closures, made the second
 * visitor ~50% slower (benchmarks/encode-micro.ts).
 */
export function walk<V, A, O>(visitor: ValueVisitor<V, A, O>, value: unknown, limits: Limits): V | undefined {
  try {
    return anyValue(visitor, value, limits, 0, []);
  } catch {
    return visitor.plain('[Unserializable]');
  }
}

function anyValue<V, A, O>(visitor: ValueVisitor<V, A, O>, v: unknown, limits: Limits, depth: number, seen: object[]): V | undefined {
  switch (typeof v) {
    case 'string':
      return visitor.string(v.length > limits.valueLength ? truncate(v, limits.valueLength) : v);
    case 'number':
      return Number.isFinite(v) ? visitor.number(v) : visitor.plain(String(v));
    case 'boolean':
      return visitor.boolean(v);
    case 'bigint':
      return visitor.plain(String(v));
    case 'undefined':
      return undefined;
    case 'symbol':
      return visitor.string(truncate(v.toString(), limits.valueLength));
    case 'function':
      return visitor.string(truncate(describeFunction(v), limits.valueLength));
    default:
      return v === null ? visitor.null() : object(visitor, v as object, limits, depth, seen);
  }
}

function object<V, A, O>(visitor: ValueVisitor<V, A, O>, v: object, limits: Limits, depth: number, seen: object[]): V {
  if (seen.includes(v)) return visitor.plain('[Circular]');
  if (depth >= limits.depth) return visitor.plain(Array.isArray(v) ? '[Array]' : '[Object]');
  seen.push(v);
  try {
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON !== 'function') {
      // Plain objects and arrays (most values) skip the class checks below.
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto === Object.prototype) return members(visitor, v, limits, depth, seen);
      if (proto === Array.prototype) return array(visitor, v as unknown[], limits, depth, seen);
    }
    const special = fixed(visitor, v, limits);
    if (special !== undefined) return special;
    if (typeof toJSON === 'function') {
      let replaced: unknown;
      try {
        replaced = toJSON.call(v);
      } catch {
        return visitor.plain('[toJSON threw]');
      }
      return anyValue(visitor, replaced, limits, depth + 1, seen) ?? visitor.null();
    }
    if (Array.isArray(v)) return array(visitor, v, limits, depth, seen);
    if (v instanceof Map) return map(visitor, v, limits, depth, seen);
    if (v instanceof Set) return array(visitor, [...v], limits, depth, seen);
    return members(visitor, v, limits, depth, seen);
  } catch {
    // A proxy trap or exotic object that throws: lose this value, keep the rest.
    return visitor.plain('[Unserializable]');
  } finally {
    seen.pop();
  }
}

/** Values with a fixed form: dates, errors, binary data, values that cannot be looked into. */
function fixed<V, A, O>(visitor: ValueVisitor<V, A, O>, v: object, limits: Limits): V | undefined {
  if (v instanceof Date) return visitor.plain(Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString());
  if (isError(v)) {
    const stack = safeString(() => v.stack);
    return visitor.error(errorType(v), truncate(safeString(() => v.message), limits.valueLength),
      stack === '' ? undefined : truncate(stack, limits.valueLength));
  }
  if (v instanceof Uint8Array || v instanceof ArrayBuffer) return visitor.bytes(v);
  if (ArrayBuffer.isView(v)) {
    // Other typed arrays hold only numbers: no cycle or depth to watch.
    return array(visitor, Array.from(v as unknown as ArrayLike<number>), limits, 0, []);
  }
  if (v instanceof WeakMap || v instanceof WeakSet || v instanceof Promise) {
    return visitor.plain(`[${v.constructor.name}]`);
  }
  return undefined;
}

function array<V, A, O>(visitor: ValueVisitor<V, A, O>, items: readonly unknown[], limits: Limits, depth: number, seen: object[]): V {
  const n = Math.min(items.length, limits.collectionEntries);
  let out = visitor.startArray();
  let i = 0;
  // One value never grows past the record size limit (`full`): the rest is counted as "[N more]".
  for (; i < n && !visitor.full(out, limits); i++) {
    out = visitor.item(out, anyValue(visitor, readMember(items, i), limits, depth + 1, seen) ?? visitor.null(), i);
  }
  if (items.length > i) out = visitor.item(out, visitor.plain(`[${items.length - i} more]`), i);
  return visitor.endArray(out);
}

function map<V, A, O>(visitor: ValueVisitor<V, A, O>, entries: Map<unknown, unknown>, limits: Limits, depth: number, seen: object[]): V {
  let out = visitor.startObject();
  let looked = 0;
  let count = 0;
  for (const [key, item] of entries) {
    if (looked === limits.collectionEntries || visitor.full(out, limits)) break;
    looked++;
    const converted = anyValue(visitor, item, limits, depth + 1, seen);
    if (converted !== undefined) out = visitor.member(out, keyString(key), converted, count++);
  }
  return visitor.endObject(more(visitor, out, entries.size - looked, count));
}

function members<V, A, O>(visitor: ValueVisitor<V, A, O>, o: object, limits: Limits, depth: number, seen: object[]): V {
  const keys = Object.keys(o);
  const n = Math.min(keys.length, limits.collectionEntries);
  let out = visitor.startObject();
  let count = 0;
  let i = 0;
  for (; i < n && !visitor.full(out, limits); i++) {
    const key = keys[i]!;
    const converted = anyValue(visitor, readMember(o, key), limits, depth + 1, seen);
    if (converted !== undefined) out = visitor.member(out, key, converted, count++);
  }
  return visitor.endObject(more(visitor, out, keys.length - i, count));
}

/** `"[more]": "[N more]"`: entries left out of an object or map are marked, as in arrays. */
function more<V, A, O>(visitor: ValueVisitor<V, A, O>, out: O, left: number, count: number): O {
  return left > 0 ? visitor.member(out, '[more]', visitor.plain(`[${left} more]`), count) : out;
}
