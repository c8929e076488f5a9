import type { Limits } from './limits.ts';
import { walk, type ValueVisitor } from './walk.ts';

/**
 * Converts arbitrary user values to OpenTelemetry AnyValue (the JS form the
 * SDK and OTLP encoders accept: scalars, Uint8Array, arrays, maps): the
 * AnyValue visitor of the one value walk (`walk.ts`), so stdout (`json.ts`)
 * and OTLP agree on every value. Bytes stay bytes (JSON shows them as
 * base64, as OTLP/JSON does), BigInt and non-finite numbers become strings,
 * cycles `"[Circular]"`, and so on. Always returns fresh data: a value
 * mutated after the call does not change a queued record. Never throws.
 */
export type AnyValue = string | number | boolean | Uint8Array | null | AnyValue[] | { [key: string]: AnyValue };

type AnyMap = { [key: string]: AnyValue };

/** The AnyValue visitor: fresh arrays and prototype-less objects. */
class AnyValueVisitor implements ValueVisitor<AnyValue, AnyValue[], AnyMap> {
  string(s: string): AnyValue {
    return s;
  }
  plain(s: string): AnyValue {
    return s;
  }
  number(n: number): AnyValue {
    return n;
  }
  boolean(b: boolean): AnyValue {
    return b;
  }
  null(): AnyValue {
    return null;
  }
  error(type: string, message: string, stack: string | undefined): AnyValue {
    const map = Object.create(null) as AnyMap;
    map.type = type;
    map.message = message;
    if (stack !== undefined) map.stacktrace = stack;
    return map;
  }
  bytes(b: Uint8Array | ArrayBuffer): AnyValue {
    // A copy: the caller may reuse its buffer.
    return b instanceof Uint8Array ? new Uint8Array(b) : new Uint8Array(b.slice(0));
  }
  startArray(): AnyValue[] {
    return [];
  }
  item(array: AnyValue[], value: AnyValue): AnyValue[] {
    array.push(value);
    return array;
  }
  endArray(array: AnyValue[]): AnyValue {
    return array;
  }
  startObject(): AnyMap {
    return Object.create(null) as AnyMap;
  }
  member(object: AnyMap, key: string, value: AnyValue): AnyMap {
    object[key] = value;
    return object;
  }
  endObject(object: AnyMap): AnyValue {
    return object;
  }
  full(): boolean {
    return false; // AnyValues have no text size while built; the record size limit applies when records are encoded
  }
}

const ANY_VALUE_VISITOR = new AnyValueVisitor();

/** The AnyValue for `value`, or `undefined` for values left out (`undefined`). */
export function toAnyValue(value: unknown, limits: Limits): AnyValue | undefined {
  return walk(ANY_VALUE_VISITOR, value, limits);
}
