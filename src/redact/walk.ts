import { types } from 'node:util';
import { GETTER_THREW, keyString, readMember, safeString } from '../values/safe.ts';
import { errorType } from '../values/error-type.ts';
import { redactText, type CompiledPatterns } from './patterns.ts';
import { advance, MATCHED, NO_STATES, type PathNode } from './paths.ts';
import { REMOVE, type WalkSettings } from './walk-settings.ts';

/**
 * The value walk of redaction: keys by the key rule, paths, and value
 * patterns on every string, at any depth up to `depth`. A value comes back
 * as the same object when nothing in it matched; a copy otherwise. The walk
 * is bounded the way the encoders are: an object or Map is searched only in
 * its first `entries` members, an array in its first `entries` items (the
 * encoders write no more than that), and the top level of a record's
 * attributes in its first `attributeCount` keys, cut there (see
 * {@link Walker.attributes}).
 */

const { isProxy } = types;

/** Depths and positions remembered in `Walker.#known` (deeper levels share the last). */
const KNOWN_DEPTH = 16;
const KNOWN_KEYS = 64;
const KNOWN_VALUE_LENGTH = 256;

export class Walker {
  readonly #s: WalkSettings;
  readonly #card: boolean;
  readonly #censored: unknown;
  /** Read once per string: kept out of `#s` to save a load on the hottest path. */
  readonly #patterns: CompiledPatterns | undefined;
  /**
   * Keys found not secret, by depth and position: records of one call site have the same keys in
   * the same order, so a comparison with the key seen there last replaces the key rule's cache
   * lookup (measured: about a fifth of the walk of a flat record). Only ever holds non-secret keys.
   */
  readonly #known: string[][] = Array.from({ length: KNOWN_DEPTH }, () => []);
  /** Short strings found clean, by depth and position, the same way (`sku: 'SKU-1234'`): a comparison instead of the clean cache's lookup. */
  readonly #knownValues: string[][] = Array.from({ length: KNOWN_DEPTH }, () => []);
  /** The top level's keys found not secret and short strings found clean, by position; the least possible card number. */
  readonly knownKeys: readonly string[] = this.#known[0]!;
  readonly knownValues: readonly string[] = this.#knownValues[0]!;
  readonly cardFrom: number;

  constructor(settings: WalkSettings) {
    this.#s = settings;
    this.#patterns = settings.patterns;
    this.#card = settings.patterns?.card ?? false;
    this.cardFrom = this.#card ? 1e12 : Infinity;
    this.#censored = settings.remove ? REMOVE : settings.censor;
  }

  /** Keys past the count limit in the last {@link attributes} call (a field, not a result object: no allocation per record). */
  dropped = 0;

