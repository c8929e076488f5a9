import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { AnyValue } from '@opentelemetry/api';
import { ENV, readEnv, type Env } from './env.ts';
import { keyValueList } from './variable.ts';
import { diagnoseAlways } from '../core/diagnostics.ts';
import type { OtlpSinkOptions } from './otlp.ts';

/**
 * `OTEL_CONFIG_FILE`: the OpenTelemetry declarative configuration (YAML,
 * `file_format: "1.0"`), parsed, validated and `${ENV}`-substituted by
 * `@opentelemetry/configuration`. What logbridge takes from it: `disabled`,
 * `resource`, and `logger_provider` (its first OTLP exporter with its batch
 * settings, a console exporter, the limits, an
 * `event_to_span_event_bridge/development` processor). When the file has a
 * `logger_provider`, it decides the sinks alone (stdout only if it lists a
 * `console` exporter), as `OTEL_LOGS_EXPORTER` does; without one, stdout
 * stays on. The deprecated `OTEL_EXPERIMENTAL_CONFIG_FILE` is read too, with
 * a warning. A file that cannot be read or is invalid gives one stderr line
 * and the environment configuration instead.
 */

/** What the file asks for. */
export interface FileConfiguration {
  /** The file's path, for the configuration printout. */
  readonly path: string;
  readonly console: boolean;
  /** OTLP settings, or `false` for no OTLP export. */
  readonly otlp: OtlpSinkOptions | false;
  readonly resource: Readonly<Record<string, AnyValue>>;
  readonly limits: { readonly attributeCount?: number; readonly valueLength?: number };
  /** Whether `logger_provider.processors` lists `event_to_span_event_bridge/development` (span events, docs/logs-and-traces.md). */
  readonly spanEvents: boolean;
  /** The `logger_provider.logger_configurator/development` section, as written (see live-levels.ts). */
  readonly loggerConfigurator: LoggerConfiguratorModel | undefined;
}

/** The OpenTelemetry `logger_configurator/development` model (per-logger `enabled`, `minimum_severity`, `trace_based`). */
export interface LoggerConfiguratorModel {
  readonly default_config?: LoggerConfigModel | null;
  readonly loggers?: ReadonlyArray<{ readonly name: string; readonly config: LoggerConfigModel }> | null;
}

/** One logger's config in the `logger_configurator` section. */
export interface LoggerConfigModel {
  readonly enabled?: boolean | null;
  readonly minimum_severity?: string | null;
  readonly trace_based?: boolean | null;
}

interface Pair { name: string; value?: unknown }
interface OtlpModel {
  endpoint?: string | null; headers?: Pair[]; headers_list?: string | null; compression?: string | null;
  timeout?: number | null; encoding?: string; tls?: { ca_file?: string | null; key_file?: string | null; cert_file?: string | null };
}
interface ProcessorModel {
  batch?: { schedule_delay?: number | null; export_timeout?: number | null; max_queue_size?: number | null;
    max_export_batch_size?: number | null; exporter: ExporterModel };
  simple?: { exporter: ExporterModel };
  'event_to_span_event_bridge/development'?: object | null;
}
interface ExporterModel { otlp_http?: OtlpModel | null; otlp_grpc?: OtlpModel | null; console?: object | null }
interface Model {
  disabled?: boolean | null;
  resource?: { attributes?: Pair[]; attributes_list?: string | null };
  logger_provider?: {
    processors?: ProcessorModel[]; limits?: { attribute_value_length_limit?: number | null; attribute_count_limit?: number | null };
    'logger_configurator/development'?: LoggerConfiguratorModel;
  };
}

/**
 * Reads the file named by `OTEL_CONFIG_FILE`; `undefined` when none is set or
 * it is unusable (the stderr line then ends with `fallback`). Never throws.
 */
