import type { Attributes } from '../core/record.ts';
import type { RedactionCheck } from '../redact/redactor.ts';
import { DEFAULT_LIMITS, type Limits } from '../values/limits.ts';
import { jsonKey, jsonString, jsonValue } from '../values/json.ts';
import { GETTER_THREW } from '../values/safe.ts';
import { attributeName, TRUNCATED_KEY } from '../core/attributes.ts';
import { toFlatString } from '../values/flat-string.ts';

/**
 * The JSON line's attribute members (`,"key":value` each): the keys and
 * their renaming, the members a call site repeats, and the shape checks of
 * the call's keys. Internal to the JSON encoder.
 */

/** Keys the encoder writes for record fields; attributes may not use them. */
export const RECORD_KEYS: ReadonlySet<string> = new Set([
  'timestamp', 'level', 'severity_number', 'scope', 'message', 'event_name',
  'trace_id', 'span_id', 'trace_flags', 'request.id', 'exception.type',
  'exception.message', 'exception.stacktrace', 'dropped_attributes_count', 'resource', TRUNCATED_KEY,
]);

// The hot path's two caches and its member read stay written out: routed through
// cachedByKey and readMember, a 3-attribute record took ~15% more instructions
// (callgrind on benchmarks/encode-micro.ts, json attrs3).
const attrKeyCache = new Map<string, string>();

/** `"key":` for an attribute, with record-field keys renamed (see `attributeName`). */
export function attributeKey(key: string): string {
  let cached = attrKeyCache.get(key);
  if (cached === undefined) {
    cached = jsonKey(attributeName(key, RECORD_KEYS));
    if (attrKeyCache.size < 4096 && key.length < 200) attrKeyCache.set(key, cached);
  }
  return cached;
}

const memberCache = new Map<string, string>();

/** `,"key":` — {@link attributeKey} with the separator, cached: one concatenation less per attribute. */
export function memberPrefix(key: string): string {
  let cached = memberCache.get(key);
  if (cached === undefined) {
    cached = toFlatString(',' + attributeKey(key));
    if (memberCache.size < 4096 && key.length < 200) memberCache.set(key, cached);
  }
  return cached;
}

/**
 * `out` followed by JSON members (`,"k":v` each) for attributes; `undefined`
 * values are skipped. `prefixes`, when given, holds each key's `,"key":`
 * (from {@link callPrefixes}). Appending to the line itself, not to a string
 * of its own, saves a concatenation per record.
 */
export function attributeMembers(attributes: Attributes, keys: readonly string[], limits: Limits,
  prefixes?: readonly string[], out?: string): string;
/** With `check`: `undefined` as soon as a member does not pass it (redaction fused into the encoder). */
export function attributeMembers(attributes: Attributes, keys: readonly string[], limits: Limits,
  prefixes: readonly string[] | undefined, out: string, check: RedactionCheck | undefined): string | undefined;
export function attributeMembers(attributes: Attributes, keys: readonly string[], limits: Limits,
  prefixes?: readonly string[], out = '', check?: RedactionCheck): string | undefined {
  const remember = prefixes !== undefined;
  if (remember && limits !== rememberedLimits) {
    // members are cut to the limits they were made with: another encoder's start afresh
    rememberedLimits = limits;
    rememberedValues.length = 0;
  }
  const knownKeys = check?.keys;
  const knownValues = check?.values;
  const cardFrom = check?.cardFrom ?? Infinity;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const prefix = prefixes === undefined ? memberPrefix(key) : prefixes[i]!;
    // Read here, not through readMember: a shared helper's keyed load turns
    // megamorphic across callers; this one sees only attribute objects.
    let value: unknown;
    try {
      value = attributes[key];
    } catch {
      value = GETTER_THREW;
    }
    // The value checked is the value written: a getter cannot show the check one and the line another.
    if (check !== undefined && !(key === knownKeys![i] && (typeof value === 'string' ? value === knownValues![i]
      : typeof value === 'number' ? !(value >= cardFrom) : typeof value === 'boolean')) && !check.member(i, key, value)) {
      return undefined;
    }
    // Inline the common cases; everything else takes the safe path.
    if (typeof value === 'string') {
      if (remember && i < REMEMBERED && value === rememberedValues[i] && prefix === rememberedPrefixes[i]) {
        out += rememberedMembers[i]!;
        continue;
      }
      const member = prefix + jsonString(value, limits.valueLength);
      if (remember && i < REMEMBERED && value.length <= 256) {
        rememberedValues[i] = value;
        rememberedPrefixes[i] = prefix;
        rememberedMembers[i] = toFlatString(member);
      }
      out += member;
    } else if (typeof value === 'number' && Number.isFinite(value)) out += prefix + value;
    else if (typeof value === 'boolean') out += prefix + (value ? 'true' : 'false');
    else {
      const text = jsonValue(value, limits);
      if (text !== undefined) out += prefix + text;
    }
  }
  return out;
}

// The call attributes' short string members of the last records, by position, as one flat
// `,"key":"value"` each: a call site repeats most of its values (`sku: 'SKU-1234'`), and a
// compare costs less than the escape check, two concatenations and the write's flattening.
// Kept for one set of limits: the encoder that wrote last (the stdout one, mostly).
const REMEMBERED = 32;
const rememberedValues: string[] = [];
const rememberedPrefixes: string[] = [];
const rememberedMembers: string[] = [];
let rememberedLimits: Limits = DEFAULT_LIMITS;

// The last call's attribute keys, their `,"key":` members, and the bound (and
// request) key set last found not to clash with them. Call sites repeat one
// shape of attributes, so a record with the same keys as the one before
// skips a map lookup and a set lookup per key.
let lastKeys: readonly string[] = [];
let lastPrefixes: readonly string[] = [];
let lastClean: ReadonlySet<string> | undefined;

/** Each key's `,"key":`, reused when `keys` are the last call's keys. */
export function callPrefixes(keys: readonly string[]): readonly string[] {
  if (keys.length === lastKeys.length) {
    let i = 0;
    while (i < keys.length && keys[i] === lastKeys[i]) i++;
    if (i === keys.length) return lastPrefixes;
  }
  const prefixes: string[] = [];
  for (let i = 0; i < keys.length; i++) prefixes.push(memberPrefix(keys[i]!));
  lastKeys = keys;
  lastPrefixes = prefixes;
  lastClean = undefined;
  return prefixes;
}

/** {@link clashes} for the keys last given to {@link callPrefixes}, remembering a set found clean. */
export function clashesWithLast(keys: readonly string[], bound: ReadonlySet<string>): boolean {
  if (bound === lastClean) return false;
  if (clashes(keys, bound)) return true;
  lastClean = bound;
  return false;
}

function clashes(keys: readonly string[], bound: ReadonlySet<string>): boolean {
  if (bound.size === 0) return false;
  for (let i = 0; i < keys.length; i++) if (bound.has(keys[i]!)) return true;
  return false;
}
