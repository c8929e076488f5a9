import type { Encoder } from '../core/sink.ts';
import type { Attributes, Bindings, LogRecord } from '../core/record.ts';
import { DEFAULT_LIMITS, type Limits } from '../values/limits.ts';
import { formatTimestampAfter } from '../core/clock.ts';
import { jsonKey, jsonString, jsonValue } from '../values/json.ts';
import { GETTER_THREW, keysOf } from '../values/safe.ts';
import { attributeName, recordAttributes, TRUNCATED_KEY } from '../core/attributes.ts';
import { limitRecordSize } from './size-limit.ts';
import { toFlatString } from '../values/flat-string.ts';
import { bodyJson, correlationMembers, levelAndScope } from './json-fields.ts';

/**
 * The default line format: one JSON object per record. Record fields come
 * first under fixed keys (see docs/sinks-and-formats.md); attributes follow at the top
 * level under their own keys. An attribute whose key is a record field's is
 * written as `attr.<key>`, so a user value can never forge or hide a field;
 * a key that is `attr.` + such a key gets one more `attr.` (`attr.level` →
 * `attr.attr.level`), so no line has the same key twice.
 * Precedence when keys repeat: call attributes, then request attributes,
 * then child bindings. Every line is valid JSON, whatever the input.
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
function memberPrefix(key: string): string {
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
  prefixes?: readonly string[], out = ''): string {
  const remember = prefixes !== undefined;
  if (remember && limits !== rememberedLimits) {
    // members are cut to the limits they were made with: another encoder's start afresh
    rememberedLimits = limits;
    rememberedValues.length = 0;
  }
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

/** Options for {@link createJsonEncoder}. */
export interface JsonEncoderOptions {
  /** Value limits (default: DEFAULT_LIMITS). */
  readonly limits?: Limits;
  /** Resource attributes to add to every line under `resource` (off by default: they belong to OTLP). */
  readonly resource?: Attributes;
}

/** Creates the JSON-lines encoder. The returned function never throws on any record content. */
export function createJsonEncoder(options: JsonEncoderOptions = {}): Encoder {
  const limits = options.limits ?? DEFAULT_LIMITS;
  // the resource and the line end: one piece, made once
  const tail = toFlatString((options.resource === undefined ? '' : `,"resource":${jsonValue(options.resource, limits)}`) + '}\n');
  const contextCache = new WeakMap<object, ContextMembers>();
  const encodeJson = (record: LogRecord): string => {
    let out = formatTimestampAfter('{"timestamp":"', record.time) +
      levelAndScope(record.severityNumber, record.severityText, record.scope) +
      bodyJson(record.body, limits.valueLength);
    if (record.eventName !== undefined) out += ',"event_name":' + jsonString(record.eventName, limits.valueLength);
    const trace = record.trace;
    const requestId = record.requestId;
    if (trace !== undefined || requestId !== undefined) out += correlationMembers(trace, requestId);
    const exception = record.exception;
    if (exception !== undefined) {
      out += ',"exception.type":' + jsonString(exception.type, limits.valueLength) +
        ',"exception.message":' + jsonString(exception.message, limits.valueLength);
      if (exception.stacktrace !== undefined) out += ',"exception.stacktrace":' + jsonString(exception.stacktrace);
    }
    out = encodeAttributes(out, record, limits, contextCache);
    if (record.truncated !== undefined) out += ',"logbridge.truncated":' + jsonString(record.truncated);
    return out + tail;
  };
  // Too big (limits.recordSize): encoded again from a cut-down copy, marked `logbridge.truncated`.
  return limitRecordSize(encodeJson, limits);
}

/** A request's attributes as JSON members, and their keys. */
interface ContextMembers {
  readonly json: string;
  readonly keys: ReadonlySet<string>;
}

/**
 * The request attributes' members. A request's attributes repeat on every
 * record it makes, so a frozen attributes object (what setRequestAttributes
 * and nested contexts make) is serialized once per encoder; others may
 * still change and are serialized each time. Undefined when the keys
 * cannot be listed (the safe merge then takes over).
 */
function contextMembers(context: Attributes, limits: Limits, cache: WeakMap<object, ContextMembers>): ContextMembers | undefined {
  const cached = cache.get(context);
  if (cached !== undefined) return cached;
  try {
    const keys = Object.keys(context);
    const json = attributeMembers(context, keys, limits);
    if (!Object.isFrozen(context)) return { json, keys: new Set(keys) };
    const members: ContextMembers = { json: toFlatString(json), keys: new Set(keys) };
    cache.set(context, members);
    return members;
  } catch {
    return undefined;
  }
}

/** A child's bound members joined with one request's, and the keys of both. */
interface PrefixMembers extends ContextMembers {
  readonly bindings: Bindings;
}

/** Per request's members: the joined members for the last child logger that logged with them. */
const prefixCache = new WeakMap<ContextMembers, PrefixMembers>();

/**
 * A child's bound members followed by the request's. Records of one request
 * made through one child repeat the pair, so it is joined and clash-checked
 * once per (cached) request members and child, not per record. Undefined
 * when a bound key clashes with a request key or the request attributes
 * cannot be read (the merge then decides).
 */
