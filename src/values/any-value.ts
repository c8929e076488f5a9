import { types } from 'node:util';
import type { Limits } from './limits.ts';
import { describeFunction, keyString, safeName, safeString, truncate } from './json.ts';

/**
 * Converts arbitrary user values to OpenTelemetry AnyValue (the JS form the
 * SDK and OTLP encoders accept: scalars, Uint8Array, arrays, maps), with the
 * same rules as the JSON encoder (`json.ts`), so stdout and OTLP agree:
 * bytes stay bytes (JSON shows them as base64, as OTLP/JSON does), BigInt
 * and non-finite numbers become strings, cycles `"[Circular]"`, and so on.
 * Always returns fresh data: a value mutated after the call does not change
 * a queued record. Never throws.
 */
export type AnyValue = string | number | boolean | Uint8Array | null | AnyValue[] | { [key: string]: AnyValue };

/** The AnyValue for `value`, or `undefined` for values left out (`undefined`). */
export function toAnyValue(value: unknown, limits: Limits): AnyValue | undefined {
  try {
    return convert(value, limits, 0, []);
  } catch {
    return '[Unserializable]';
  }
}

function convert(value: unknown, limits: Limits, depth: number, seen: object[]): AnyValue | undefined {
  switch (typeof value) {
    case 'string':
      return value.length > limits.valueLength ? truncate(value, limits.valueLength) : value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return String(value);
    case 'undefined':
      return undefined;
    case 'symbol':
      return value.toString();
    case 'function':
      return describeFunction(value);
    default:
      return value === null ? null : convertObject(value as object, limits, depth, seen);
  }
}

function convertObject(value: object, limits: Limits, depth: number, seen: object[]): AnyValue {
  if (seen.includes(value)) return '[Circular]';
  if (depth >= limits.depth) return Array.isArray(value) ? '[Array]' : '[Object]';
  seen.push(value);
  try {
    const special = convertSpecial(value, limits);
    if (special !== undefined) return special;
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      let replaced: unknown;
      try {
        replaced = toJSON.call(value);
      } catch {
        return '[toJSON threw]';
      }
      return convert(replaced, limits, depth + 1, seen) ?? null;
    }
    if (Array.isArray(value)) return convertArray(value, limits, depth, seen);
    if (value instanceof Set) return convertArray([...value], limits, depth, seen);
    if (value instanceof Map) {
      const map: { [key: string]: AnyValue } = Object.create(null);
      let count = 0;
      for (const [key, item] of value) {
        if (count++ === limits.collectionEntries) break;
        const converted = convert(item, limits, depth + 1, seen);
        if (converted !== undefined) map[keyString(key)] = converted;
      }
      if (value.size > limits.collectionEntries) map['[more]'] = `[${value.size - limits.collectionEntries} more]`;
      return map;
    }
    return convertMembers(value, limits, depth, seen);
  } catch {
    return '[Unserializable]';
  } finally {
    seen.pop();
  }
}

function convertSpecial(value: object, limits: Limits): AnyValue | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (types.isNativeError(value) || value instanceof Error) {
    const error = value as Error;
    const map: { [key: string]: AnyValue } = Object.create(null);
    map.type = safeName(error);
    map.message = truncate(safeString(() => error.message), limits.valueLength);
    const stack = safeString(() => error.stack);
    if (stack !== '') map.stacktrace = truncate(stack, limits.valueLength);
    return map;
  }
  if (value instanceof Uint8Array) return new Uint8Array(value); // a copy: the caller may reuse its buffer
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (ArrayBuffer.isView(value)) {
    return convertArray(Array.from(value as unknown as ArrayLike<number>), limits, 0, []);
  }
  if (value instanceof WeakMap || value instanceof WeakSet || value instanceof Promise) {
    return `[${value.constructor.name}]`;
  }
  return undefined;
}

function convertArray(items: readonly unknown[], limits: Limits, depth: number, seen: object[]): AnyValue[] {
  const n = Math.min(items.length, limits.collectionEntries);
  const out: AnyValue[] = [];
  for (let i = 0; i < n; i++) {
    let item: unknown;
    try {
      item = items[i];
    } catch {
      item = '[Getter threw]';
    }
    out.push(convert(item, limits, depth + 1, seen) ?? null);
  }
  if (items.length > n) out.push(`[${items.length - n} more]`);
  return out;
}

function convertMembers(object: object, limits: Limits, depth: number, seen: object[]): AnyValue {
  const map: { [key: string]: AnyValue } = Object.create(null);
  const keys = Object.keys(object);
  const n = Math.min(keys.length, limits.collectionEntries);
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    let item: unknown;
    try {
      item = (object as Record<string, unknown>)[key];
    } catch {
      item = '[Getter threw]';
    }
    const converted = convert(item, limits, depth + 1, seen);
    if (converted !== undefined) map[key] = converted;
  }
  if (keys.length > n) map['[more]'] = `[${keys.length - n} more]`; // as json.ts: left-out entries are marked
  return map;
}
