import type { Encoder } from '../core/sink.ts';
import { limitRecordSize } from './size-limit.ts';
import type { Attributes, LogRecord } from '../core/record.ts';
import { ENV, readEnv, type Env } from '../config/env.ts';
import { DEFAULT_LIMITS, type Limits } from '../values/limits.ts';
import { toAnyValue, type AnyValue } from '../values/any-value.ts';
import { otlpJsonLiveRecord, otlpJsonResource } from '../otel/otlp/json-logs.ts';

/**
 * The `otlp-json` line format: every line is one complete OTLP/JSON
 * `ExportLogsServiceRequest` holding one record — the OpenTelemetry "OTLP
 * file" format, which the Collector's `otlpjsonfile` receiver (and the
 * `filelog` receiver with an OTLP/JSON parser) ingests without loss:
 *
 * ```json
 * {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
 *  "scopeLogs":[{"scope":{"name":"orders"},"logRecords":[{"timeUnixNano":"1795857243123456000", ...}]}]}]}
 * ```
 *
 * (shown on two lines here; always one line in the output). Encoding rules
 * of OTLP/JSON: lowerCamelCase field names, 64-bit integers as decimal
 * strings, `traceId`/`spanId` as lowercase hex, bytes as base64, enums as
 * numbers. The record goes through the OTLP sink's mapping (`otel/mapping.ts`)
 * and its OTLP/JSON writer (`otel/otlp/json-logs.ts`, the `http/json`
 * protocol's), so the outputs agree field for field, time included.
 */

/** Options for {@link createOtlpJsonEncoder}. */
export interface OtlpJsonEncoderOptions {
  /** Value limits: string length, attribute count, depth, record size (default {@link DEFAULT_LIMITS}). */
  readonly limits?: Limits;
  /**
   * Resource attributes written on every line (default: `service.name` from
   * `OTEL_SERVICE_NAME`, else `unknown_service:node`, plus
   * `OTEL_RESOURCE_ATTRIBUTES`).
   */
  readonly resource?: Attributes;
  /** Environment for the default resource (default `process.env`). */
  readonly env?: Env;
}

/** Creates the OTLP/JSON encoder. The returned function never throws on any record content. */
export function createOtlpJsonEncoder(options: OtlpJsonEncoderOptions = {}): Encoder {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const resource = otlpResourceJson(options.resource ?? defaultResourceAttributes(options.env ?? process.env), limits);
  const prefix = '{"resourceLogs":[{"resource":' + resource + ',"scopeLogs":[{"scope":{"name":';
  return limitRecordSize(function encodeOtlpJson(record: LogRecord): string {
    return prefix + JSON.stringify(record.scope) + '},"logRecords":[' + otlpJsonLiveRecord(record, limits) + ']}]}]}\n';
  }, limits);
}

/** The OTLP/JSON `Resource` object for resource attributes, as JSON text. */
export function otlpResourceJson(attributes: Attributes, limits: Limits = DEFAULT_LIMITS): string {
  const values: Record<string, AnyValue | undefined> = Object.create(null);
  for (const key of Object.keys(attributes)) values[key] = toAnyValue(attributes[key], limits);
  return otlpJsonResource(values);
}

/**
 * The resource the environment describes, with the OTLP sink's precedence
 * (see `resource.ts`) minus its host/OS/process detectors, which would load
 * `@opentelemetry/resources` into every process: `service.name` from
 * `OTEL_SERVICE_NAME`, else `OTEL_RESOURCE_ATTRIBUTES`, else the npm package
 * name (`npm_package_name`, with `npm_package_version` as
 * `service.version`), else `unknown_service:node`; plus the other
 * `OTEL_RESOURCE_ATTRIBUTES`.
 */
export function defaultResourceAttributes(env: Env): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const app = readEnv(ENV.npmPackageName, env);
  if (app !== '') {
    out['service.name'] = app;
    const version = readEnv(ENV.npmPackageVersion, env);
    if (version !== '') out['service.version'] = version;
  }
  Object.assign(out, readEnv(ENV.resourceAttributes, env));
  const service = readEnv(ENV.serviceName, env);
  if (service !== '') out['service.name'] = service;
  out['service.name'] ??= 'unknown_service:node';
  return out;
}
