import type { Attributes } from './record.ts';

/**
 * The typed call forms of the level methods. They exist so that calls which
 * would do something other than what they read do not compile:
 * `log.info(42)` (a number is no message) and `log.info('hello', name)`
 * (a string after a message without format tokens would be logged as a
 * thrown value). Messages with `%s`-style tokens take any arguments.
 */

/**
 * A value accepted as the thrown value: anything but a string, number,
 * boolean, bigint, symbol or null — while `unknown` (a `catch` variable)
 * stays accepted.
 */
export type Thrown<E> = unknown extends E ? unknown
  : E extends string | number | boolean | bigint | symbol | null ? never : E;

/**
 * What may follow a message `M`: format arguments when `M` has tokens (or
 * is not a literal, so its tokens are unknown), else attributes, or a thrown
 * value and attributes.
 */
export type MessageArguments<M extends string, E> = string extends M ? unknown[]
  // A literal message holding a util.format token (%s %d %i %f %j %o %O %c).
  : M extends `${string}%${'s' | 'd' | 'i' | 'f' | 'j' | 'o' | 'O' | 'c'}${string}` ? unknown[]
    : [attributes?: Attributes] | [error: Thrown<E>, attributes?: Attributes];
