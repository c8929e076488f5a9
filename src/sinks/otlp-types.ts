import type { AnyValue, LoggerProvider } from '@opentelemetry/api';
import type { FlushOptions, Sink, SinkStats } from '../core/sink.ts';
import type { Limits } from '../values/limits.ts';
import type { Env } from '../config/env.ts';
import type { OtlpSinkOptions } from '../config/otlp.ts';

/** The public shapes of the OTLP sink (src/sinks/otlp.ts). */

/** Options of {@link createOtlpSink}: the OTLP settings (code wins over env) and how to find them. */
export interface CreateOtlpSinkOptions extends OtlpSinkOptions {
  /** Environment to read OTEL_* from (default `process.env`). */
  readonly env?: Env;
  /** Value limits (default: the configured ones). */
  readonly limits?: Limits;
  /** Emit through this provider instead of exporting ourselves (see docs/opentelemetry.md). */
  readonly loggerProvider?: LoggerProvider;
  /**
   * Use a LoggerProvider registered globally (`@opentelemetry/api` or
   * `@opentelemetry/api-logs`) when there is one, instead of a pipeline of
   * our own (default true).
   */
  readonly useGlobalProvider?: boolean;
  /** Resource attributes added to the detected ones (they win). */
  readonly resource?: Readonly<Record<string, AnyValue>>;
}

/** The OTLP sink's own counters, beyond {@link SinkStats}. */
export interface OtlpSinkStats extends SinkStats {
  /** Records the collector acknowledged (partial-success rejections not included). */
  readonly exported: number;
  /** Records waiting (queued or in flight). */
  readonly pending: number;
  /** Records sent without an answer when the process ended: they may or may not have arrived. */
  readonly unconfirmed: number;
  /** Exported records (included in `exported`) that had been sent once without an answer: they may have arrived twice. */
  readonly duplicates: number;
}

/** The OTLP sink; `flush()` takes an optional deadline. */
export interface OtlpSink extends Sink {
  /** Sends everything queued; settles when all is delivered or dropped, or after `timeoutMillis`. Never rejects. */
  flush(options?: FlushOptions): Promise<void>;
  /** Flushes within `timeoutMillis`, then stops; idempotent, never rejects. */
  shutdown(options?: { timeoutMillis?: number }): Promise<void>;
  /** Sends what is left synchronously at exit, within `timeoutMs`. Never throws. */
  flushSync(timeoutMs?: number): void;
  stats(): OtlpSinkStats;
}
