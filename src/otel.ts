import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { Encoder } from './core/sink.ts';
import { ENV, readEnv, type Env, type FormatChoice, type FormatName } from './config/env.ts';
import { DEFAULT_LIMITS, type Limits } from './values/limits.ts';
import { FdWriter } from './sinks/fd-writer.ts';
import { addExitTask } from './core/exit-tasks.ts';
import { exitTimeLeft } from './core/exit-deadline.ts';
import { installExitHooks } from './lifecycle/exit-hooks.ts';
import { describeError, diagnose } from './core/diagnostics.ts';
import { createFormatEncoder, resolveFormat } from './encoders/format.ts';
import { fromReadableLogRecord, toOtlpJsonLine } from './otel/sdk-record.ts';

/**
 * `logbridge/otel`: an OpenTelemetry SDK `LogRecordExporter` that writes
 * logbridge's stdout line formats, so every OpenTelemetry log in a process
 * — from the raw SDK, or from other OTel log bridges (pino, winston, bunyan
 * instrumentations) — shares one stdout format with logbridge's own lines:
 *
 * ```ts
 * import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
 * import { StdoutLogRecordExporter } from 'logbridge/otel';
 * const provider = new LoggerProvider({
 *   processors: [new SimpleLogRecordProcessor({ exporter: new StdoutLogRecordExporter() })],
 * });
 * ```
 *
 * Mapping: the instrumentation scope name becomes `scope`; the level is the
 * OpenTelemetry short name of the severity number (`INFO`, `INFO2`, ...;
 * the record's own text only without a number); a string body the
 * message (any other body is written as its JSON text); the `request.id` and
 * `exception.*` attributes become the record fields of those names; the span
 * context becomes `trace_id`/`span_id`/`trace_flags`. With `otlp-json` the
 * SDK record is written as it is (resource, scope version and attributes,
 * structured body, observed time), without that mapping.
 */

/** Options for {@link StdoutLogRecordExporter}. */
export interface StdoutLogRecordExporterOptions {
  /** Line format (default: `LOGBRIDGE_FORMAT`, else `auto`: `pretty` on a TTY outside production, `json` otherwise). */
  readonly format?: FormatChoice;
  /** File descriptor (default 1, stdout; 2 for stderr). */
  readonly fd?: number;
  /** Value limits: string length, attribute count, depth, record size (default {@link DEFAULT_LIMITS}). */
  readonly limits?: Limits;
  /** Environment for the format and colour choice (default `process.env`). */
  readonly env?: Env;
}

const SUCCESS = { code: 0 } as const; // ExportResultCode.SUCCESS
const FAILED = { code: 1 } as const; // ExportResultCode.FAILED

/**
 * Writes OpenTelemetry SDK log records to stdout in a logbridge line format.
 * `export` never throws; lines are buffered and written at the end of the
 * event-loop turn, at `forceFlush()`, at `shutdown()` and at process exit.
 * Records exported after `shutdown()` are dropped and reported as failed.
 */
export class StdoutLogRecordExporter implements LogRecordExporter {
  readonly #writer: FdWriter;
  readonly #format: FormatName;
  readonly #encode: Encoder;
  readonly #limits: Limits;
  #shutdown = false;
  readonly #removeExitTask: () => void;

  constructor(options: StdoutLogRecordExporterOptions = {}) {
    const env = options.env ?? process.env;
    const fd = options.fd ?? 1;
    this.#limits = options.limits ?? DEFAULT_LIMITS;
    this.#format = resolveFormat(options.format ?? readEnv(ENV.format, env), fd, env);
    this.#encode = createFormatEncoder(this.#format, { limits: this.#limits, fd, env });
    this.#writer = new FdWriter(fd);
    // the lifecycle owner writes what is left at exit (signals included), within the exit deadline
    this.#removeExitTask = addExitTask(() => void this.#writer.flushSync(exitTimeLeft() ?? readEnv(ENV.exitTimeout, env)));
    installExitHooks();
  }

  /** Encodes and queues every record; reports success unless shut down. Never throws. */
  export(logs: ReadableLogRecord[], resultCallback: (result: { code: number; error?: Error }) => void): void {
    if (this.#shutdown) {
      resultCallback({ ...FAILED, error: new Error('StdoutLogRecordExporter is shut down') });
      return;
    }
    for (const log of logs) {
      try {
        this.#writer.write(this.#format === 'otlp-json' ? toOtlpJsonLine(log) : this.#encode(fromReadableLogRecord(log)));
      } catch (error) {
        diagnose('OTEL_EXPORT_FAILED', `an OpenTelemetry log record could not be written (${describeError(error)})`);
      }
    }
    resultCallback(SUCCESS);
  }

  /** Writes everything queued. Never rejects. */
  forceFlush(): Promise<void> {
    return this.#writer.flush();
  }

  /** Flushes, then refuses later records. Idempotent; never rejects. */
  async shutdown(): Promise<void> {
    if (this.#shutdown) return;
    this.#shutdown = true;
    await this.#writer.flush();
    this.#removeExitTask();
  }
}
