import type { Attributes } from './attributes.ts';
import { className, errorType, isError } from './error-type.ts';
import { jsonValue } from './json.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { describeFunction, keysOf, safeString } from './safe.ts';

export { errorType, isError };

/**
 * An exception in OpenTelemetry semantic-convention form (`exception.*`),
 * made once when the record is created, so every sink maps it the same way.
 */
export interface ExceptionInfo {
  /** `exception.type`: the error's class name (`TypeError`), or the thrown value's type. */
  readonly type: string;
  /** `exception.message`. */
  readonly message: string;
  /** `exception.stacktrace`: the stack, with every `cause` and `AggregateError` member. Absent when not kept. */
  readonly stacktrace?: string | undefined;
  /** Extra attributes taken from the error: its Node `code` as `exception.code`, its own enumerable properties. */
  readonly attributes?: Attributes | undefined;
}

/**
 * Maps any thrown value to OpenTelemetry `exception.*` form, once, when the
 * record is made, so stdout and OTLP show the same thing (docs/errors-and-crashes.md).
 *
 * - `exception.type`: the class name (`TypeError`, `HttpError`); for a
 *   `DOMException`, or a plain `Error` whose `name` was set, the `name`
 *   (`AbortError`, `ValidationError`); for other thrown values their type
 *   (`string`, `number`, `null`, `Object`, ...).
 * - `exception.message`: the message; for non-errors a readable rendering.
 * - `exception.stacktrace`: the stack, then every `AggregateError` member
 *   (`[errors][0]: ...`, indented), every `SuppressedError` part and the
 *   whole `cause` chain (`Caused by: ...`), cycles cut (`[Circular]`).
 * - attributes: the Node `code` as `exception.code`; the error's other own
 *   enumerable properties as `exception.<key>` (`exception.statusCode`).
 */

/** Most links followed through causes and members, all together. */
const MAX_LINKS = 32;
/** Most extra properties taken from one error. */
const MAX_EXTRA = 32;
/** Longest stack trace kept, in characters (a cause chain of deep stacks stays readable). */
const MAX_STACK_CHARS = 64 * 1024;
/** Own properties that are already mapped to `exception.*` or to the stack. */
const MAPPED = new Set(['name', 'message', 'stack', 'cause', 'code']);

/** Options for {@link toExceptionInfo}. */
export interface ExceptionOptions {
  /** Keep `exception.stacktrace` (default true). Expected errors leave it out by default. */
  readonly stack?: boolean;
  /** Mark the error as expected: adds the attribute `exception.expected: true`. */
  readonly expected?: boolean;
}

/**
 * The `exception.*` description of a thrown value: an Error of any realm,
 * a string, a plain object, `null`, `undefined`, a symbol, anything. Never
 * throws: properties whose getters throw are skipped, cycles are cut, and a
 * value that cannot be read at all gives type `Unknown`.
 */
export function toExceptionInfo(thrown: unknown, options: ExceptionOptions = {}): ExceptionInfo {
  let info: ExceptionInfo;
  try {
    info = isError(thrown) ? fromError(thrown, options.stack !== false) : fromValue(thrown);
  } catch {
    info = { type: 'Unknown', message: 'the thrown value could not be read' };
  }
  if (options.expected !== true) return info;
  return { ...info, attributes: { ...info.attributes, 'exception.expected': true } };
}

function fromError(error: Error, withStack: boolean): ExceptionInfo {
  const type = errorType(error);
  const message = safeString(() => error.message);
  const stacktrace = withStack ? fullStack(error) : undefined;
  return { type, message, stacktrace, attributes: extraAttributes(error) };
}

function fromValue(value: unknown): ExceptionInfo {
  if (value === null || value === undefined) return { type: String(value), message: String(value) };
  switch (typeof value) {
    case 'string':
      return { type: 'string', message: value };
    case 'function':
      return { type: 'function', message: describeFunction(value) };
    case 'symbol':
      return { type: 'symbol', message: value.toString() };
    case 'object':
      return fromObject(value);
    default:
      return { type: typeof value, message: safeString(() => String(value)) };
  }
}

/** A thrown non-error object: `{ message, code }` is treated like an error, anything else is rendered. */
function fromObject(value: object): ExceptionInfo {
  const message = safeGet(value, 'message');
  const name = safeGet(value, 'name');
  const ctor = className(value);
  const type = typeof name === 'string' && name !== '' ? name : ctor !== '' ? ctor : 'Object';
  if (typeof message === 'string') return { type, message, attributes: extraAttributes(value) };
  const text = jsonValue(value, DEFAULT_LIMITS) ?? '';
  // A value the serializer could only name ("[Unserializable]") is shown unquoted.
  return { type, message: text.startsWith('"') ? String(JSON.parse(text)) : text };
}

