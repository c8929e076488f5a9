import { diagnoseAlways } from '../core/diagnostics.ts';
import { REDACT_PATTERN_NAMES, type RedactPatternName } from '../redact/patterns.ts';

/**
 * Every environment variable logbridge reads, in one table. Each entry
 * parses its value or rejects it; a rejected value gives one stderr line
 * naming the variable and the default used, never an exception. Secret
 * values are never echoed. docs/configuration.md mirrors this table.
 */

/** One environment variable: how to parse it and what to use without it. */
export interface EnvVar<T> {
  readonly name: string;
  /** Variables read, in order, when `name` is unset (e.g. `OTEL_ATTRIBUTE_COUNT_LIMIT`). */
  readonly fallbacks?: readonly string[];
  /** The parsed value, or `undefined` when `raw` is invalid. */
  readonly parse: (raw: string) => T | undefined;
  readonly defaultValue: T;
  /** One line for the docs and the configuration printout. */
  readonly description: string;
  /** Never print the value (headers, keys). */
  readonly secret?: boolean;
}

/** The process environment or a stand-in (tests pass plain objects). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads one variable (then its fallbacks). Empty values count as unset, as
 * the OpenTelemetry specification asks. Invalid values are reported once
 * and give the default.
 */
export function readEnv<T>(spec: EnvVar<T>, env: Env = process.env): T {
  for (const name of [spec.name, ...(spec.fallbacks ?? [])]) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const parsed = spec.parse(raw);
    if (parsed !== undefined) return parsed;
    const shown = spec.secret === true ? '(value hidden)' : JSON.stringify(raw.slice(0, 80));
    diagnoseAlways('INVALID_ENV', `${name}=${shown} is not valid; using the default ${describeDefault(spec.defaultValue)}`);
    return spec.defaultValue;
  }
  return spec.defaultValue;
}

function describeDefault(value: unknown): string {
  if (value === Infinity) return '(no limit)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return JSON.stringify(value.join(','));
  if (typeof value === 'object' && value !== null) return Object.keys(value).length === 0 ? '(none)' : '(the built-in value)';
  return String(value);
}

