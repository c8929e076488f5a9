import { types } from 'node:util';
import type { Limits } from './limits.ts';

/**
 * A JSON serializer for arbitrary user values that always yields valid JSON
 * and never throws: circular references, BigInt, symbols, functions, binary
 * data, Map/Set, throwing getters and `toJSON`, revoked proxies and lone
 * surrogates all give a defined result. The mapping mirrors `toAnyValue()` in
 * `any-value.ts`, so stdout and OTLP agree on every value.
 */

// Characters that force the slow path: quote, backslash, controls, surrogates.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal for `s`, cut to `maxLength` UTF-16 units. */
export function jsonString(s: string, maxLength = Infinity): string {
  if (s.length > maxLength) s = truncate(s, maxLength);
  // Short strings (most messages and values): a char loop beats a RegExp call
  // (measured: the regex test was ~3% of a record's cost).
  if (s.length < 64 ? isPlain(s) : s.length < 5000 && !NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  // JSON.stringify escapes controls and lone surrogates (well-formed JSON.stringify).
  return JSON.stringify(s);
}

/** Whether `s` needs no escaping in JSON: no quote, backslash, control character or surrogate. */
function isPlain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

/**
 * Cuts `s` to at most `max` UTF-16 units without splitting a surrogate pair.
 * A cut is never silent: the result ends with `…[truncated N chars]` (within
 * `max`; just `…` when `max` is too small for the marker).
 */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const longest = `…[truncated ${s.length} chars]`.length;
  let end = max >= longest + 1 ? max - longest : Math.max(0, max - 1);
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  const cut = s.slice(0, end);
  if (max >= longest + 1) return `${cut}…[truncated ${s.length - end} chars]`;
  return max >= 1 ? cut + '…' : '';
}

const keyCache = new Map<string, string>();

/** `"key":` for an object member, cached: keys repeat across records. */
export function jsonKey(key: string): string {
  let cached = keyCache.get(key);
  if (cached === undefined) {
    cached = jsonString(key) + ':';
    if (keyCache.size < 4096 && key.length < 200) keyCache.set(key, cached);
  }
  return cached;
}

/**
 * JSON text for any value, or `undefined` for values JSON leaves out
 * (`undefined`). Never throws.
 */
export function jsonValue(value: unknown, limits: Limits): string | undefined {
  try {
    return write(value, limits, 0, []);
  } catch {
    return '"[Unserializable]"';
  }
}

function write(value: unknown, limits: Limits, depth: number, seen: object[]): string | undefined {
  switch (typeof value) {
    case 'string':
      return jsonString(value, limits.valueLength);
    case 'number':
      return Number.isFinite(value) ? String(value) : `"${value}"`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `"${value}"`;
    case 'undefined':
      return undefined;
    case 'symbol':
      return jsonString(value.toString(), limits.valueLength);
    case 'function':
      return jsonString(describeFunction(value), limits.valueLength);
    default:
      return value === null ? 'null' : writeObject(value as object, limits, depth, seen);
  }
}

function writeObject(value: object, limits: Limits, depth: number, seen: object[]): string {
  if (seen.includes(value)) return '"[Circular]"';
  if (depth >= limits.depth) return Array.isArray(value) ? '"[Array]"' : '"[Object]"';
  seen.push(value);
  try {
    const special = writeSpecial(value, limits);
    if (special !== undefined) return special;
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      let replaced: unknown;
      try {
        replaced = toJSON.call(value);
      } catch {
        return '"[toJSON threw]"';
      }
      return write(replaced, limits, depth + 1, seen) ?? 'null';
    }
    if (Array.isArray(value)) return writeArray(value, limits, depth, seen);
    if (value instanceof Map) return writeEntries(value, limits, depth, seen);
    if (value instanceof Set) return writeArray([...value], limits, depth, seen);
    return writeMembers(value, limits, depth, seen);
  } catch {
    // A proxy trap or exotic object that throws: lose this value, keep the rest.
    return '"[Unserializable]"';
  } finally {
    seen.pop();
  }
}

