import type { EnvVar } from './variable.ts';
import type { ExporterName, OtlpProtocol } from './variable.ts';
import { integer, boolean, oneOf, exporterList, keyValueList, url } from './variable.ts';

/** The OpenTelemetry variables logbridge reads, a part of the one table in env.ts (docs/configuration.md). */
export const OTEL_VARIABLES = {
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
    defaultValue: 65_536,
    description: 'Most records waiting for export; beyond it new records are dropped and counted (OTel default 2048; ours 65536).',
  },
  blrpMaxExportBatchSize: {
    name: 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE',
    parse: integer(1),
    defaultValue: 512,
    description: 'Most records in one export request.',
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