function boundAndRequestMembers(bindings: Bindings | undefined, context: Attributes, limits: Limits,
  cache: WeakMap<object, ContextMembers>): ContextMembers | undefined {
  if (context === lastContext && bindings === lastBindings && cache === lastCache) return lastPrefix;
  const prefix = joinedMembers(bindings, context, limits, cache);
  // Only a cached (frozen) request's answer can be reused by identity: another object may change.
  if (prefix !== undefined && cache.has(context)) {
    lastContext = context;
    lastBindings = bindings;
    lastCache = cache;
    lastPrefix = prefix;
  }
  return prefix;
}

// The last answer of boundAndRequestMembers, for the next record of the same request
// through the same child: three compares instead of two WeakMap lookups.
let lastContext: Attributes | undefined;
let lastBindings: Bindings | undefined;
let lastCache: WeakMap<object, ContextMembers> | undefined;
let lastPrefix: ContextMembers | undefined;

function joinedMembers(bindings: Bindings | undefined, context: Attributes, limits: Limits,
  cache: WeakMap<object, ContextMembers>): ContextMembers | undefined {
  const request = contextMembers(context, limits, cache);
  if (request === undefined || bindings === undefined) return request;
  const last = prefixCache.get(request);
  if (last !== undefined && last.bindings === bindings) return last;
  for (const key of request.keys) if (bindings.keys.has(key)) return undefined;
  const joined: PrefixMembers = {
    json: toFlatString(boundMembers(bindings, limits, cache) + request.json),
    keys: new Set([...bindings.keys, ...request.keys]),
    bindings,
  };
  prefixCache.set(request, joined);
  return joined;
}

/**
 * A child's bound attributes as JSON members, made once per encoder (with
 * this encoder's limits) and kept while the child lives: bindings are frozen.
 */
function boundMembers(bindings: Bindings, limits: Limits, cache: WeakMap<object, ContextMembers>): string {
  let cached = cache.get(bindings);
  if (cached === undefined) {
    const keys = [...bindings.keys];
    cached = { json: toFlatString(attributeMembers(bindings.attributes, keys, limits)), keys: bindings.keys };
    cache.set(bindings, cached);
  }
  return cached.json;
}

/** `out` followed by the record's attribute members. */
function encodeAttributes(out: string, record: LogRecord, limits: Limits, contextCache: WeakMap<object, ContextMembers>): string {
  const call = record.attributes;
  const bindings = record.bindings;
  const context = record.contextAttributes;
  const extra = record.exception?.attributes;
  if (record.droppedAttributes !== undefined) return out + mergedAttributes(record, limits);
  if (context !== undefined && extra === undefined && typeof context === 'object' && context !== null) {
    // Request attributes without any clash: bindings, request and call members in merge order, no merge.
    const prefix = boundAndRequestMembers(bindings, context, limits, contextCache);
    if (prefix !== undefined) {
      const keys = call === undefined ? [] : keysOf(call);
      if (keys === undefined) return out + mergedAttributes(record, limits);
      if (keys.length === 0) return out + prefix.json;
      const prefixes = callPrefixes(keys);
      if (keys.length + prefix.keys.size <= limits.attributeCount && !clashesWithLast(keys, prefix.keys)) {
        return attributeMembers(call!, keys, limits, prefixes, out + prefix.json);
      }
    }
  }
  if (context === undefined && extra === undefined) {
    if (call === undefined) return bindings === undefined ? out : out + boundMembers(bindings, limits, contextCache);
    const keys = keysOf(call);
    if (keys === undefined) return out + mergedAttributes(record, limits); // a hostile proxy: the safe merge skips what cannot be read
    const prefixes = callPrefixes(keys);
    if (bindings === undefined) {
      if (keys.length <= limits.attributeCount) return attributeMembers(call, keys, limits, prefixes, out);
    } else if (keys.length + bindings.keys.size <= limits.attributeCount && !clashesWithLast(keys, bindings.keys)) {
      return attributeMembers(call, keys, limits, prefixes, out + boundMembers(bindings, limits, contextCache));
    }
  }
  return out + mergedAttributes(record, limits);
}

// The last call's attribute keys, their `,"key":` members, and the bound (and
// request) key set last found not to clash with them. Call sites repeat one
// shape of attributes, so a record with the same keys as the one before
// skips a map lookup and a set lookup per key.
let lastKeys: readonly string[] = [];
let lastPrefixes: readonly string[] = [];
let lastClean: ReadonlySet<string> | undefined;

/** Each key's `,"key":`, reused when `keys` are the last call's keys. */
function callPrefixes(keys: readonly string[]): readonly string[] {
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
function clashesWithLast(keys: readonly string[], bound: ReadonlySet<string>): boolean {
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

/** The slow path: merge by precedence, apply the count limit, report what was dropped. */
function mergedAttributes(record: LogRecord, limits: Limits): string {
  const merged = recordAttributes(record);
  const keys = Object.keys(merged);
  const kept = keys.length > limits.attributeCount ? keys.slice(0, limits.attributeCount) : keys;
  let out = attributeMembers(merged, kept, limits);
  const dropped = keys.length - kept.length + (record.droppedAttributes ?? 0);
  if (dropped > 0) out += ',"dropped_attributes_count":' + dropped;
  return out;
}