/** Values with a fixed textual form: dates, errors, binary data. */
function writeSpecial(value: object, limits: Limits): string | undefined {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? '"Invalid Date"' : `"${value.toISOString()}"`;
  }
  if (types.isNativeError(value) || value instanceof Error) {
    const error = value as Error;
    let text = `{"type":${jsonString(safeName(error))},"message":${jsonString(safeString(() => error.message), limits.valueLength)}`;
    const stack = safeString(() => error.stack);
    if (stack !== '') text += `,"stacktrace":${jsonString(stack, limits.valueLength)}`;
    return text + '}';
  }
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    return `"${toBase64(value)}"`;
  }
  if (ArrayBuffer.isView(value)) {
    return writeArray(Array.from(value as unknown as ArrayLike<number>), limits, 0, []);
  }
  if (value instanceof WeakMap || value instanceof WeakSet || value instanceof Promise) {
    return `"[${value.constructor.name}]"`;
  }
  return undefined;
}

function writeArray(items: readonly unknown[], limits: Limits, depth: number, seen: object[]): string {
  let n = Math.min(items.length, limits.collectionEntries);
  let out = '[';
  for (let i = 0; i < n; i++) {
    // One value never grows past the record size limit: the rest is counted as "[N more]".
    if (out.length > (limits.recordSize ?? Infinity)) n = i;
    if (i >= n) break;
    if (i > 0) out += ',';
    let item: unknown;
    try {
      item = items[i];
    } catch {
      item = '[Getter threw]';
    }
    out += write(item, limits, depth + 1, seen) ?? 'null';
  }
  if (items.length > n) out += `${n > 0 ? ',' : ''}"[${items.length - n} more]"`;
  return out + ']';
}

function writeEntries(map: Map<unknown, unknown>, limits: Limits, depth: number, seen: object[]): string {
  let out = '{';
  let count = 0;
  let seenEntries = 0;
  for (const [key, item] of map) {
    if (count === limits.collectionEntries || out.length > (limits.recordSize ?? Infinity)) break;
    seenEntries++;
    const text = write(item, limits, depth + 1, seen);
    if (text === undefined) continue;
    out += (count++ > 0 ? ',' : '') + jsonKey(keyString(key)) + text;
  }
  return out + moreMember(map.size - seenEntries, count) + '}';
}

function writeMembers(object: object, limits: Limits, depth: number, seen: object[]): string {
  const keys = Object.keys(object);
  let n = Math.min(keys.length, limits.collectionEntries);
  let out = '{';
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (out.length > (limits.recordSize ?? Infinity)) n = i;
    if (i >= n) break;
    const key = keys[i]!;
    let item: unknown;
    try {
      item = (object as Record<string, unknown>)[key];
    } catch {
      item = '[Getter threw]';
    }
    const text = write(item, limits, depth + 1, seen);
    if (text === undefined) continue;
    out += (count++ > 0 ? ',' : '') + jsonKey(key) + text;
  }
  return out + moreMember(keys.length - n, count) + '}';
}

/** `"[more]":"[N more]"`: entries left out of an object or map are marked, as in arrays. */
function moreMember(left: number, written: number): string {
  return left > 0 ? `${written > 0 ? ',' : ''}"[more]":"[${left} more]"` : '';
}

/** A Map key as an object key: strings as they are, anything else through String(). */
export function keyString(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'symbol') return key.toString();
  return safeString(() => String(key));
}

/** `[Function: name]`, never throwing on a hostile `name`. */
export function describeFunction(fn: Function): string {
  const name = safeString(() => fn.name);
  return name === '' ? '[Function (anonymous)]' : `[Function: ${name}]`;
}

/** The class name of an error (`TypeError`), falling back to its `name`. */
export function safeName(error: object): string {
  const ctor = safeString(() => (error.constructor as { name?: unknown } | undefined)?.name as string);
  if (ctor !== '' && ctor !== 'Object') return ctor;
  const name = safeString(() => (error as { name?: unknown }).name as string);
  return name === '' ? 'Error' : name;
}

/** Calls `get` and returns its result as a string; '' when it throws or gives nothing. */
export function safeString(get: () => unknown): string {
  try {
    const value = get();
    if (value === undefined || value === null) return '';
    return typeof value === 'string' ? value : String(value);
  } catch {
    return '';
  }
}

/** Base64 of binary data (the OTLP/JSON encoding of bytes values). */
export function toBase64(value: Uint8Array | ArrayBuffer): string {
  const bytes = value instanceof Uint8Array ? value : new Uint8Array(value);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
