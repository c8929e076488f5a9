import { format } from 'node:util';

/**
 * printf-style messages, pino's habit: `log.info('user %s paid %d', id, n)`.
 * Interpolation follows `util.format` and happens only when the message holds
 * a format token, so plain messages cost one `indexOf('%')`.
 */

/** `util.format`'s tokens that take an argument: %s %d %i %f %j %o %O %c. */
const TAKES_ARGUMENT = new Set(['s', 'd', 'i', 'f', 'j', 'o', 'O', 'c']);

/**
 * How many arguments the format tokens of `message` take (`%%` is a literal
 * percent sign and takes none). 0 for a message without tokens. Never throws.
 */
export function countFormatTokens(message: string): number {
  let count = 0;
  let i = message.indexOf('%');
  while (i !== -1 && i < message.length - 1) {
    const next = message[i + 1]!;
    if (next === '%') i += 1;
    else if (TAKES_ARGUMENT.has(next)) count += 1;
    i = message.indexOf('%', i + 1);
  }
  return count;
}

/**
 * `util.format(message, ...args)`; the message itself when an argument
 * refuses to be formatted (a throwing getter or proxy). Never throws.
 */
export function formatMessage(message: string, args: readonly unknown[]): string {
  try {
    return format(message, ...args);
  } catch {
    return message;
  }
}