/** One line per link: the stack, then members and parts (indented), then causes. */
function fullStack(error: Error): string {
  const seen = new Set<unknown>();
  const out: string[] = [];
  let links = 0;
  const visit = (current: unknown, label: string, indent: string): void => {
    const isObject = (typeof current === 'object' && current !== null) || typeof current === 'function';
    if (isObject && seen.has(current)) {
      out.push(`${indent}${label}[Circular]`);
      return;
    }
    if (links++ >= MAX_LINKS) {
      out.push(`${indent}${label}[more links left out]`);
      return;
    }
    if (!isObject) {
      out.push(indent + label + indentLines(describe(current), indent));
      return;
    }
    seen.add(current);
    const text = describe(current);
    out.push(indent + withCode(label, current, text) + indentLines(text, indent));
    if (typeof current !== 'object') return;
    const inner = indent + '    ';
    const members = isError(current) ? safeGet(current, 'errors') : undefined;
    if (Array.isArray(members)) {
      const n = Math.min(members.length, MAX_LINKS);
      for (let i = 0; i < n; i++) visit(safeGet(members, String(i)), `[errors][${i}]: `, inner);
      if (members.length > n) out.push(`${inner}[${members.length - n} more errors]`);
    }
    if (errorType(current) === 'SuppressedError') {
      visit(safeGet(current, 'error'), '[error]: ', inner);
      visit(safeGet(current, 'suppressed'), '[suppressed]: ', inner);
    }
    if (hasOwn(current, 'cause')) visit(safeGet(current, 'cause'), 'Caused by: ', indent);
  };
  visit(error, '', '');
  const text = out.join('\n');
  return text.length > MAX_STACK_CHARS ? `${text.slice(0, MAX_STACK_CHARS)}\n[stack trace cut]` : text;
}

/** `Caused by [ECONNRESET]: ` — a linked error's code, unless its stack already names it. */
function withCode(label: string, value: unknown, text: string): string {
  if (label === '' || !isError(value)) return label;
  const code = codeOf(value);
  if (code === undefined) return label;
  const newline = text.indexOf('\n');
  if ((newline === -1 ? text : text.slice(0, newline)).includes(String(code))) return label;
  return `${label.slice(0, -2)} [${code}]: `;
}

/** The error's `code` when it is a string or a meaningful number. */
function codeOf(error: object): string | number | undefined {
  const code = safeGet(error, 'code');
  if (typeof code === 'string' && code !== '') return code;
  // DOMException's numeric `code` is a legacy constant; its name already says it all.
  if (typeof code === 'number' && Number.isFinite(code) && className(error) !== 'DOMException') return code;
  return undefined;
}

/** The stack of an error (or `Type: message` when it has none); a readable rendering of anything else. */
function describe(value: unknown): string {
  if (isError(value)) {
    const stack = safeString(() => value.stack);
    return stack !== '' ? stack : `${errorType(value)}: ${safeString(() => value.message)}`;
  }
  if (typeof value === 'string') return value;
  const info = fromValue(value);
  return info.type === info.message ? info.message : `${info.type}: ${info.message}`;
}

function indentLines(text: string, indent: string): string {
  return indent === '' ? text : text.replaceAll('\n', '\n' + indent);
}

/** Properties that {@link fullStack} already shows: members and `SuppressedError` parts. */
function stackParts(error: Error): Set<string> | undefined {
  if (errorType(error) === 'SuppressedError') return new Set(['error', 'suppressed', 'errors']);
  return Array.isArray(safeGet(error, 'errors')) ? new Set(['errors']) : undefined;
}

function safeGet(object: object, key: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function hasOwn(object: object, key: string): boolean {
  try {
    return Object.hasOwn(object, key);
  } catch {
    return false;
  }
}

/** `exception.code` and the error's other own enumerable properties (`exception.statusCode`). */
function extraAttributes(error: object): Attributes | undefined {
  let attributes: Record<string, unknown> | undefined;
  const code = codeOf(error);
  if (code !== undefined) attributes = { 'exception.code': code };
  const keys = keysOf(error);
  if (keys === undefined) return attributes;
  let taken = 0;
  const inStack = isError(error) ? stackParts(error) : undefined;
  for (const key of keys) {
    if (MAPPED.has(key) || inStack?.has(key) === true) continue;
    const value = safeGet(error, key);
    if (value === undefined || typeof value === 'function') continue;
    if (taken++ === MAX_EXTRA) break;
    (attributes ??= {})[`exception.${key}`] = value;
  }
  return attributes;
}
