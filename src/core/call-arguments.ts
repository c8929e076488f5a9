import type { Attributes } from './record.ts';
import { SEVERITY, type LevelName } from './levels.ts';
import { countFormatTokens, formatMessage } from './message-format.ts';

/**
 * How the level methods read their loose arguments (see Logger): which one
 * is the message, the thrown value, the attributes. Internal to core.
 */

/** The level of an event record: `options.level` when it names a level, else `info`. Never throws. */
export function eventLevel(options: { readonly level?: unknown } | undefined): LevelName {
  try {
    const level: unknown = options?.level;
    return typeof level === 'string' && Object.hasOwn(SEVERITY, level) ? level as LevelName : 'info';
  } catch {
    return 'info';
  }
}

// The last message found without a `%`: messages are mostly constant templates, so the
// next call's is usually the same string, and an identity compare beats the scan.
let lastPlainMessage = '';

/** Whether `message` is a string with a printf-style token. */
export function hasFormatTokens(message: unknown): boolean {
  if (typeof message !== 'string' || message === lastPlainMessage) return false;
  if (message.indexOf('%') === -1) {
    lastPlainMessage = message;
    return false;
  }
  return countFormatTokens(message) > 0;
}

/** A plain object (`{...}` or `Object.create(null)`): taken as attributes, not as an exception. */
export function isAttributes(value: unknown): value is Attributes {
  if (typeof value !== 'object' || value === null) return false;
  let proto: unknown;
  try {
    proto = Object.getPrototypeOf(value);
  } catch {
    return false; // a revoked or hostile proxy: recorded as the exception, so the record is still made
  }
  return proto === Object.prototype || proto === null;
}

/**
 * A printf-style call (`util.format` semantics) as the plain call it
 * amounts to: the arguments after the message (the first argument, or the
 * second after an error or attributes, pino's `log.error(err, 'msg %s', x)`)
 * fill its tokens; of what is left, the first two are the thrown value and
 * attributes as in a plain call, and any beyond two are appended to the
 * message as `util.format` does. Never throws.
 */
export function toPlainCall(args: readonly unknown[]): [unknown, unknown, unknown] {
  const at = typeof args[0] === 'string' ? 0 : typeof args[1] === 'string' ? 1 : -1;
  if (at === -1) return [args[0], args[1], args[2]];
  const message = args[at] as string;
  const taken = countFormatTokens(message);
  const rest = args.slice(at + 1 + taken);
  if (at === 0 && rest.length > 2) return [formatMessage(message, args.slice(1)), undefined, undefined];
  const body = taken === 0 ? message : formatMessage(message, args.slice(at + 1, at + 1 + taken));
  return at === 0 ? [body, rest[0], rest[1]] : [args[0], body, rest[0]];
}
