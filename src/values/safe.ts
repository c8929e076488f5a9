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
