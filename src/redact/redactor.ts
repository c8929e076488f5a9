import type { Attributes, Bindings, ExceptionInfo, LogRecord } from '../core/record.ts';
import type { Processor } from '../core/sink.ts';
import { mergeAttributes } from '../core/attributes.ts';
import { keyString, safeName, safeString } from '../values/json.ts';
import { redactText, compilePatterns, REDACT_PATTERN_NAMES, type CompiledPatterns, type RedactPatternName } from './patterns.ts';
import { LogbridgeError } from '../core/errors.ts';
import { advance, compilePaths, MATCHED, NO_STATES, type PathNode } from './paths.ts';

/**
 * Redaction: secrets are masked (or removed) once per record, before the
 * record fans out, so stdout, pretty output and OTLP always agree. Child
 * bindings are redacted once, when the child is made. Three rules:
 *
 * - **keys**: an attribute (at any depth up to `depth`) whose key, lower-cased
 *   and stripped of everything but letters and digits, equals or ends with a
 *   listed name: `password` matches `password`, `db.password`, `userPassword`,
 *   `DB_PASSWORD`; `api_key` matches `x-api-key`. The whole value is replaced.
 * - **paths**: dotted paths, case-insensitive, `*` for any one key or array
 *   index (`user.*.ssn`, `headers.authorization`). A key that contains dots
 *   counts as several segments, so `http.request.header.authorization` matches
 *   both the flat attribute key and the nested form.
 * - **patterns**: secrets inside strings (messages, attribute strings,
 *   exception messages and stack traces): bearer tokens, JWTs, card numbers
 *   (Luhn-checked), passwords in URLs, and `key=value` / `"key": "value"`
 *   pairs whose key is a listed name. The secret part is masked in place.
 *
 * The cost when nothing matches is a cached set lookup per key and one
 * regular-expression scan per string; a record is copied only when something
 * matched.
 */

/** What happens to a value whose key or path matches. */
export type RedactMode = 'mask' | 'remove';

/** Options of {@link createRedactor} and `configure({ redact })`. */
export interface RedactOptions {
  /** Key names to redact, added to {@link DEFAULT_REDACT_KEYS} (see `defaultKeys`). */
  readonly keys?: readonly string[];
  /** Include {@link DEFAULT_REDACT_KEYS} (default true). */
  readonly defaultKeys?: boolean;
  /** Paths to redact: `user.*.ssn`, `headers.authorization`. */
  readonly paths?: readonly string[];
  /**
   * Value patterns: `true` (default) for every built-in one, `false` for none,
   * or a list of built-in names and your own regular expressions (every match
   * is masked).
   */
  readonly patterns?: boolean | ReadonlyArray<RedactPatternName | RegExp>;
  /** `mask` (default) replaces a matched key's value by `censor`; `remove` leaves the key out. */
  readonly mode?: RedactMode;
  /** The replacement text (default `[REDACTED]`). */
  readonly censor?: string;
  /** How deep nested objects and arrays are searched for keys and paths (default 8, the encoders' depth limit). */
  readonly depth?: number;
}

/** Key names redacted by default (matching rules: see {@link RedactOptions.keys}). */
export const DEFAULT_REDACT_KEYS: readonly string[] = Object.freeze([
  'authorization', 'cookie', 'set-cookie', 'password', 'passwd', 'passphrase', 'secret', 'token',
  'api_key', 'apikey', 'access_token', 'refresh_token', 'client_secret', 'private_key', 'secret_key',
  'credentials',
]);

export { REDACT_PATTERN_NAMES, type RedactPatternName };

/** The default replacement text. */
export const REDACTED = '[REDACTED]';

const REMOVE = Symbol('remove');
const KEY_CACHE_MAX = 10_000;


/** A configured redactor: the record processor and the bindings hook. */
export interface Redactor {
  /** Redacts one record; returns it unchanged (same object) when nothing matched. Never throws. */
  readonly processor: Processor;
  /** Redacts a set of attributes (child bindings); returns the same object when nothing matched. */
  redactAttributes(attributes: Attributes): Attributes;
  /** Masks pattern matches in one string. */
  redactString(text: string): string;
  /** The options in force, for the configuration printout (no values of records). */
  readonly description: string;
}

