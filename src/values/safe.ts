/**
 * Reads that never throw, for values from user code: a getter, a `toString`
 * or a proxy trap may throw, and a log call must not.
 */

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

/** What a member whose getter (or proxy trap) throws is shown as, in every output. */
export const GETTER_THREW = '[Getter threw]';

/** `object[key]`, or {@link GETTER_THREW} when reading it throws. */
export function readMember(object: object, key: string | number): unknown {
  try {
    return (object as Record<string | number, unknown>)[key];
  } catch {
    return GETTER_THREW;
  }
}

/** `Object.keys(object)`, or `undefined` when they cannot be listed (a proxy whose `ownKeys` trap throws). */
export function keysOf(object: object): string[] | undefined {
  try {
    return Object.keys(object);
  } catch {
    return undefined;
  }
}
