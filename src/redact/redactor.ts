import type { Attributes, Bindings, ExceptionInfo, LogRecord } from '../core/record.ts';
import type { Processor } from '../core/sink.ts';
import { mergeAttributes } from '../core/attributes.ts';
import { LogbridgeError } from '../core/errors.ts';
import { DEFAULT_LIMITS } from '../values/limits.ts';
import { compilePatterns, REDACT_PATTERN_NAMES, type CompiledPatterns, type RedactPatternName } from './patterns.ts';
import { compilePaths, type PathNode } from './paths.ts';
import { DEFAULT_REDACT_KEYS, KeyRules } from './keys.ts';
import { Walker } from './walk.ts';

/**
 * Redaction: secrets are masked (or removed) once per record, before the
 * record fans out, so stdout, pretty output and OTLP always agree. Child
 * bindings are redacted once, when the child is made. Three rules:
 *
 * - **keys**: an attribute (at any depth up to `depth`) whose key, read as
 *   words, names a secret (keys.ts: `passwordHash`, `x-api-key`, `db.pass`;
 *   not `tokenCount` or `author`). The whole value is replaced.
 * - **paths**: dotted paths, case-insensitive, `*` for any one key or array
 *   index (`user.*.ssn`, `headers.authorization`). A key that contains dots
 *   counts as several segments, so `http.request.header.authorization` matches
 *   both the flat attribute key and the nested form.
 * - **patterns**: secrets inside strings (messages, attribute strings,
 *   exception messages and stack traces): the published formats of
 *   well-known credentials, bearer and Basic credentials, JWTs, card numbers
 *   (Luhn-checked), passwords in URLs, PEM private keys, and `key=value`
 *   pairs whose key names a secret. The secret part is masked in place.
 *
 * The cost when nothing matches: the attributes are checked without a copy
 * or a key array (walk.ts), a key or short string seen at the same place in
 * the last record costs a comparison, others a cached lookup, and a new
 * string one pass of the gate (gate.ts: a character loop for short strings,
 * native regex scans for long ones); a record is copied only when something
 * matched, or when its attributes pass the count limit (then only the kept
 * ones are read).
 */

/** What happens to a value whose key or path matches. */
export type RedactMode = 'mask' | 'remove';

/** Options of {@link createRedactor} and `configure({ redact })`. */
export interface RedactOptions {
  /** Key names to redact, added to {@link DEFAULT_REDACT_KEYS} (see `defaultKeys`); read as words like those. */
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
  /**
   * Attributes kept per record (default 128, `OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT`): keys past it
   * are neither read nor searched, and are counted as dropped.
   */
  readonly attributeCount?: number;
  /** Entries searched in one nested object, array or Map (default 1000, the encoders' entry limit). */
  readonly collectionEntries?: number;
}

export { DEFAULT_REDACT_KEYS, REDACT_PATTERN_NAMES, type RedactPatternName };
export { normalizeKey } from './keys.ts';

/** The default replacement text. */
export const REDACTED = '[REDACTED]';

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
 * A redactor's check in the form the JSON encoder runs as it writes a record
 * (redaction fused into the only sink: the stdout sink asks for it, see
 * `Sink[ABSORB]`): a record that passes both parts is one the processor
 * would hand back unchanged; any other goes through {@link processor} and is
 * encoded from what it returns. Only for a redactor without paths.
 */
export interface RedactionCheck {
  /** Whether the record's message, request attributes, exception and bindings come through unchanged. */
  rest(record: LogRecord): boolean;
  /**
   * Whether call attribute `key: value`, at position `i` of the record's call attributes, comes
   * through unchanged. The encoder first compares the key with `keys[i]` and a string value with
   * `values[i]`, and a number with `cardFrom`: a member that passes those needs no call.
   */
  member(i: number, key: string, value: unknown): boolean;
  /** Keys found not secret, by position (read-only). */
  readonly keys: readonly string[];
  /** Short strings found clean, by position (read-only). */
  readonly values: readonly string[];
  /** The least number that could be a card number (`Infinity` when cards are not searched for). */
  readonly cardFrom: number;
  /** The redactor's processor, for a record that did not pass. */
  readonly processor: Processor;
}

const checks = new WeakMap<Processor, RedactionCheck>();