/**
 * Creates a redactor. Throws a {@link LogbridgeError}
 * (`LOGBRIDGE_ERR_INVALID_CONFIG`) for an invalid option. `rebind` turns
 * redacted attributes back into bindings, for children made before the
 * redactor existed.
 */
export function createRedactor(options: RedactOptions = {}, rebind?: (attributes: Attributes) => Bindings): Redactor {
  return new RedactorImpl(options, rebind);
}

class RedactorImpl implements Redactor {
  readonly #names: readonly string[];
  readonly #keyCache = new Map<string, boolean>();
  readonly #root: PathNode | undefined;
  readonly #patterns: CompiledPatterns | undefined;
  readonly #card: boolean;
  readonly #remove: boolean;
  readonly #censor: string;
  readonly #depth: number;
  readonly #rebind: ((attributes: Attributes) => Bindings) | undefined;
  /** Bindings known clean, and stale bindings with their redacted replacement. */
  readonly #bindings = new WeakMap<Bindings, Bindings>();
  /** Request-context attribute objects, redacted once per request, not per record. */
  readonly #context = new WeakMap<object, Attributes>();
  readonly description: string;
  readonly processor: Processor;

  constructor(options: RedactOptions, rebind: ((attributes: Attributes) => Bindings) | undefined) {
    const mode = options.mode ?? 'mask';
    if (mode !== 'mask' && mode !== 'remove') invalid('redact.mode must be "mask" or "remove"');
    const depth = options.depth ?? 8;
    if (typeof depth !== 'number' || !(depth >= 0)) invalid('redact.depth must be a number >= 0');
    const listed = [...(options.defaultKeys === false ? [] : DEFAULT_REDACT_KEYS), ...(options.keys ?? [])];
    if (!listed.every((k) => typeof k === 'string')) invalid('redact.keys must be strings');
    this.#names = [...new Set(listed.map(normalizeKey).filter((k) => k !== ''))];
    try {
      this.#root = compilePaths(options.paths ?? []);
    } catch (error) {
      invalid(`redact.paths: ${(error as Error).message}`);
    }
    this.#censor = options.censor ?? REDACTED;
    if (typeof this.#censor !== 'string') invalid('redact.censor must be a string');
    try {
      this.#patterns = compilePatterns(options.patterns ?? true, listed, this.#censor);
    } catch (error) {
      invalid(`redact.patterns: ${(error as Error).message}`);
    }
    this.#card = this.#patterns?.card ?? false;
    this.#remove = mode === 'remove';
    this.#depth = depth;
    this.#rebind = rebind;
    this.description = `keys=${this.#names.length} paths=${(options.paths ?? []).length} ` +
      `patterns=${this.#patterns?.names.join('+') || 'off'} mode=${mode} depth=${depth}`;
    this.processor = (record) => this.#record(record);
  }

  redactAttributes(attributes: Attributes): Attributes {
    try {
      const out = this.#object(attributes, 0, this.#root === undefined ? NO_STATES : [this.#root], []);
      return out as Attributes;
    } catch {
      // Keys that cannot be listed (a hostile proxy): hand on a safe copy, so no sink trips over it.
      return mergeAttributes(attributes);
    }
  }

  redactString(text: string): string {
    return this.#patterns === undefined ? text : redactText(text, this.#patterns);
  }

  /** Messages are mostly constant templates: remember the short ones found clean. */
  readonly #cleanBodies = new Set<string>();

  #body(body: string): string {
    if (this.#patterns === undefined || this.#cleanBodies.has(body)) return body;
    const out = redactText(body, this.#patterns);
    if (out === body && body.length <= 256) {
      if (this.#cleanBodies.size >= 4096) this.#cleanBodies.clear();
      this.#cleanBodies.add(body);
    }
    return out;
  }

  #record(record: LogRecord): LogRecord {
    const body = this.#body(record.body);
    const attributes = record.attributes === undefined ? undefined : this.redactAttributes(record.attributes);
    const context = this.#contextAttributes(record.contextAttributes);
    const exception = record.exception === undefined ? undefined : this.#exception(record.exception);
    const bindings = record.bindings === undefined ? undefined : this.#bindingsOf(record.bindings);
    if (body === record.body && attributes === record.attributes && context === record.contextAttributes &&
      exception === record.exception && bindings === record.bindings) return record;
    return { ...record, body, attributes, contextAttributes: context, exception, bindings };
  }

  #contextAttributes(attributes: Attributes | undefined): Attributes | undefined {
    if (attributes === undefined || attributes === null || typeof attributes !== 'object') return attributes;
    let out = this.#context.get(attributes);
    if (out === undefined) {
      out = this.redactAttributes(attributes);
      this.#context.set(attributes, out);
    }
    return out;
  }

  #exception(exception: ExceptionInfo): ExceptionInfo {
    const message = this.redactString(exception.message);
    const stacktrace = exception.stacktrace === undefined ? undefined : this.redactString(exception.stacktrace);
    const attributes = exception.attributes === undefined ? undefined : this.redactAttributes(exception.attributes);
    if (message === exception.message && stacktrace === exception.stacktrace && attributes === exception.attributes) {
      return exception;
    }
    return { ...exception, message, stacktrace, attributes };
  }

