import type { AnyValue } from '@opentelemetry/api';
import { LoggerProvider, type LogRecordProcessor, type ReadableLogRecord, type SdkLogRecord } from './sdk.ts';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { LogRecord } from '../record.ts';
import type { Limits } from '../limits.ts';
import { fromPreparedRecord, toOtelLogRecord, type PreparedRecord } from '../bridge/to-otel.ts';

/**
 * Records → OTLP request bytes, through the OpenTelemetry SDK: each record
 * is emitted on a `@opentelemetry/sdk-logs` LoggerProvider (which applies
 * the log record limits and builds the SDK's LogRecord), a collecting
 * processor hands the batch over, and the official OTLP serializer
 * (`@opentelemetry/otlp-transformer`, the one the exporters use) encodes it.
 * Runs on batches, off the logging call's stack.
 */

/** An OTLP partial-success answer. */
export interface PartialSuccess {
  readonly rejected: number;
  readonly message: string;
}

/** Turns batches of records into OTLP ExportLogsServiceRequest bytes. */
export class OtlpEncoder {
  readonly #provider: LoggerProvider;
  readonly #limits: Limits;
  readonly #json: boolean;
  #collected: ReadableLogRecord[] = [];
  readonly #loggers = new Map<string, ReturnType<LoggerProvider['getLogger']>>();

  constructor(resource: Readonly<Record<string, AnyValue>>, limits: Limits, format: 'protobuf' | 'json') {
    const collector: LogRecordProcessor = {
      onEmit: (record: SdkLogRecord) => {
        this.#collected.push(record);
      },
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    this.#provider = new LoggerProvider({
      resource: resourceFromAttributes(resource),
      processors: [collector],
      logRecordLimits: { attributeCountLimit: limits.attributeCount, attributeValueLengthLimit: limits.valueLength },
    });
    this.#limits = limits;
    this.#json = format === 'json';
  }

  /** The SDK's readable records for `records` (the form the gRPC exporter takes). */
  toReadable(records: readonly (LogRecord | PreparedRecord)[]): ReadableLogRecord[] {
    this.#collected = [];
    for (const record of records) {
      try {
        if ('time' in record) this.#logger(record.scope).emit(toOtelLogRecord(record, this.#limits));
        else this.#logger(record.scope).emit(fromPreparedRecord(record));
      } catch {
        // one unconvertible record must not sink the batch; toOtelLogRecord does not throw in practice
      }
    }
    const out = this.#collected;
    this.#collected = [];
    return out;
  }

  /** OTLP request bytes (protobuf or JSON); empty when there is nothing to send. */
  encode(records: readonly (LogRecord | PreparedRecord)[]): Uint8Array {
    const readable = this.toReadable(records);
    const serializer = this.#json ? JsonLogsSerializer : ProtobufLogsSerializer;
    return serializer.serializeRequest(readable) ?? new Uint8Array(0);
  }

  /** Reads a 2xx answer body; `undefined` unless it reports a partial success. Never throws. */
  decodeResponse(body: Uint8Array): PartialSuccess | undefined {
    if (body.length === 0) return undefined;
    try {
      const serializer = this.#json ? JsonLogsSerializer : ProtobufLogsSerializer;
      const partial = serializer.deserializeResponse(body).partialSuccess;
      const rejected = Number(partial?.rejectedLogRecords ?? 0);
      const message = partial?.errorMessage ?? '';
      return rejected > 0 || message !== '' ? { rejected, message } : undefined;
    } catch {
      return undefined;
    }
  }

  #logger(scope: string): ReturnType<LoggerProvider['getLogger']> {
    let logger = this.#loggers.get(scope);
    if (logger === undefined) {
      logger = this.#provider.getLogger(scope);
      if (this.#loggers.size < 10_000) this.#loggers.set(scope, logger);
    }
    return logger;
  }
}
