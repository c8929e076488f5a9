/**
 * The one place that names the OpenTelemetry logs SDK, so only lazily loaded
 * modules pull it in (a stdout-only process never loads it).
 */
export { LoggerProvider } from '@opentelemetry/sdk-logs';
export type { LogRecordProcessor, ReadableLogRecord, ReadWriteLogRecord as SdkLogRecord } from '@opentelemetry/sdk-logs';
