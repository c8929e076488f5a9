import type { AnyValue } from '@opentelemetry/api';
import type { Limits } from '../../values/limits.ts';
import type { Env } from '../../config/env.ts';
import type { OtlpConfig } from '../../config/otlp.ts';
import { OtlpEncoder, toReadableLogRecords, type EncoderInput, type PartialSuccess } from './encoder.ts';
import { createHttpTransport, type SendResult, type Transport } from './http-transport.ts';
import { createResourceAttributes, ownVersion } from '../resource.ts';

/**
 * The heavy half of the OTLP sink, loaded with `import()` the first time
 * an OTLP sink starts: resource detection, the encoder and the
 * transport for the configured protocol (gRPC pulls its package only here).
 * The default pipeline; `sdk-pipeline.ts` is the official one.
 */

/** The result of exporting one batch. */
export type ExportResult = SendResult & { readonly partial?: PartialSuccess | undefined };

/** Sends batches of records; never rejects. */
export interface OtlpExporter {
  /** The resource attributes in use (for the exit path and the configuration printout). */
  readonly resource: Readonly<Record<string, AnyValue>>;
  send(records: readonly EncoderInput[]): Promise<ExportResult>;
  /** Synchronous encoding to the request body (HTTP protocols only), for the exit path. */
  readonly encode?: (records: readonly EncoderInput[]) => Uint8Array;
  /** The request's content type (HTTP protocols only). */
  readonly contentType?: string;
  /** The User-Agent the exit child sends these bodies with (HTTP protocols only). */
  readonly exitUserAgent?: string;
  shutdown(): Promise<void>;
}

/** The resource to use: `exact` as is, or detected with `extra` laid over it. */
export interface ResourceChoice {
  readonly exact?: Readonly<Record<string, AnyValue>> | undefined;
  readonly extra?: Readonly<Record<string, AnyValue>> | undefined;
}

/** The User-Agent of logbridge's OTLP requests, with its version; the exit child's says `; exit`. */
export function otlpUserAgent(exit = false): string {
  return `logbridge/${ownVersion() || 'unknown'} (OTLP logs${exit ? '; exit' : ''})`;
}

/** Builds the exporter for `config`; rejects only when the gRPC package cannot be loaded. */
export async function createOtlpExporter(
  config: OtlpConfig,
  limits: Limits,
  env: Env,
  instanceId: string,
  resourceChoice: ResourceChoice = {},
): Promise<OtlpExporter> {
  const resource = resourceChoice.exact ?? await createResourceAttributes(env, instanceId, resourceChoice.extra);
  const json = config.protocol === 'http/json';
  const encoder = new OtlpEncoder(resource, limits, json ? 'json' : 'protobuf');
  if (config.protocol === 'grpc') return createGrpcExporter(config, encoder, resource);
  const contentType = json ? 'application/json' : 'application/x-protobuf';
  const transport: Transport = createHttpTransport(config, contentType, otlpUserAgent());
  return {
    resource,
    contentType,
    exitUserAgent: otlpUserAgent(true),
    encode: (records) => encoder.encode(records),
    async send(records) {
      const body = encoder.encode(records);
      if (body.length === 0) return { kind: 'ok', body };
      const result = await transport(body);
      return result.kind === 'ok' ? { ...result, partial: encoder.decodeResponse(result.body) } : result;
    },
    shutdown: () => Promise.resolve(),
  };
}

interface GrpcExporter {
  export(records: unknown[], done: (result: { code: number; error?: Error & { code?: unknown } }) => void): void;
  shutdown(): Promise<void>;
}

// gRPC status codes worth another attempt (the OTLP specification's list).
const GRPC_RETRYABLE = new Set([1, 4, 8, 10, 11, 14, 15]);

async function createGrpcExporter(
  config: OtlpConfig,
  encoder: OtlpEncoder,
  resource: Readonly<Record<string, AnyValue>>,
): Promise<OtlpExporter> {
  const name = '@opentelemetry/exporter-logs-otlp-grpc';
  // a variable specifier: the package is an optional peer, loaded only for protocol grpc
  const module = (await import(name)) as { OTLPLogExporter: new (options: object) => GrpcExporter };
  // the SDK's Resource only for this exporter, which loads the SDK anyway
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const sdkResource = resourceFromAttributes(resource);
  const exporter = new module.OTLPLogExporter({
    url: config.url, timeoutMillis: config.timeoutMillis, compression: config.compression,
  });
  return {
    resource,
    send(records) {
      return new Promise<ExportResult>((resolve) => {
        exporter.export(toReadableLogRecords(encoder.map(records), sdkResource), (result) => {
          if (result.code === 0) resolve({ kind: 'ok', body: new Uint8Array(0) });
          else {
            const code = result.error?.code;
            const reason = `gRPC ${typeof code === 'number' ? `status ${code}` : (result.error?.message ?? 'failure')}`;
            resolve(typeof code === 'number' && !GRPC_RETRYABLE.has(code) ? { kind: 'fail', reason } : { kind: 'retry', reason });
          }
        });
      });
    },
    shutdown: () => exporter.shutdown().catch(() => undefined),
  };
}
