import type { Encoder } from '../core/sink.ts';
import type { Attributes, Bindings, LogRecord } from '../core/record.ts';
import type { RedactionCheck } from '../redact/redactor.ts';
import { DEFAULT_LIMITS, type Limits } from '../values/limits.ts';
import { formatTimestampAfter } from '../core/clock.ts';
import { jsonString, jsonValue } from '../values/json.ts';
import { keysOf } from '../values/safe.ts';
import { recordAttributes } from '../core/attributes.ts';
import { limitRecordSize } from './size-limit.ts';
import { toFlatString } from '../values/flat-string.ts';
import { bodyJson, correlationMembers, levelAndScope } from './json-fields.ts';
import { attributeMembers, callPrefixes, clashesWithLast } from './json-members.ts';

export { attributeKey, RECORD_KEYS } from './json-members.ts';

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

/** Options for {@link createJsonEncoder}. */
export interface JsonEncoderOptions {
  /** Value limits (default: DEFAULT_LIMITS). */
  readonly limits?: Limits;
  /** Resource attributes to add to every line under `resource` (off by default: they belong to OTLP). */
  readonly resource?: Attributes;
}

/** Creates the JSON-lines encoder. The returned function never throws on any record content. */
export function createJsonEncoder(options: JsonEncoderOptions = {}): Encoder {
  const encoder = jsonEncoder(options, undefined);
  fusable.set(encoder, options);
  return encoder;
}

/** The options of each encoder made by createJsonEncoder, for {@link fuseRedaction}. */
const fusable = new WeakMap<Encoder, JsonEncoderOptions>();

/**
 * `encoder` (one made by createJsonEncoder) with redaction fused in: each
 * line is the one `encoder(check.processor(record))` gives, but a record
 * with nothing to redact is checked as it is written, its call attributes
 * read once for the check and the line, instead of walked by the processor
 * first. `undefined` for any other encoder.
 */
export function fuseRedaction(encoder: Encoder, check: RedactionCheck): Encoder | undefined {
  const options = fusable.get(encoder);
  return options === undefined ? undefined : jsonEncoder(options, check);
}

function jsonEncoder(options: JsonEncoderOptions, check: RedactionCheck | undefined): Encoder {
  const limits = options.limits ?? DEFAULT_LIMITS;
  // the resource and the line end: one piece, made once
  const tail = toFlatString((options.resource === undefined ? '' : `,"resource":${jsonValue(options.resource, limits)}`) + '}\n');
  const contextCache = new WeakMap<object, ContextMembers>();
  /** The line; `undefined` when `checked` is given and a call attribute does not pass it. */
  const line = (record: LogRecord, checked?: RedactionCheck): string | undefined => {
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
    const members = encodeAttributes(out, record, limits, contextCache, checked);
    if (members === undefined) return undefined;
    out = members;
    if (record.truncated !== undefined) out += ',"logbridge.truncated":' + jsonString(record.truncated);
    return out + tail;
  };
  const encodeJson: Encoder = check === undefined ? line as Encoder // never undefined unchecked; no wrapper on the hot path
    // A record that does not pass the check is redacted by the processor, and its copy written unchecked.
    : (record) => (check.rest(record) ? line(record, check) : undefined) ?? line(check.processor(record)!)!;
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

/** `out` followed by the record's attribute members; `undefined` when `check` is given and not passed (the merge is never checked). */
function encodeAttributes(out: string, record: LogRecord, limits: Limits, contextCache: WeakMap<object, ContextMembers>,
  check: RedactionCheck | undefined): string | undefined {
  const call = record.attributes;
  const bindings = record.bindings;
  const context = record.contextAttributes;
  const extra = record.exception?.attributes;
  if (record.droppedAttributes === undefined) {
    if (context !== undefined && extra === undefined && typeof context === 'object' && context !== null) {
      // Request attributes without any clash: bindings, request and call members in merge order, no merge.
      const prefix = boundAndRequestMembers(bindings, context, limits, contextCache);
      if (prefix !== undefined) {
        const keys = call === undefined ? [] : keysOf(call);
        if (keys !== undefined) {
          if (keys.length === 0) return out + prefix.json;
          const prefixes = callPrefixes(keys);
          if (keys.length + prefix.keys.size <= limits.attributeCount && !clashesWithLast(keys, prefix.keys)) {
            return attributeMembers(call!, keys, limits, prefixes, out + prefix.json, check);
          }
        }
      }
    } else if (context === undefined && extra === undefined) {
      if (call === undefined) return bindings === undefined ? out : out + boundMembers(bindings, limits, contextCache);
      const keys = keysOf(call); // undefined for a hostile proxy: the safe merge skips what cannot be read
      if (keys !== undefined) {
        const prefixes = callPrefixes(keys);
        if (bindings === undefined) {
          if (keys.length <= limits.attributeCount) return attributeMembers(call, keys, limits, prefixes, out, check);
        } else if (keys.length + bindings.keys.size <= limits.attributeCount && !clashesWithLast(keys, bindings.keys)) {
          return attributeMembers(call, keys, limits, prefixes, out + boundMembers(bindings, limits, contextCache), check);
        }
      }
    }
  }
  // The merge is left to the processor when redaction is fused (the check covers the common shapes only).
  return check === undefined ? out + mergedAttributes(record, limits) : undefined;
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
