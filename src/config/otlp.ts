import { readFileSync } from 'node:fs';
import { ENV, readEnv, type Env, type OtlpProtocol } from './env.ts';
import { diagnoseAlways } from '../core/diagnostics.ts';

/**
 * The OTLP export settings, resolved once: code options first, then the
 * OTEL_* environment, then the specification's defaults.
 */

/** Settings of the OTLP sink; every field optional in code, see {@link OtlpSinkOptions}. */
export interface OtlpConfig {
  /** Full URL of the logs endpoint (`.../v1/logs` for HTTP). */
  readonly url: string;
  /** `http/protobuf` (default), `http/json` or `grpc`. */
  readonly protocol: OtlpProtocol;
  /** Extra request headers (credentials): never printed. */
  readonly headers: Readonly<Record<string, string>>;
  /** Longest wait for one request, ms. */
  readonly timeoutMillis: number;
  /** Request body compression. */
  readonly compression: 'gzip' | 'none';
  /** PEM contents for TLS (CA, client key, client certificate), read at startup. */
  readonly tls: {
    /** Trusted CA certificate(s), PEM. */
    readonly ca?: string;
    /** Client private key for mTLS, PEM. */
    readonly key?: string;
    /** Client certificate for mTLS, PEM. */
    readonly cert?: string;
  };
  /** Longest wait before a partial batch is sent, ms. */
  readonly scheduleDelayMillis: number;
  /** Longest time a batch may take, retries included, before it is dropped (ms). */
  readonly exportTimeoutMillis: number;
  /** Most records waiting; more are dropped and counted (`queue_full`). */
  readonly maxQueueSize: number;
  /** Most records in one export request. */
  readonly maxExportBatchSize: number;
  /** `logbridge` (our delivery and encoder) or `sdk` (the official SDK pipeline, `otel/otlp/sdk-pipeline.ts`). */
  readonly pipeline: 'logbridge' | 'sdk';
}

/** Options of the OTLP sink given in code; they win over the environment. */
export type OtlpSinkOptions = Partial<Omit<OtlpConfig, 'tls'>> & {
  /** TLS material as PEM text (not file names). */
  readonly tls?: OtlpConfig['tls'];
  /** Deadline of the synchronous delivery at process exit, ms (default `LOGBRIDGE_EXIT_TIMEOUT_MS`, 5000). */
  readonly exitTimeoutMillis?: number;
};

const DEFAULT_HTTP = 'http://localhost:4318';
const DEFAULT_GRPC = 'http://localhost:4317';

/** Resolves the settings. Never throws: bad values are reported on stderr and replaced by defaults. */
export function resolveOtlpConfig(env: Env, options: OtlpSinkOptions = {}): OtlpConfig {
  const protocol = options.protocol ?? readEnv(ENV.otlpProtocol, env);
  const maxQueueSize = options.maxQueueSize ?? readEnv(ENV.blrpMaxQueueSize, env);
  let maxExportBatchSize = options.maxExportBatchSize ?? readEnv(ENV.blrpMaxExportBatchSize, env);
  if (maxExportBatchSize > maxQueueSize) maxExportBatchSize = maxQueueSize; // the spec: batch <= queue
  return {
    url: options.url ?? endpointFrom(env, protocol),
    protocol,
    headers: options.headers ?? readEnv(ENV.otlpHeaders, env),
    timeoutMillis: options.timeoutMillis ?? readEnv(ENV.otlpTimeout, env),
    compression: options.compression ?? readEnv(ENV.otlpCompression, env),
    tls: options.tls ?? {
      ca: readPem(setName(ENV.otlpCertificate, env), readEnv(ENV.otlpCertificate, env)),
      key: readPem(setName(ENV.otlpClientKey, env), readEnv(ENV.otlpClientKey, env)),
      cert: readPem(setName(ENV.otlpClientCertificate, env), readEnv(ENV.otlpClientCertificate, env)),
    },
    scheduleDelayMillis: options.scheduleDelayMillis ?? readEnv(ENV.blrpScheduleDelay, env),
    exportTimeoutMillis: options.exportTimeoutMillis ?? readEnv(ENV.blrpExportTimeout, env),
    maxQueueSize,
    maxExportBatchSize,
    pipeline: options.pipeline ?? readEnv(ENV.otlpPipeline, env),
  };
}

/**
 * The logs URL: the signal-specific variable as is; else the generic one
 * with `/v1/logs` appended (HTTP only, as the specification says); else
 * the default.
 */
export function endpointFrom(env: Env, protocol: OtlpProtocol): string {
  const specific = readEnv(ENV.otlpLogsEndpoint, env);
  if (specific !== '') return specific;
  const generic = readEnv(ENV.otlpEndpoint, env);
  if (protocol === 'grpc') return generic !== '' ? generic : DEFAULT_GRPC;
  const base = generic !== '' ? generic : DEFAULT_HTTP;
  return base.replace(/\/+$/, '') + '/v1/logs';
}

/** True when an OTLP endpoint variable is set (then OTLP joins the default sinks). */
export function hasOtlpEndpoint(env: Env): boolean {
  return (env[ENV.otlpLogsEndpoint.name]?.trim() ?? '') !== '' || (env[ENV.otlpEndpoint.name]?.trim() ?? '') !== '';
}

/** The variable that supplied `spec`'s value: its own name, or the fallback that was set. */
function setName(spec: { name: string; fallbacks?: readonly string[] }, env: Env): string {
  return [spec.name, ...(spec.fallbacks ?? [])].find((name) => (env[name]?.trim() ?? '') !== '') ?? spec.name;
}

function readPem(variable: string, file: string): string | undefined {
  if (file === '') return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    diagnoseAlways('INVALID_ENV', `${variable}: cannot read ${JSON.stringify(file)} (${(error as NodeJS.ErrnoException).code ?? 'error'}); ` +
      'using the system defaults');
    return undefined;
  }
}