/** Parses a whole number in [min, max]; `Infinity` is not accepted. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (raw: string) => number | undefined {
  return (raw) => {
    if (!/^[+-]?\d+$/.test(raw)) return undefined;
    const n = Number(raw);
    return n >= min && n <= max ? n : undefined;
  };
}

/** Parses `true`/`false` (any case), as the OpenTelemetry specification defines booleans. */
export function boolean(raw: string): boolean | undefined {
  const v = raw.toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

/** Parses one of `values` (case-insensitive). */
export function oneOf<T extends string>(...values: T[]): (raw: string) => T | undefined {
  return (raw) => values.find((v) => v === raw.toLowerCase());
}

/** The log line formats the stdout sink can write (see docs/sinks-and-formats.md). */
export type FormatName = 'json' | 'pretty' | 'logfmt' | 'otlp-json';

/** A format, or `auto`: `pretty` when stdout is a TTY and `NODE_ENV` is not `production`, else `json`. */
export type FormatChoice = FormatName | 'auto';

/** logbridge's own variables and the OpenTelemetry ones the core reads. */
export const ENV = {
  level: {
    name: 'LOGBRIDGE_LEVEL',
    // Parsed leniently by the configuration: valid parts apply, each bad part is reported.
    parse: (raw: string) => raw,
    defaultValue: 'info',
    description: 'Level rules: a default level and per-logger overrides, e.g. `info,db=debug,http.client=warn`.',
  },
  format: {
    name: 'LOGBRIDGE_FORMAT',
    parse: oneOf<FormatChoice>('auto', 'json', 'pretty', 'logfmt', 'otlp-json'),
    defaultValue: 'auto' as FormatChoice,
    description: 'Line format of the stdout sink: `json`, `pretty`, `logfmt`, `otlp-json`, or `auto` (the default: ' +
      '`pretty` when stdout is a TTY and `NODE_ENV` is not `production`, otherwise `json`).',
  },
  attributeCountLimit: {
    name: 'OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT',
    fallbacks: ['OTEL_ATTRIBUTE_COUNT_LIMIT'],
    parse: integer(0),
    defaultValue: 128,
    description: 'Most attributes per record; the rest are dropped and counted (`dropped_attributes_count`).',
  },
  attributeValueLengthLimit: {
    name: 'OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT',
    fallbacks: ['OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'],
    parse: integer(1),
    defaultValue: 16_384,
    description: 'Longest string attribute value, in characters; longer values are cut (OTel default: no limit).',
  },
  recordSizeLimit: {
    name: 'LOGBRIDGE_RECORD_SIZE_LIMIT',
    parse: integer(1024),
    defaultValue: 262_144,
    description: 'Longest encoded record, in characters; a bigger one is cut down and marked (`logbridge.truncated`).',
  },
  redact: {
    name: 'LOGBRIDGE_REDACT',
    parse: onOff,
    defaultValue: true,
    description: 'Redaction of secrets (keys, paths, value patterns): `on` (default) or `off`. See docs/security.md.',
  },
  redactKeys: {
    name: 'LOGBRIDGE_REDACT_KEYS',
    parse: list,
    defaultValue: [] as string[],
    description: 'Comma list of key names to redact, added to the default list (`authorization`, `password`, `token`, ...).',
  },
  redactPaths: {
    name: 'LOGBRIDGE_REDACT_PATHS',
    parse: list,
    defaultValue: [] as string[],
    description: 'Comma list of attribute paths to redact, `*` for any one key: `user.*.ssn,headers.x-session`.',
  },
  redactMode: {
    name: 'LOGBRIDGE_REDACT_MODE',
    parse: oneOf('mask', 'remove'),
    defaultValue: 'mask' as 'mask' | 'remove',
    description: '`mask` (default: the value becomes `[REDACTED]`) or `remove` (the key is left out).',
  },
  redactPatterns: {
    name: 'LOGBRIDGE_REDACT_PATTERNS',
    parse: redactPatterns,
    defaultValue: true as boolean | RedactPatternName[],
    description: 'Value patterns masked inside strings: `on` (default: all), `off`, or a comma list of ' +
      '`bearer`, `jwt`, `url-credentials`, `key-value`, `card`.',
  },
  crashHandlers: {
    name: 'LOGBRIDGE_CRASH_HANDLERS',
    parse: boolean,
    defaultValue: false,
    description: '`true` installs the crash and signal handlers at startup (uncaught exceptions and unhandled ' +
      'rejections give a FATAL record; SIGTERM/SIGINT flush every sink), as `installCrashHandlers()` does; ' +
      'see docs/errors-and-crashes.md. Default `false`.',
  },
  exitTimeout: {
    name: 'LOGBRIDGE_EXIT_TIMEOUT_MS',
    parse: integer(0, 600_000),
    defaultValue: 5000,
    description: 'Longest wait, in ms, for the sinks to deliver when the process ends (crash, SIGTERM/SIGINT, ' +
      'natural end); past it the process ends anyway and what is left is counted as undelivered.',
  },
  // --- OpenTelemetry SDK and OTLP export (read by src/config/otlp.ts; see docs/configuration.md) ---
  sdkDisabled: {
    name: 'OTEL_SDK_DISABLED',
    parse: boolean,
    defaultValue: false,
    description: '`true` turns OTLP export off (no SDK is loaded); stdout lines stay.',
  },
  serviceName: {
    name: 'OTEL_SERVICE_NAME',
    parse: (raw: string) => raw,
    defaultValue: '',
    description: 'Resource `service.name`; wins over `OTEL_RESOURCE_ATTRIBUTES` (default: the app\'s package.json name, else `unknown_service:node`).',
  },
  resourceAttributes: {
    name: 'OTEL_RESOURCE_ATTRIBUTES',
    parse: keyValueList,
    defaultValue: {} as Record<string, string>,
    description: 'Resource attributes, `key=value` pairs separated by commas, values percent-encoded.',
  },
  logsExporter: {
    name: 'OTEL_LOGS_EXPORTER',
    parse: exporterList,
    defaultValue: [] as ExporterName[],
    description: 'Comma list of `console` (stdout lines), `otlp`, `none`. Unset: stdout, plus OTLP when an OTLP endpoint variable is set.',
  },
  otlpLogsEndpoint: {
    name: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
    parse: url,
    defaultValue: '',
    description: 'Logs endpoint, used as is (e.g. `http://collector:4318/v1/logs`).',
  },
  otlpEndpoint: {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    parse: url,
    defaultValue: '',
    description: 'Base endpoint of all signals; `/v1/logs` is appended for HTTP (default `http://localhost:4318`, gRPC `http://localhost:4317`).',
  },
  otlpProtocol: {
    name: 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL',
    fallbacks: ['OTEL_EXPORTER_OTLP_PROTOCOL'],
    parse: oneOf<OtlpProtocol>('http/protobuf', 'http/json', 'grpc'),
    defaultValue: 'http/protobuf' as OtlpProtocol,
    description: '`http/protobuf` (default), `http/json` or `grpc` (needs `@opentelemetry/exporter-logs-otlp-grpc` installed).',
  },
  otlpHeaders: {
    name: 'OTEL_EXPORTER_OTLP_LOGS_HEADERS',
    fallbacks: ['OTEL_EXPORTER_OTLP_HEADERS'],
    parse: keyValueList,
    defaultValue: {} as Record<string, string>,
    description: 'Request headers, `key=value` pairs separated by commas, values percent-encoded. Never printed.',
    secret: true,
  },
  otlpTimeout: {
    name: 'OTEL_EXPORTER_OTLP_LOGS_TIMEOUT',
    fallbacks: ['OTEL_EXPORTER_OTLP_TIMEOUT'],
    parse: integer(1),
    defaultValue: 10_000,
    description: 'Longest wait for one export request, in milliseconds.',
  },
  otlpCompression: {
    name: 'OTEL_EXPORTER_OTLP_LOGS_COMPRESSION',
    fallbacks: ['OTEL_EXPORTER_OTLP_COMPRESSION'],
    parse: oneOf<'gzip' | 'none'>('gzip', 'none'),
    defaultValue: 'none' as 'gzip' | 'none',
    description: '`gzip` or `none` (default).',
  },
  otlpCertificate: {
    name: 'OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE',
    fallbacks: ['OTEL_EXPORTER_OTLP_CERTIFICATE'],
    parse: (raw: string) => raw,
    defaultValue: '',
    description: 'PEM file of the CA certificate(s) to trust for the collector\'s TLS certificate.',
  },
  otlpClientKey: {
    name: 'OTEL_EXPORTER_OTLP_LOGS_CLIENT_KEY',
    fallbacks: ['OTEL_EXPORTER_OTLP_CLIENT_KEY'],
    parse: (raw: string) => raw,
    defaultValue: '',
    description: 'PEM file of the client\'s private key, for mTLS.',
  },
  otlpClientCertificate: {
    name: 'OTEL_EXPORTER_OTLP_LOGS_CLIENT_CERTIFICATE',
    fallbacks: ['OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE'],
    parse: (raw: string) => raw,
    defaultValue: '',
    description: 'PEM file of the client\'s certificate chain, for mTLS.',
  },
  blrpScheduleDelay: {
    name: 'OTEL_BLRP_SCHEDULE_DELAY',
    parse: integer(0),
    defaultValue: 1000,
    description: 'Longest wait before a partly filled batch is exported, in milliseconds.',
  },
  blrpExportTimeout: {
    name: 'OTEL_BLRP_EXPORT_TIMEOUT',
    parse: integer(1),
    defaultValue: 30_000,
    description: 'Longest time one batch may spend being exported, retries included, before it counts as failed.',
  },
  blrpMaxQueueSize: {
    name: 'OTEL_BLRP_MAX_QUEUE_SIZE',
    parse: integer(1),
    // OTel's 2048 drops most of a 10,000-call burst; see docs/configuration.md for the memory bound.
    defaultValue: 32_768,
    description: 'Most records waiting for export; beyond it new records are dropped and counted (OTel default 2048; ours 32768).',
  },
  blrpMaxExportBatchSize: {
    name: 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE',
    parse: integer(1),
    defaultValue: 512,
    description: 'Most records in one export request.',
  },
  otlpEncoder: {
    name: 'LOGBRIDGE_OTLP_ENCODER',
    parse: oneOf<'direct' | 'sdk'>('direct', 'sdk'),
    defaultValue: 'direct' as 'direct' | 'sdk',
    description: 'How records become OTLP: `direct` (the bridge builds the SDK\'s record form; faster) or `sdk` (through an ' +
      '`@opentelemetry/sdk-logs` LoggerProvider, the reference path). Same bytes on the wire.',
  },
  configFile: {
    name: 'OTEL_CONFIG_FILE',
    fallbacks: ['OTEL_EXPERIMENTAL_CONFIG_FILE'],
    parse: (raw: string) => raw,
    defaultValue: '',
    description: 'Declarative configuration file (YAML or JSON); its logger provider settings are applied, env vars still substituted. ' +
      '`OTEL_EXPERIMENTAL_CONFIG_FILE` is accepted with a deprecation warning.',
  },
} satisfies Record<string, EnvVar<unknown>>;

/** Parses `on`/`off`/`true`/`false` (any case). */
export function onOff(raw: string): boolean | undefined {
  const v = raw.toLowerCase();
  return v === 'on' || v === 'true' ? true : v === 'off' || v === 'false' ? false : undefined;
}

/** Parses a comma list; empty items are ignored. */
export function list(raw: string): string[] {
  return raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** OTLP transport protocols (`OTEL_EXPORTER_OTLP_PROTOCOL`). */
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

/** Values of `OTEL_LOGS_EXPORTER`. */
export type ExporterName = 'console' | 'otlp' | 'none';

/** Parses a comma list of known exporter names; any unknown name makes the whole value invalid. */
export function exporterList(raw: string): ExporterName[] | undefined {
  const names = list(raw.toLowerCase());
  const known = ['console', 'otlp', 'none'];
  return names.length > 0 && names.every((n) => known.includes(n)) ? names as ExporterName[] : undefined;
}

/**
 * Parses the W3C-baggage-like `key=value,key2=value2` lists of
 * `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_EXPORTER_OTLP_HEADERS`: keys and
 * values trimmed and percent-decoded. One malformed pair makes the whole
 * value invalid, as the specification asks for resource attributes.
 */
export function keyValueList(raw: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    try {
      const key = decodeURIComponent(part.slice(0, eq).trim());
      if (key === '') return undefined;
      out[key] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return out;
}

/** Parses an absolute http(s) URL. */
export function url(raw: string): string | undefined {
  try {
    const parsed = new URL(raw);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? raw : undefined;
  } catch {
    return undefined;
  }
}

function redactPatterns(raw: string): boolean | RedactPatternName[] | undefined {
  const toggle = onOff(raw);
  if (toggle !== undefined) return toggle;
  const names = list(raw.toLowerCase());
  const known: readonly string[] = REDACT_PATTERN_NAMES;
  return names.every((name) => known.includes(name)) ? names as RedactPatternName[] : undefined;
}
