import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { AnyValue as OtelAnyValue } from '@opentelemetry/api';
import type { Encoder } from './core/sink.ts';
import type { ExceptionInfo, LogRecord, TraceContext } from './core/record.ts';
import { ENV, readEnv, type Env, type FormatChoice, type FormatName } from './config/env.ts';
import { DEFAULT_LIMITS, type Limits } from './values/limits.ts';
import { FdWriter } from './sinks/fd-writer.ts';
import { jsonValue } from './values/json.ts';
import { describeError, diagnose } from './core/diagnostics.ts';
import { severityShortName } from './core/severity-name.ts';
import { createFormatEncoder, resolveFormat } from './encoders/format.ts';
import { toOtlpJsonValue, toOtlpKeyValues, toUnixNano } from './encoders/otlp-json.ts';
import type { AnyValue } from './values/any-value.ts';

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
  readonly #onExit = (): void => void this.#writer.flushSync();

  constructor(options: StdoutLogRecordExporterOptions = {}) {
    const env = options.env ?? process.env;
    const fd = options.fd ?? 1;
    this.#limits = options.limits ?? DEFAULT_LIMITS;
    this.#format = resolveFormat(options.format ?? readEnv(ENV.format, env), fd, env);
    this.#encode = createFormatEncoder(this.#format, { limits: this.#limits, fd, env });
    this.#writer = new FdWriter(fd);
    process.on('exit', this.#onExit);
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
    process.removeListener('exit', this.#onExit);
  }
}

/**
 * A logbridge record for an OpenTelemetry SDK record (see the mapping in
 * {@link StdoutLogRecordExporter}). Never throws on odd bodies or attributes.
 */
export function fromReadableLogRecord(log: ReadableLogRecord): LogRecord {
  const attributes: Record<string, unknown> = {};
  let requestId: string | undefined;
  let exception: { type: string; message: string; stacktrace?: string } | undefined;
  for (const [key, value] of Object.entries(log.attributes)) {
    if (key === 'request.id' && typeof value === 'string') requestId = value;
    else if ((key === 'exception.type' || key === 'exception.message' || key === 'exception.stacktrace') && typeof value === 'string') {
      exception ??= { type: '', message: '' };
      exception[key === 'exception.type' ? 'type' : key === 'exception.message' ? 'message' : 'stacktrace'] = value;
    } else attributes[key] = value;
  }
  const severityNumber = log.severityNumber ?? 0;
  return {
    time: log.hrTime[0] * 1000 + log.hrTime[1] / 1e6,
    severityNumber,
    // One stdout format: the level is named after the number (bridges send `info`, `warning`, ...).
    severityText: severityNumber >= 1 && severityNumber <= 24 ? severityShortName(severityNumber) : log.severityText ?? 'UNSPECIFIED',
    scope: log.instrumentationScope.name,
    body: bodyText(log.body),
    eventName: log.eventName,
    bindings: undefined,
    contextAttributes: undefined,
    attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
    exception: exception as ExceptionInfo | undefined,
    requestId,
    trace: traceOf(log),
  };
}

function bodyText(body: OtelAnyValue | undefined): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  return jsonValue(body, DEFAULT_LIMITS) ?? '';
}

const INVALID_TRACE = '00000000000000000000000000000000';

function traceOf(log: ReadableLogRecord): TraceContext | undefined {
  const sc = log.spanContext;
  if (sc === undefined || sc.traceId === INVALID_TRACE || sc.traceId === '') return undefined;
  return { traceId: sc.traceId, spanId: sc.spanId, traceFlags: sc.traceFlags };
}

/** One OTLP/JSON ExportLogsServiceRequest line for an SDK record, keeping everything it carries. */
export function toOtlpJsonLine(log: ReadableLogRecord): string {
  const scope = log.instrumentationScope;
  const record: Record<string, unknown> = {
    timeUnixNano: hrTimeToNanos(log.hrTime),
    observedTimeUnixNano: hrTimeToNanos(log.hrTimeObserved),
  };
  if (log.severityNumber !== undefined) record.severityNumber = log.severityNumber;
  if (log.severityText !== undefined) record.severityText = log.severityText;
  if (log.body !== undefined) record.body = toOtlpJsonValue(log.body as AnyValue);
  if (log.eventName !== undefined) record.eventName = log.eventName;
  record.attributes = toOtlpKeyValues(log.attributes as Record<string, AnyValue>);
  if (log.droppedAttributesCount > 0) record.droppedAttributesCount = log.droppedAttributesCount;
  const trace = traceOf(log);
  if (trace !== undefined) Object.assign(record, { flags: trace.traceFlags & 0xff, traceId: trace.traceId, spanId: trace.spanId });
  const scopeJson: Record<string, unknown> = { name: scope.name };
  if (scope.version !== undefined) scopeJson.version = scope.version;
  if (scope.attributes !== undefined) scopeJson.attributes = toOtlpKeyValues(scope.attributes as Record<string, AnyValue>);
  const resource = { attributes: toOtlpKeyValues(log.resource.attributes as Record<string, AnyValue>) };
  const scopeLogs: Record<string, unknown> = { scope: scopeJson, logRecords: [record] };
  if (scope.schemaUrl !== undefined) scopeLogs.schemaUrl = scope.schemaUrl;
  const resourceLogs: Record<string, unknown> = { resource, scopeLogs: [scopeLogs] };
  if (log.resource.schemaUrl !== undefined) resourceLogs.schemaUrl = log.resource.schemaUrl;
  return JSON.stringify({ resourceLogs: [resourceLogs] }) + '\n';
}

function hrTimeToNanos(hr: readonly [number, number]): string {
  const [seconds, nanos] = hr;
  if (!Number.isFinite(seconds) || seconds < 0) return toUnixNano(0);
  return seconds === 0 ? String(nanos) : String(seconds) + String(nanos).padStart(9, '0');
}
