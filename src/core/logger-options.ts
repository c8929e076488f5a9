import type { Attributes, Bindings, LogRecord } from './record.ts';
import type { LevelName } from './levels.ts';

/** The option objects of the Logger's methods, and what a logger needs of its runtime. */

/** Options of an event record. */
export interface EventOptions {
  /** Level of the event record (default `info`). */
  readonly level?: LevelName;
  /** A human-readable message (the record body); empty by default. */
  readonly message?: string;
}

/** Options of {@link Logger.expected}. */
export interface ExpectedErrorOptions {
  /** Level of the record: `warn` by default; `error` when the caller wants it counted as one. */
  readonly level?: LevelName;
  /** Keep `exception.stacktrace` (default false: an expected error's stack says little). */
  readonly stack?: boolean;
}

/** What a logger needs of the runtime behind it (the Runtime, in runtime.ts). */
export interface LogEmitter {
  /** Hands a record to the pipeline. */
  emit(record: LogRecord): void;
  /** Merges a child's attributes over its parent's bindings. */
  bind(parent: Bindings | undefined, attributes: Attributes): Bindings;
  /** Delivers every record made so far, in every sink; settles, never rejects. */
  flush(): Promise<void>;
}

/** Options of {@link Logger.child}. */
export interface ChildOptions {
  /** The child's own level (`'debug'`, `'off'`…), instead of following its parent's. */
  readonly level?: string;
}