export function loadConfigFile(env: Env, fallback = 'using the environment variables instead'): FileConfiguration | undefined {
  const path = readEnv(ENV.configFile, env);
  if (path === '') return undefined;
  if ((env[ENV.configFile.name] ?? '').trim() === '') {
    diagnoseAlways('DEPRECATED_ENV', 'OTEL_EXPERIMENTAL_CONFIG_FILE is deprecated; use OTEL_CONFIG_FILE');
  }
  let model: Model;
  try {
    // synchronous on purpose: configure() is; the parser is loaded only when a file is named
    const require = createRequire(import.meta.url);
    const { parseConfigFile } = require('@opentelemetry/configuration') as { parseConfigFile: (file: string) => unknown };
    readFileSync(path); // a clear ENOENT before the parser's own message
    model = parseConfigFile(path) as Model;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String((error as Error).message ?? error).split('\n')[0];
    diagnoseAlways('INVALID_CONFIG_FILE', `${ENV.configFile.name}=${JSON.stringify(path)} cannot be used (${reason}); ${fallback}`);
    return undefined;
  }
  return fromModel(path, model);
}

function fromModel(path: string, model: Model): FileConfiguration {
  const processors = model.logger_provider?.processors ?? [];
  const exporters = processors.map((p) => ({ exporter: (p.batch ?? p.simple)?.exporter, batch: p.batch }));
  const otlpEntry = exporters.find((e) => e.exporter?.otlp_http != null || e.exporter?.otlp_grpc != null);
  const hasProvider = model.logger_provider !== undefined;
  const limits = model.logger_provider?.limits;
  return {
    path,
    console: !hasProvider || exporters.some((e) => e.exporter?.console !== undefined),
    otlp: model.disabled === true || otlpEntry === undefined ? false : toOtlpOptions(otlpEntry.exporter!, otlpEntry.batch),
    resource: toResource(model.resource),
    spanEvents: model.disabled !== true && processors.some((p) => 'event_to_span_event_bridge/development' in p),
    limits: {
      ...(limits?.attribute_count_limit != null ? { attributeCount: limits.attribute_count_limit } : {}),
      ...(limits?.attribute_value_length_limit != null ? { valueLength: limits.attribute_value_length_limit } : {}),
    },
    loggerConfigurator: model.logger_provider?.['logger_configurator/development'],
  };
}

function toOtlpOptions(exporter: ExporterModel, batch: ProcessorModel['batch']): OtlpSinkOptions {
  const grpc = exporter.otlp_http == null;
  const m = (grpc ? exporter.otlp_grpc : exporter.otlp_http)!;
  const options: Record<string, unknown> = {
    protocol: grpc ? 'grpc' : m.encoding === 'json' ? 'http/json' : 'http/protobuf',
    url: m.endpoint ?? (grpc ? 'http://localhost:4317' : 'http://localhost:4318/v1/logs'),
    headers: { ...parseList(m.headers_list), ...fromPairs(m.headers) },
  };
  if (m.compression != null) options.compression = m.compression === 'gzip' ? 'gzip' : 'none';
  if (m.timeout != null && m.timeout > 0) options.timeoutMillis = m.timeout;
  if (m.tls !== undefined) options.tls = { ca: pem(m.tls.ca_file), key: pem(m.tls.key_file), cert: pem(m.tls.cert_file) };
  if (batch !== undefined) {
    if (batch.schedule_delay != null) options.scheduleDelayMillis = batch.schedule_delay;
    if (batch.export_timeout != null && batch.export_timeout > 0) options.exportTimeoutMillis = batch.export_timeout;
    if (batch.max_queue_size != null) options.maxQueueSize = batch.max_queue_size;
    if (batch.max_export_batch_size != null) options.maxExportBatchSize = batch.max_export_batch_size;
  } else {
    options.scheduleDelayMillis = 0; // a simple processor: send each record at once
  }
  return options as OtlpSinkOptions;
}

function toResource(resource: Model['resource']): Record<string, AnyValue> {
  const out: Record<string, AnyValue> = { ...parseList(resource?.attributes_list) };
  // typed values (bool, int, double, arrays) are kept as they are
  for (const pair of resource?.attributes ?? []) if (pair.value != null) out[pair.name] = pair.value as AnyValue;
  return out;
}

function fromPairs(pairs: Pair[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) if (pair.value !== null && pair.value !== undefined) out[pair.name] = String(pair.value);
  return out;
}

/** A `key=value,…` list of the file; the schema has checked its shape, so a bad pair is skipped, not fatal. */
function parseList(list: string | null | undefined): Record<string, string> {
  return list == null ? {} : keyValueList(list, { skipInvalid: true });
}

function pem(file: string | null | undefined): string | undefined {
  if (file == null || file === '') return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    diagnoseAlways('INVALID_CONFIG_FILE', `cannot read TLS file ${JSON.stringify(file)} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}
