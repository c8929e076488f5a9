import type { LogRecord } from './record.ts';

/**
 * Where records go. `emit` is called synchronously, on the logging call's
 * stack, once per record that passed the processors; a sink that throws is
 * reported on stderr and never affects the caller or the other sinks.
 * Lifecycle methods are optional and must settle even when the sink fails.
 */
export interface Sink {
  /** Receives one record. Must not block on I/O. */
  emit(record: LogRecord): void;
  /**
   * Delivers everything accepted so far; settles by `options.timeoutMillis`
   * when given. With `holdProcess: false` nothing of the flush may keep the
   * process alive (the lifecycle starts such a flush when the application
   * handles a signal itself, and delivers the rest on its later exit).
   */
  flush?(options?: FlushOptions): Promise<void>;
  /**
   * Best-effort synchronous delivery, for process exit and crashes. When
   * `timeoutMs` is given (what is left of the exit deadline), return within
   * it; 0 means deliver only what needs no waiting (a collector already
   * found hanging is not tried again).
   */
  flushSync?(timeoutMs?: number): void;
  /** Flushes and releases resources; later records are dropped. Idempotent. */
  shutdown?(): Promise<void>;
  /** Delivery counters for the final accounting at shutdown. */
  stats?(): SinkStats;
}

/** Options of {@link Sink.flush}. */
export interface FlushOptions {
  /** Settle by then, delivered or not (ms). */
  readonly timeoutMillis?: number;
  /** Whether pending retries may keep the process alive meanwhile (default true). */
  readonly holdProcess?: boolean;
}

/** What a sink did with the records it received. */
export interface SinkStats {
  /** The sink's name in the final accounting line (`stdout`, `otlp`); default `sink <index>`. */
  readonly name?: string;
  /** Records accepted by `emit`. */
  readonly received: number;
  /** Records lost, by reason (`queue_full`, `export_failed`, `stdout_closed`, ...). */
  readonly dropped: Readonly<Record<string, number>>;
}

/**
 * A processor runs before fan-out, once per record for all sinks, in order:
 * it returns the record (or a changed copy) to keep it, `undefined` to drop it.
 */
export type Processor = (record: LogRecord) => LogRecord | undefined;

/** Turns a record into one line of text, `\n` included. */
export type Encoder = (record: LogRecord) => string;

/**
 * Internal: a sink that can run the pipeline's last processor itself, more
 * cheaply than the pipeline would (the stdout sink fuses redaction into its
 * JSON encoder). Whenever its sinks change, the pipeline offers each such
 * sink its last processor when that sink is the only one, and `undefined`
 * otherwise; a sink that returns true applies the processor to every record
 * it receives, and the pipeline leaves it out.
 */
export const ABSORB: unique symbol = Symbol('logbridge.absorb');

/** A sink with {@link ABSORB}. */
export interface AbsorbingSink extends Sink {
  [ABSORB](processor: Processor | undefined): boolean;
}

/** Whether `sink` can absorb a processor. */
export function canAbsorb(sink: Sink): sink is AbsorbingSink {
  return typeof (sink as Partial<AbsorbingSink>)[ABSORB] === 'function';
}
