import type { Attributes, LogRecord } from './record.ts';
import { keysOf, readMember } from '../values/safe.ts';

/**
 * Merges attribute objects into one, later sources winning. Never throws: a
 * throwing getter gives the value `"[Getter threw]"`, an object whose keys
 * cannot be listed is skipped. `__proto__` stays an ordinary key.
 */
export function mergeAttributes(...sources: ReadonlyArray<Attributes | undefined>): Record<string, unknown> {
  const merged: Record<string, unknown> = Object.create(null);
  for (const source of sources) assignSafely(merged, source);
  return merged;
}

/**
 * All attributes of a record, by precedence: the call's attributes win over
 * request attributes, which win over exception details, which win over
 * child bindings.
 */
export function recordAttributes(record: LogRecord): Record<string, unknown> {
  return mergeAttributes(record.bindings?.attributes, record.exception?.attributes,
    record.contextAttributes, record.attributes);
}

function assignSafely(target: Record<string, unknown>, source: Attributes | undefined): void {
  if (source === undefined || source === null) return;
  for (const key of keysOf(source) ?? []) target[key] = readMember(source, key);
}

/** The attribute under which encoders write {@link LogRecord.truncated}: reserved, like record-field keys. */
export const TRUNCATED_KEY = 'logbridge.truncated';

/**
 * The name an attribute is written under, given the keys an encoder writes
 * for record fields: a reserved key, or a reserved key behind any number of
 * `attr.` prefixes, gets one more `attr.` (`level` → `attr.level`,
 * `attr.level` → `attr.attr.level`); any other key stays. The renaming is
 * one-to-one and never yields a reserved key, so no line or OTLP record can
 * carry the same key twice, and no attribute can pass for a record field.
 */
export function attributeName(key: string, reserved: ReadonlySet<string>): string {
  let base = key;
  while (base.startsWith('attr.')) base = base.slice(5);
  return reserved.has(base) ? 'attr.' + key : key;
}
