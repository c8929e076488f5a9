import type { AnyValue } from '@opentelemetry/api';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { LogRecord } from '../../core/record.ts';
import type { Limits } from '../../values/limits.ts';
import type { Env } from '../../config/env.ts';
import type { OtlpConfig } from '../../config/otlp.ts';
import { toOtelLogRecord } from '../mapping.ts';
import { createResourceAttributes } from '../resource.ts';

/**
 * The official pipeline (`LOGBRIDGE_OTLP_PIPELINE=sdk`), the reference for
 * the default one: records go through the one mapping onto an
 * `@opentelemetry/sdk-logs` LoggerProvider with a BatchLogRecordProcessor
 * and the official OTLPLogExporter of the protocol
 * (`exporter-logs-otlp-proto`, `-http`, or the optional `-grpc`). Loaded
 * with `import()` only when chosen. Delivery is then the SDK's: its queue,
 * its retries, its drops (which it does not count for us).
 */

/** A running official pipeline. */
export interface SdkPipeline {
  /** The resource attributes in use. */
  readonly resource: Readonly<Record<string, AnyValue>>;
  /** Emits a record on the provider; never throws. */
  emit(record: LogRecord): void;
  /** The provider's forceFlush(). */
  forceFlush(): Promise<void>;
  /** The provider's shutdown(). */
  shutdown(): Promise<void>;
  /** Records the exporter reported delivered, and failed. */
  counts(): { readonly exported: number; readonly failed: number };
}

/** Builds the pipeline for `config`; rejects when the exporter package cannot be loaded (gRPC's is optional). */
export async function createSdkPipeline(
  config: OtlpConfig,
  limits: Limits,
  env: Env,
  instanceId: string,
  extraResource: Readonly<Record<string, AnyValue>> | undefined,
): Promise<SdkPipeline> {
  const resource = await createResourceAttributes(env, instanceId, extraResource);
  const counts = { exported: 0, failed: 0 };
  const exporter = counting(await officialExporter(config), counts);
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(resource),
    processors: [new BatchLogRecordProcessor({
      exporter,
      maxQueueSize: config.maxQueueSize,
      maxExportBatchSize: config.maxExportBatchSize,
      scheduledDelayMillis: config.scheduleDelayMillis,
      exportTimeoutMillis: config.exportTimeoutMillis,
    })],
    // the mapping applied the limits (keeping room for request.id and exception.*): the SDK must not cut again
    logRecordLimits: { attributeCountLimit: limits.attributeCount, attributeValueLengthLimit: Infinity },
  });
  const loggers = new Map<string, ReturnType<LoggerProvider['getLogger']>>();
  return {
    resource,
    emit(record) {
      let logger = loggers.get(record.scope);
      if (logger === undefined) {
        logger = provider.getLogger(record.scope);
        if (loggers.size < 10_000) loggers.set(record.scope, logger);
      }
      logger.emit(toOtelLogRecord(record, limits));
    },
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
    counts: () => ({ ...counts }),
  };
}

type ExporterClass = new (options: object) => LogRecordExporter;

async function officialExporter(config: OtlpConfig): Promise<LogRecordExporter> {
  if (config.protocol === 'grpc') {
    const name = '@opentelemetry/exporter-logs-otlp-grpc';
    // a variable specifier: the package is an optional peer
    const { OTLPLogExporter } = (await import(name)) as { OTLPLogExporter: ExporterClass };
    return new OTLPLogExporter({ url: config.url, timeoutMillis: config.timeoutMillis, compression: config.compression });
  }
  const { OTLPLogExporter } = (config.protocol === 'http/json'
    ? await import('@opentelemetry/exporter-logs-otlp-http')
    : await import('@opentelemetry/exporter-logs-otlp-proto')) as { OTLPLogExporter: ExporterClass };
  const { ca, key, cert } = config.tls;
  return new OTLPLogExporter({
    url: config.url,
    headers: { ...config.headers },
    timeoutMillis: config.timeoutMillis,
    compression: config.compression,
    ...(ca ?? key ?? cert) !== undefined ? { httpAgentOptions: { ca, key, cert } } : {},
  });
}

/** The exporter, counting what it reports delivered or failed. */
function counting(inner: LogRecordExporter, counts: { exported: number; failed: number }): LogRecordExporter {
  return {
    export(logs, done) {
      inner.export(logs, (result) => {
        if (result.code === 0) counts.exported += logs.length;
        else counts.failed += logs.length;
        done(result);
      });
    },
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
    shutdown: () => inner.shutdown(),
  };
}
