import { types } from 'node:util';

/**
 * How an error is named, in one place: `exception.type` of a logged
 * exception, the `type` of an Error inside attributes (JSON and OTLP) and
 * of a redacted one all come from {@link errorType}. It lives apart from
 * `exception.ts` because the value walker needs it and `exception.ts`
 * itself renders values with the walker.
 */

/** Whether `value` is an Error (of this realm or another, e.g. from `vm` or a worker). */
export function isError(value: unknown): value is Error {
  try {
    return value instanceof Error || types.isNativeError(value);
  } catch {
    return false; // a revoked proxy throws from instanceof
  }
}

/**
 * The error's type as logged in `exception.type`: its class name, or its
 * `name` where the class says little (`Error` with a custom name such as
 * `ValidationError`, `DOMException`'s `AbortError`). Never throws.
 */
export function errorType(error: object): string {
  const ctor = className(error);
  const plain = ctor === '' || ctor === 'Object';
  // A subclass (`TypeError`, `HttpError`) is named by its class; its `name` is not even read.
  if (!plain && ctor !== 'Error' && ctor !== 'DOMException') return ctor;
  const name = textOf(error, 'name');
  if (plain) return name !== '' ? name : 'Error';
  return name !== '' ? name : ctor;
}

/** The constructor's name, '' when there is none or it cannot be read. */
export function className(value: object): string {
  try {
    const ctor = (value as { constructor?: unknown }).constructor;
    return ctor === undefined || ctor === null ? '' : textOf(ctor, 'name');
  } catch {
    return ''; // a getter or proxy trap that throws
  }
}

/** `String(object[key])`, '' when it is nullish or reading it throws (no closure: errors are named on hot paths). */
function textOf(object: object, key: string): string {
  try {
    const value = (object as Record<string, unknown>)[key];
    return value === undefined || value === null ? '' : typeof value === 'string' ? value : String(value);
  } catch {
    return '';
  }
}
