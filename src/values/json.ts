import type { Limits } from './limits.ts';
import { cachedByKey } from './key-cache.ts';
import { truncate } from './truncate.ts';
import { walk, type ValueVisitor } from './walk.ts';

/**
 * JSON text for arbitrary user values: the JSON visitor of the one value
 * walk (`walk.ts`), which decides cycles, limits, binary data, Errors and
 * everything else, so stdout and OTLP (`any-value.ts`) agree on every
 * value. Always valid JSON (lone surrogates are escaped); never throws.
 */

/** A JSON string literal for `s`, cut to `maxLength` UTF-16 units. */
export function jsonString(s: string, maxLength = Infinity): string {
  if (s.length > maxLength) s = truncate(s, maxLength);
  // Short strings (most messages and values): a char loop beats a call (measured: a RegExp test was
  // ~3% of a record's cost). Longer ones: JSON.stringify's native scan is the fastest test there is
  // (measured, 2,000 characters: ~0.35 µs, against ~2.3 µs for a regex test of the same characters).
  if (s.length < 64 && isPlain(s)) return '"' + s + '"';
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

/** `"key":` for an object member, cached: keys repeat across records. */
export const jsonKey: (key: string) => string = cachedByKey((key) => jsonString(key) + ':');

/** Base64 of binary data (the OTLP/JSON encoding of bytes values). */
export function toBase64(value: Uint8Array | ArrayBuffer): string {
  const bytes = value instanceof Uint8Array ? value : new Uint8Array(value);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The JSON visitor: arrays and objects are built as text, cut short past the record size limit. */
class JsonVisitor implements ValueVisitor<string, string, string> {
  string(s: string): string {
    return jsonString(s);
  }
  plain(s: string): string {
    return '"' + s + '"';
  }
  number(n: number): string {
    return String(n);
  }
  boolean(b: boolean): string {
    return b ? 'true' : 'false';
  }
  null(): string {
    return 'null';
  }
  error(type: string, message: string, stack: string | undefined): string {
    const text = '{"type":' + jsonString(type) + ',"message":' + jsonString(message);
    return stack === undefined ? text + '}' : text + ',"stacktrace":' + jsonString(stack) + '}';
  }
  bytes(b: Uint8Array | ArrayBuffer): string {
    return '"' + toBase64(b) + '"';
  }
  startArray(): string {
    return '[';
  }
  item(array: string, value: string, index: number): string {
    return index > 0 ? array + ',' + value : array + value;
  }
  endArray(array: string): string {
    return array + ']';
  }
  startObject(): string {
    return '{';
  }
  member(object: string, key: string, value: string, count: number): string {
    return (count > 0 ? object + ',' : object) + jsonKey(key) + value;
  }
  endObject(object: string): string {
    return object + '}';
  }
  full(text: string, limits: Limits): boolean {
    return text.length > (limits.recordSize ?? Infinity);
  }
}

const JSON_VISITOR = new JsonVisitor();

/**
 * JSON text for any value, or `undefined` for values JSON leaves out
 * (`undefined`). Never throws.
 */
export function jsonValue(value: unknown, limits: Limits): string | undefined {
  return walk(JSON_VISITOR, value, limits);
}