/** The {@link RedactionCheck} of a redactor's processor; `undefined` for any other processor, or a redactor with paths. */
export function redactionCheckOf(processor: Processor | undefined): RedactionCheck | undefined {
  return processor === undefined ? undefined : checks.get(processor);
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

// Also its own RedactionCheck, through prototype methods and getters: nothing of the check's caches is an own property (an inspected redactor shows no logged value).
class RedactorImpl implements Redactor, RedactionCheck {
  readonly #walker: Walker;
  readonly #patterns: CompiledPatterns | undefined;
  readonly #rebind: ((attributes: Attributes) => Bindings) | undefined;
  /** Bindings known clean, and stale bindings with their redacted replacement. */
  readonly #bindings = new WeakMap<Bindings, Bindings>();
  /** Request-context attribute objects, redacted once per request, not per record. */
  readonly #context = new WeakMap<object, Attributes>();
  /**
   * The last bindings and request attributes seen, with their result: a hot loop logs through one
   * child inside one request, and a comparison costs less than the WeakMap lookup (measured:
   * stdout line, default redaction).
   */
  #lastBindings: Bindings | undefined;
  #lastBindingsOut: Bindings | undefined;
  #lastContext: Attributes | undefined;
  #lastContextOut: Attributes | undefined;
  /** The last message found clean: a hot loop repeats one (a comparison before the set lookup). */
  #lastBody: string | undefined;
  /** Messages are mostly constant templates: the short ones found clean are remembered. */
  readonly #cleanBodies = new Set<string>();
  readonly description: string;
  readonly processor: Processor;

  constructor(options: RedactOptions, rebind: ((attributes: Attributes) => Bindings) | undefined) {
    const mode = options.mode ?? 'mask';
    if (mode !== 'mask' && mode !== 'remove') invalid('redact.mode must be "mask" or "remove"');
    const depth = options.depth ?? 8;
    if (typeof depth !== 'number' || !(depth >= 0)) invalid('redact.depth must be a number >= 0');
    const attributeCount = count(options.attributeCount, DEFAULT_LIMITS.attributeCount, 'attributeCount');
    const entries = count(options.collectionEntries, DEFAULT_LIMITS.collectionEntries, 'collectionEntries');
    const listed = [...(options.defaultKeys === false ? [] : DEFAULT_REDACT_KEYS), ...(options.keys ?? [])];
    if (!listed.every((k) => typeof k === 'string')) invalid('redact.keys must be strings');
    const keys = new KeyRules(listed);
    let root: PathNode | undefined;
    try {
      root = compilePaths(options.paths ?? []);
    } catch (error) {
      invalid(`redact.paths: ${(error as Error).message}`);
    }
    const censor = options.censor ?? REDACTED;
    if (typeof censor !== 'string') invalid('redact.censor must be a string');
    try {
      this.#patterns = compilePatterns(options.patterns ?? true, keys, censor);
    } catch (error) {
      invalid(`redact.patterns: ${(error as Error).message}`);
    }
    this.#walker = new Walker({
      keys: keys.size === 0 ? undefined : keys, root, patterns: this.#patterns, remove: mode === 'remove', censor,
      depth, entries, attributeCount,
    });
    this.#rebind = rebind;
    this.description = `keys=${keys.size} paths=${(options.paths ?? []).length} ` +
      `patterns=${this.#patterns?.names.join('+') || 'off'} mode=${mode} depth=${depth}`;
    this.processor = (record) => this.#record(record);
    if (root === undefined) checks.set(this.processor, this);
  }

  get keys(): readonly string[] {
    return this.#walker.knownKeys;
  }

  get values(): readonly string[] {
    return this.#walker.knownValues;
  }

  get cardFrom(): number {
    return this.#walker.cardFrom;
  }

  member(i: number, key: string, value: unknown): boolean {
    return this.#walker.member(i, key, value);
  }

  rest(record: LogRecord): boolean {
    const bindings = record.bindings;
    // A hot loop's record: the message and the bindings last found clean, no request attributes, no exception.
    if (record.body === this.#lastBody && bindings === this.#lastBindings && bindings === this.#lastBindingsOut &&
      record.contextAttributes === undefined && record.exception === undefined) return true;
    return this.#body(record.body) === record.body &&
      this.#contextAttributes(record.contextAttributes) === record.contextAttributes &&
      (record.exception === undefined || this.#exception(record.exception) === record.exception) &&
      (record.bindings === undefined || this.#bindingsOf(record.bindings) === record.bindings);
  }

  redactAttributes(attributes: Attributes): Attributes {
    try {
      return this.#walker.attributes(attributes);
    } catch {
      // Keys that cannot be listed (a hostile proxy): hand on a safe copy, so no sink trips over it.
      return mergeAttributes(attributes);
    }
  }

  redactString(text: string): string {
    return this.#walker.text(text);
  }

  #body(body: string): string {
    if (this.#patterns === undefined || body === this.#lastBody) return body;
    if (this.#cleanBodies.has(body)) {
      this.#lastBody = body;
      return body;
    }
    const out = this.#walker.text(body);
    if (out === body && body.length <= 256) {
      this.#lastBody = body;
      if (this.#cleanBodies.size >= 4096) this.#cleanBodies.clear();
      this.#cleanBodies.add(body);
    }
    return out;
  }

  #record(record: LogRecord): LogRecord {
    const body = this.#body(record.body);
    let attributes = record.attributes;
    let dropped = 0;
    if (attributes !== undefined) {
      try {
        attributes = this.#walker.attributes(attributes);
        dropped = this.#walker.dropped;
      } catch {
        attributes = mergeAttributes(attributes);
      }
    }
    const context = this.#contextAttributes(record.contextAttributes);
    const exception = record.exception === undefined ? undefined : this.#exception(record.exception);
    const bindings = record.bindings === undefined ? undefined : this.#bindingsOf(record.bindings);
    if (body === record.body && attributes === record.attributes && context === record.contextAttributes &&
      exception === record.exception && bindings === record.bindings) return record;
    const out: LogRecord = { ...record, body, attributes, contextAttributes: context, exception, bindings };
    return dropped === 0 ? out : { ...out, droppedAttributes: (record.droppedAttributes ?? 0) + dropped };
  }

  #contextAttributes(attributes: Attributes | undefined): Attributes | undefined {
    if (attributes === undefined || attributes === null || typeof attributes !== 'object') return attributes;
    if (attributes === this.#lastContext) return this.#lastContextOut;
    let out = this.#context.get(attributes);
    if (out === undefined) {
      out = this.redactAttributes(attributes);
      this.#context.set(attributes, out);
    }
    this.#lastContext = attributes;
    this.#lastContextOut = out;
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
    if (bindings === this.#lastBindings) return this.#lastBindingsOut!;
    const known = this.#bindings.get(bindings) ?? this.#checkBindings(bindings);
    this.#lastBindings = bindings;
    this.#lastBindingsOut = known;
    return known;
  }

  #checkBindings(bindings: Bindings): Bindings {
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
}

function count(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0)) invalid(`redact.${name} must be a number >= 0`);
  return value;
}

function invalid(message: string): never {
  throw new LogbridgeError('LOGBRIDGE_ERR_INVALID_CONFIG', message);
}