  /** Bindings made before this redactor (or by hand) are checked once, then remembered. */
  #bindingsOf(bindings: Bindings): Bindings {
    const known = this.#bindings.get(bindings);
    if (known !== undefined) return known;
    let result = bindings;
    const redacted = this.redactAttributes(bindings.attributes);
    if (redacted !== bindings.attributes && this.#rebind !== undefined) {
      try {
        result = this.#rebind(redacted);
      } catch {
        result = { attributes: redacted, keys: new Set(Object.keys(redacted)) };
      }
    }
    this.#bindings.set(bindings, result);
    this.#bindings.set(result, result);
    return result;
  }

  /** Whether `key` is a listed name (cached: keys repeat across records). */
  #isSecretKey(key: string): boolean {
    let hit = this.#keyCache.get(key);
    if (hit === undefined) {
      const normalized = normalizeKey(key);
      hit = normalized !== '' && this.#names.some((name) => normalized.endsWith(name));
      if (this.#keyCache.size < KEY_CACHE_MAX) this.#keyCache.set(key, hit);
    }
    return hit;
  }

  /** The redacted value, or the same value when nothing in it matched. */
  #value(value: unknown, depth: number, states: readonly PathNode[], seen: object[]): unknown {
    switch (typeof value) {
      case 'string':
        return this.#patterns === undefined ? value : redactText(value, this.#patterns);
      case 'number':
        return this.#card && value >= 1e12 && Number.isSafeInteger(value) &&
          redactText(String(value), this.#patterns!) !== String(value) ? this.#censor : value;
      case 'object':
        if (value === null || depth >= this.#depth || seen.includes(value)) return value;
        return this.#nested(value, depth, states, seen);
      default:
        return value;
    }
  }

  #nested(value: object, depth: number, states: readonly PathNode[], seen: object[]): unknown {
    // Plain objects and arrays first: one prototype read instead of the instanceof chain below.
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null || proto === Array.prototype) {
      if (proto !== Array.prototype && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return this.#nestedSlow(value, depth, states, seen);
      }
      seen.push(value);
      try {
        return proto === Array.prototype ? this.#array(value as unknown[], depth, states, seen)
          : this.#object(value, depth, states, seen);
      } finally {
        seen.pop();
      }
    }
    return this.#nestedSlow(value, depth, states, seen);
  }

  #nestedSlow(value: object, depth: number, states: readonly PathNode[], seen: object[]): unknown {
    if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer ||
      value instanceof WeakMap || value instanceof WeakSet || value instanceof Promise) return value;
    if (value instanceof Error) return this.#error(value);
    seen.push(value);
    try {
      if (Array.isArray(value)) return this.#array(value, depth, states, seen);
      if (value instanceof Set) {
        const items = [...value];
        const out = this.#array(items, depth, states, seen);
        return out === items ? value : out;
      }
      if (value instanceof Map) return this.#map(value, depth, states, seen);
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        // The encoders would serialise what toJSON returns: search that instead.
        const replaced: unknown = toJSON.call(value);
        const out = this.#value(replaced, depth, states, seen);
        return out === replaced ? value : out;
      }
      return this.#object(value, depth, states, seen);
    } finally {
      seen.pop();
    }
  }

  /** An Error inside attributes: the encoders write its type, message and stack. */
  #error(error: Error): unknown {
    if (this.#patterns === undefined) return error;
    const message = safeString(() => error.message);
    const stack = safeString(() => error.stack);
    const m = this.redactString(message);
    const s = this.redactString(stack);
    if (m === message && s === stack) return error;
    return s === '' ? { type: safeName(error), message: m } : { type: safeName(error), message: m, stacktrace: s };
  }

  #object(object: object, depth: number, states: readonly PathNode[], seen: object[]): unknown {
    const keys = Object.keys(object);
    let copy: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      let item: unknown;
      try {
        item = (object as Record<string, unknown>)[key];
      } catch {
        if (copy !== undefined) copy[key] = '[Getter threw]';
        continue;
      }
      const out = this.#member(key, item, depth, states, seen);
      if (out === item) {
        if (copy !== undefined) copy[key] = item;
        continue;
      }
      if (copy === undefined) {
        copy = Object.create(null) as Record<string, unknown>;
        for (let j = 0; j < i; j++) copy[keys[j]!] = safeRead(object, keys[j]!);
      }
      if (out !== REMOVE) copy[key] = out;
    }
    return copy ?? object;
  }

  #array(items: readonly unknown[], depth: number, states: readonly PathNode[], seen: object[]): unknown {
    let copy: unknown[] | undefined;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const out = this.#member(i, item, depth, states, seen);
      if (out === item) {
        copy?.push(item);
        continue;
      }
      copy ??= items.slice(0, i);
      copy.push(out === REMOVE ? this.#censor : out);
    }
    return copy ?? items;
  }

  #map(map: Map<unknown, unknown>, depth: number, states: readonly PathNode[], seen: object[]): unknown {
    let changed = false;
    const entries: Array<[unknown, unknown]> = [];
    for (const [key, item] of map) {
      const out = this.#member(keyString(key), item, depth, states, seen);
      if (out !== item) changed = true;
      if (out !== REMOVE) entries.push([key, out]);
    }
    return changed ? new Map(entries) : map;
  }

  /** One member of an object, array (numeric key) or map: matched by key or path, else searched. */
  #member(key: string | number, item: unknown, depth: number, states: readonly PathNode[], seen: object[]): unknown {
    let next = NO_STATES;
    if (states.length > 0) {
      const reached = advance(states, String(key));
      if (reached === MATCHED) return this.#remove ? REMOVE : this.#censor;
      next = reached;
    }
    if (typeof key === 'string' && this.#isSecretKey(key)) return this.#remove ? REMOVE : this.#censor;
    // The common cases inline (this runs for every attribute of every record).
    if (typeof item === 'string') return this.#patterns === undefined ? item : redactText(item, this.#patterns);
    if (typeof item !== 'object' || item === null) return typeof item === 'number' ? this.#value(item, 0, next, seen) : item;
    try {
      return this.#value(item, depth + 1, next, seen);
    } catch {
      return item; // a revoked proxy or throwing trap: the encoders write a placeholder for it
    }
  }
}


/** Lower case, letters and digits only: `X-Api-Key` → `xapikey`. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function safeRead(object: object, key: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch {
    return '[Getter threw]';
  }
}

function invalid(message: string): never {
  throw new LogbridgeError('LOGBRIDGE_ERR_INVALID_CONFIG', message);
}
