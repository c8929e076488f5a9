import { types } from 'node:util';
import type { ExceptionInfo } from './record.ts';
import { jsonValue, safeName, safeString } from './internal/json.ts';
import { DEFAULT_LIMITS } from './limits.ts';

/**
 * Maps any thrown value to OpenTelemetry `exception.*` form. Errors give
 * their class name, message and a stack that includes the whole `cause`
 * chain and every `AggregateError` member; strings, plain objects, `null`
 * and other throwables still give a useful record. Never throws.
 */

const MAX_CHAIN = 16;
/** Properties every error has, which are already mapped to `exception.*`. */
const MAPPED = new Set(['name', 'message', 'stack', 'cause', 'errors', 'code']);

/** Options for {@link toExceptionInfo}. */
export interface ExceptionOptions {
  /** Keep `exception.stacktrace` (default true). Expected errors may leave it out. */
  readonly stack?: boolean;
}

/** The `exception.*` description of a thrown value. */
export function toExceptionInfo(thrown: unknown, options: ExceptionOptions = {}): ExceptionInfo {
  try {
    if (isError(thrown)) return fromError(thrown, options.stack !== false);
    return fromValue(thrown);
  } catch {
    return { type: 'Unknown', message: 'the thrown value could not be read' };
  }
}

/** Whether `value` is an Error (of this realm or another). */
export function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

function fromError(error: Error, withStack: boolean): ExceptionInfo {
  const type = safeName(error);
  const message = safeString(() => error.message);
  const stacktrace = withStack ? fullStack(error, type, message) : undefined;
  const attributes = extraAttributes(error);
  return { type, message, stacktrace, attributes };
}

function fromValue(value: unknown): ExceptionInfo {
  if (value === null || value === undefined) return { type: String(value), message: String(value) };
  if (typeof value === 'object') {
    const name = safeString(() => (value as { name?: unknown }).name);
    const message = safeString(() => (value as { message?: unknown }).message);
    return {
      type: name !== '' ? name : safeName(value),
      message: message !== '' ? message : (jsonValue(value, DEFAULT_LIMITS) ?? ''),
    };
  }
  if (typeof value === 'string') return { type: 'string', message: value };
  return { type: typeof value, message: safeString(() => String(value)) };
}

/** The error's stack, then each AggregateError member and each cause, labelled. */
function fullStack(error: Error, type: string, message: string): string {
  const seen = new Set<unknown>();
  const out: string[] = [];
  const visit = (current: unknown, label: string, indent: string): void => {
    if (out.length >= MAX_CHAIN * 4) return;
    if (seen.has(current)) {
      out.push(`${indent}${label}[Circular]`);
      return;
    }
    seen.add(current);
    out.push(indent + label + indentLines(stackOf(current), indent));
    const members = isError(current) ? safeGet(current, 'errors') : undefined;
    if (Array.isArray(members)) {
      members.slice(0, MAX_CHAIN).forEach((member, i) => visit(member, `[errors][${i}]: `, indent + '    '));
    }
    const cause = typeof current === 'object' && current !== null ? safeGet(current, 'cause') : undefined;
    if (cause !== undefined && seen.size < MAX_CHAIN) visit(cause, 'Caused by: ', indent);
  };
  seen.add(error);
  const own = safeString(() => error.stack);
  out.push(own !== '' ? own : `${type}: ${message}`);
  const members = safeGet(error, 'errors');
  if (Array.isArray(members)) {
    members.slice(0, MAX_CHAIN).forEach((member, i) => visit(member, `[errors][${i}]: `, '    '));
  }
  const cause = safeGet(error, 'cause');
  if (cause !== undefined) visit(cause, 'Caused by: ', '');
  return out.join('\n');
}

function stackOf(value: unknown): string {
  if (isError(value)) {
    const stack = safeString(() => value.stack);
    return stack !== '' ? stack : `${safeName(value)}: ${safeString(() => value.message)}`;
  }
  const info = fromValue(value);
  return `${info.type}: ${info.message}`;
}

function indentLines(text: string, indent: string): string {
  return indent === '' ? text : text.replaceAll('\n', '\n' + indent);
}

function safeGet(object: object, key: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** `exception.code` and the error's other own enumerable properties (`exception.statusCode`). */
function extraAttributes(error: Error): Record<string, unknown> | undefined {
  let attributes: Record<string, unknown> | undefined;
  const code = safeGet(error, 'code');
  if (typeof code === 'string' || typeof code === 'number') attributes = { 'exception.code': code };
  let keys: string[];
  try {
    keys = Object.keys(error);
  } catch {
    return attributes;
  }
  for (const key of keys) {
    if (MAPPED.has(key)) continue;
    const value = safeGet(error, key);
    if (value === undefined || typeof value === 'function') continue;
    (attributes ??= {})[`exception.${key}`] = value;
  }
  return attributes;
}