  /**
   * A record's attributes (or a binding's), redacted. Only the first
   * `attributeCount` keys are read: past the limit, the result is a copy of
   * those, and {@link dropped} counts the rest (listing the keys is the one
   * cost that grows with the object).
   */
  attributes(object: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
    this.dropped = 0;
    if (this.#s.root === undefined && !isProxy(object) && this.#unchanged(object, 0, this.#s.attributeCount, undefined)) return object;
    const keys = Object.keys(object);
    const limit = this.#s.attributeCount;
    const states = this.#s.root === undefined ? NO_STATES : [this.#s.root];
    const cut = keys.length > limit;
    // No ancestor list yet: it is made by the first nested object (most records have none).
    const out = this.#members(object, keys, cut ? limit : keys.length, 0, states, undefined, cut);
    if (cut) this.dropped = keys.length - limit;
    return out as Readonly<Record<string, unknown>>;
  }

  /**
   * Whether the walk below would hand `object` (a record's attributes, or a nested plain object)
   * back as it is: nothing to redact, no key past `limit`. It copies nothing and lists no keys:
   * `for…in` walks an object's keys without the array `Object.keys` makes (measured: ~25 ns of a
   * flat record's ~60). It also lists inherited enumerable keys, which can only make the answer
   * false; a false answer sends the record to the walk below, from the start, by own keys. Proxies
   * (for…in asks one for every key's descriptor, past the count limit too), class instances,
   * `toJSON`, Maps, Sets and Errors are left to the walk below.
   */
  #unchanged(object: object, depth: number, limit: number, seen: object[] | undefined): boolean {
    const level = depth < KNOWN_DEPTH ? depth : KNOWN_DEPTH - 1;
    const known = this.#known[level]!;
    const values = this.#knownValues[level]!;
    let i = 0;
    for (const key in object) {
      if (i >= limit) return false;
      let item: unknown;
      try {
        item = (object as Record<string, unknown>)[key];
      } catch {
        return false;
      }
      if (!this.#clean(known, values, i, key, item, depth, seen)) return false;
      i++;
    }
    return true;
  }

  /** {@link #unchanged}'s answer for one top-level member (no paths): redaction fused into the JSON encoder (redactor.ts) asks it. */
  member(i: number, key: string, item: unknown): boolean {
    return this.#clean(this.#known[0]!, this.#knownValues[0]!, i, key, item, 0, undefined);
  }

  /** One member of {@link #unchanged} (its key and its value), with the caches of its depth. */
  #clean(known: string[], values: string[], i: number, key: string, item: unknown, depth: number, seen: object[] | undefined): boolean {
    if (key !== known[i] && this.#isSecret(key, known, i)) return false;
    if (typeof item === 'string') {
      if (item !== values[i]) {
        if (this.#patterns !== undefined && redactText(item, this.#patterns) !== item) return false;
        if (i < KNOWN_KEYS && item.length <= KNOWN_VALUE_LENGTH) values[i] = item;
      }
      return true;
    }
    if (typeof item === 'number') return !(this.#card && item >= 1e12); // could be a card number: the walk below decides
    return this.#unchangedValue(item, depth, seen);
  }

  /** {@link #unchanged} for one member's value: what `#member(…) === item` says, with no copy made. */
  #unchangedValue(item: unknown, depth: number, seen: object[] | undefined): boolean {
    if (typeof item !== 'object' || item === null) return this.#member('', item, depth, NO_STATES, seen) === item;
    const inner = depth + 1;
    if (inner >= this.#s.depth || seen?.includes(item) === true) return true;
    try {
      const proto: unknown = Object.getPrototypeOf(item);
      const array = proto === Array.prototype;
      if (isProxy(item) || !(array || proto === Object.prototype || proto === null) ||
        (!array && typeof (item as { toJSON?: unknown }).toJSON === 'function')) {
        return this.#value(item, inner, NO_STATES, seen) === item;
      }
      const stack = seen ?? [];
      stack.push(item);
      try {
        return array ? this.#unchangedItems(item as unknown[], inner, stack) : this.#unchanged(item, inner, this.#s.entries, stack);
      } finally {
        stack.pop();
      }
    } catch {
      return false; // the walk below decides what a throwing getter or trap becomes
    }
  }

  #unchangedItems(items: readonly unknown[], depth: number, seen: object[]): boolean {
    const n = Math.min(items.length, this.#s.entries);
    for (let i = 0; i < n; i++) if (!this.#unchangedValue(items[i], depth, seen)) return false;
    return true;
  }

  /** Masks pattern matches in one string. */
  text(text: string): string {
    return this.#patterns === undefined ? text : redactText(text, this.#patterns);
  }

  #value(value: unknown, depth: number, states: readonly PathNode[], seen: object[] | undefined): unknown {
    switch (typeof value) {
      case 'string':
        return this.text(value);
      case 'number':
        return this.#card && value >= 1e12 && Number.isSafeInteger(value) &&
          this.text(String(value)) !== String(value) ? this.#s.censor : value;
      case 'object':
        if (value === null || depth >= this.#s.depth || seen?.includes(value) === true) return value;
        return this.#nested(value, depth, states, seen);
      default:
        return value;
    }
  }

  #nested(value: object, depth: number, states: readonly PathNode[], seen: object[] | undefined): unknown {
    // Plain objects and arrays first: one prototype read instead of the instanceof chain below.
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null || proto === Array.prototype) {
      if (proto !== Array.prototype && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return this.#nestedSlow(value, depth, states, seen);
      }
      const stack = seen ?? [];
      stack.push(value);
      try {
        return proto === Array.prototype ? this.#array(value as unknown[], depth, states, stack)
          : this.#object(value, depth, states, stack);
      } finally {
        stack.pop();
      }
    }
    return this.#nestedSlow(value, depth, states, seen);
  }

  #nestedSlow(value: object, depth: number, states: readonly PathNode[], seen: object[] | undefined): unknown {
    if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer ||
      value instanceof WeakMap || value instanceof WeakSet || value instanceof Promise) return value;
    if (value instanceof Error) return this.#error(value);
    const stack = seen ?? [];
    stack.push(value);
    try {
      if (Array.isArray(value)) return this.#array(value, depth, states, stack);
      if (value instanceof Set) {
        const items = [...value];
        const out = this.#array(items, depth, states, stack);
        return out === items ? value : out;
      }
      if (value instanceof Map) return this.#map(value, depth, states, stack);
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        // The encoders would serialise what toJSON returns: search that instead.
        const replaced: unknown = toJSON.call(value);
        const out = this.#value(replaced, depth, states, stack);
        return out === replaced ? value : out;
      }
      return this.#object(value, depth, states, stack);
    } finally {
      stack.pop();
    }
  }

  /** An Error inside attributes: the encoders write its type, message and stack. */
  #error(error: Error): unknown {
    if (this.#s.patterns === undefined) return error;
    const message = safeString(() => error.message);
    const stack = safeString(() => error.stack);
    const m = this.text(message);
    const s = this.text(stack);
    if (m === message && s === stack) return error;
    return s === '' ? { type: errorType(error), message: m } : { type: errorType(error), message: m, stacktrace: s };
  }

  #object(object: object, depth: number, states: readonly PathNode[], seen: object[] | undefined): unknown {
    const keys = Object.keys(object);
    return this.#members(object, keys, Math.min(keys.length, this.#s.entries), depth, states, seen, false);
  }

  /** The first `n` of `keys`; `cut` returns a copy of just those even when nothing matched. */
  #members(object: object, keys: readonly string[], n: number, depth: number, states: readonly PathNode[],
    seen: object[] | undefined, cut: boolean): unknown {
    let copy: Record<string, unknown> | undefined = cut ? Object.create(null) as Record<string, unknown> : undefined;
    const known = this.#known[depth < KNOWN_DEPTH ? depth : KNOWN_DEPTH - 1]!;
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      let item: unknown;
      try {
        item = (object as Record<string, unknown>)[key];
      } catch {
        if (copy !== undefined) copy[key] = GETTER_THREW;
        continue;
      }
      const out = key !== known[i] && this.#isSecret(key, known, i) ? this.#censored : this.#member(key, item, depth, states, seen);
      if (out === item) {
        if (copy !== undefined) copy[key] = item;
        continue;
      }
      if (copy === undefined) {
        copy = Object.create(null) as Record<string, unknown>;
        for (let j = 0; j < i; j++) copy[keys[j]!] = readMember(object, keys[j]!);
      }
      if (out !== REMOVE) copy[key] = out;
    }
    // A copy of a big object keeps the members past `n` unsearched only when the encoders drop them anyway.
    if (copy !== undefined && !cut) for (let i = n; i < keys.length; i++) copy[keys[i]!] = readMember(object, keys[i]!);
    return copy ?? object;
  }

  #array(items: readonly unknown[], depth: number, states: readonly PathNode[], seen: object[] | undefined): unknown {
    let copy: unknown[] | undefined;
    const n = Math.min(items.length, this.#s.entries);
    for (let i = 0; i < n; i++) {
      const item = items[i];
      const out = this.#member(i, item, depth, states, seen);
      if (out === item) {
        copy?.push(item);
        continue;
      }
      copy ??= items.slice(0, i);
      copy.push(out === REMOVE ? this.#s.censor : out);
    }
    if (copy !== undefined && n < items.length) copy.push(...items.slice(n));
    return copy ?? items;
  }

  #map(map: Map<unknown, unknown>, depth: number, states: readonly PathNode[], seen: object[] | undefined): unknown {
    let changed = false;
    let i = 0;
    const entries: Array<[unknown, unknown]> = [];
    for (const [key, item] of map) {
      const name = i++ < this.#s.entries ? keyString(key) : undefined;
      const out = name === undefined ? item
        : this.#s.keys?.isSecret(name) === true ? this.#censored : this.#member(name, item, depth, states, seen);
      if (out !== item) changed = true;
      if (out !== REMOVE) entries.push([key, out]);
    }
    return changed ? new Map(entries) : map;
  }

  /**
   * Whether `key`, at position `i` of its object, names a secret by the key rule; callers first
   * compare it with `known[i]` (see {@link Walker.#known}), which is never a secret.
   */
  #isSecret(key: string, known: string[], i: number): boolean {
    const rules = this.#s.keys;
    if (rules === undefined) return false;
    if (rules.isSecret(key)) return true;
    if (i < KNOWN_KEYS) known[i] = key;
    return false;
  }

  /** One member of an object, array (numeric key) or map, its key already checked by the key rule: matched by path, else searched. */
  #member(key: string | number, item: unknown, depth: number, states: readonly PathNode[], seen: object[] | undefined): unknown {
    let next = NO_STATES;
    if (states.length > 0) {
      const reached = advance(states, String(key));
      if (reached === MATCHED) return this.#censored;
      next = reached;
    }
    // The common cases inline (this runs for every attribute of every record).
    if (typeof item === 'string') return this.#patterns === undefined ? item : redactText(item, this.#patterns);
    if (typeof item === 'number') {
      return this.#card && item >= 1e12 && Number.isSafeInteger(item) && this.text(String(item)) !== String(item)
        ? this.#s.censor : item;
    }
    if (typeof item !== 'object' || item === null) return item;
    try {
      return this.#value(item, depth + 1, next, seen);
    } catch {
      return item; // a revoked proxy or throwing trap: the encoders write a placeholder for it
    }
  }
}
