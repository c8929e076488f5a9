import assert from 'node:assert/strict';
import { resolveOtlpConfig, endpointFrom } from '../../src/config/otlp.ts';
import { selectDefaultExporters } from '../../src/config/exporters.ts';
import { keyValueList } from '../../src/config/env.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';
import { captureDiagnostics } from '../helpers/diagnostics.ts';

describe('resolveOtlpConfig()', () => {
  const lines = captureDiagnostics();

  const cases: Array<[string, Record<string, string>, Record<string, unknown>]> = [
    ['uses the specification defaults', {}, {
      url: 'http://localhost:4318/v1/logs', protocol: 'http/protobuf', timeoutMillis: 10_000, compression: 'none',
      scheduleDelayMillis: 1000, exportTimeoutMillis: 30_000, maxQueueSize: 65_536, maxExportBatchSize: 512, headers: {},
    }],
    ['appends /v1/logs to the generic endpoint', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }, { url: 'http://c:4318/v1/logs' }],
    ['keeps a path prefix of the generic endpoint', { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c/otlp' }, { url: 'https://c/otlp/v1/logs' }],
    ['uses the logs endpoint as is and prefers it', {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://c:9000/custom',
    }, { url: 'http://c:9000/custom' }],
    ['does not append a path for gRPC', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      { url: 'http://c:4317', protocol: 'grpc' }],
    ['prefers the logs-specific protocol', { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json' },
      { protocol: 'http/json', url: 'http://localhost:4318/v1/logs' }],
    ['percent-decodes headers', { OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic%20abc%3D, x-tenant = acme' },
      { headers: { Authorization: 'Basic abc=', 'x-tenant': 'acme' } }],
    ['takes logs headers instead of the generic ones', {
      OTEL_EXPORTER_OTLP_HEADERS: 'a=1', OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'b=2',
    }, { headers: { b: '2' } }],
    ['reads timeout and compression, logs-specific first', {
      OTEL_EXPORTER_OTLP_TIMEOUT: '500', OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'gzip', OTEL_EXPORTER_OTLP_COMPRESSION: 'none',
    }, { timeoutMillis: 500, compression: 'gzip' }],
    ['reads the batch settings', {
      OTEL_BLRP_SCHEDULE_DELAY: '5', OTEL_BLRP_EXPORT_TIMEOUT: '100', OTEL_BLRP_MAX_QUEUE_SIZE: '64', OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '16',
    }, { scheduleDelayMillis: 5, exportTimeoutMillis: 100, maxQueueSize: 64, maxExportBatchSize: 16 }],
    ['caps the batch size at the queue size', { OTEL_BLRP_MAX_QUEUE_SIZE: '10', OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '100' },
      { maxQueueSize: 10, maxExportBatchSize: 10 }],
    ['treats empty values as unset', { OTEL_EXPORTER_OTLP_PROTOCOL: '', OTEL_BLRP_MAX_QUEUE_SIZE: ' ' },
      { protocol: 'http/protobuf', maxQueueSize: 65_536 }],
  ];
  for (const [behaviour, env, expected] of cases) {
    it(behaviour, () => {
      const config = resolveOtlpConfig(env) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(config[key], value, key);
      assert.deepEqual(lines, []);
    });
  }

  const invalid: Array<[string, string, RegExp]> = [
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/xml', /OTEL_EXPORTER_OTLP_PROTOCOL="http\/xml" is not valid; using the default "http\/protobuf"/],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318', /OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318" is not valid/],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', '10s', /OTEL_EXPORTER_OTLP_TIMEOUT="10s" is not valid; using the default 10000/],
    ['OTEL_EXPORTER_OTLP_COMPRESSION', 'zstd', /OTEL_EXPORTER_OTLP_COMPRESSION="zstd" is not valid; using the default "none"/],
    ['OTEL_BLRP_MAX_QUEUE_SIZE', '-1', /OTEL_BLRP_MAX_QUEUE_SIZE="-1" is not valid; using the default 65536/],
    ['OTEL_BLRP_SCHEDULE_DELAY', 'soon', /OTEL_BLRP_SCHEDULE_DELAY="soon" is not valid; using the default 1000/],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'api-key', /OTEL_EXPORTER_OTLP_HEADERS=\(value hidden\) is not valid/],
    ['OTEL_EXPORTER_OTLP_CERTIFICATE', '/nonexistent/ca.pem', /OTEL_EXPORTER_OTLP_CERTIFICATE: cannot read "\/nonexistent\/ca.pem" \(ENOENT\)/],
  ];
  for (const [name, value, message] of invalid) {
    it(`reports an invalid ${name} in one line and uses the default`, () => {
      assert.doesNotThrow(() => resolveOtlpConfig({ [name]: value }));
      assert.equal(lines.length, 1, lines.join(''));
      assert.match(lines[0]!, message);
    });
  }

  it('never prints a header value, even a malformed one', () => {
    resolveOtlpConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%ZZsecret' });
    assert.equal(lines.length, 1);
    assert.ok(!lines[0]!.includes('secret'));
  });

  it('lets code options win over the environment', () => {
    const config = resolveOtlpConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_BLRP_MAX_QUEUE_SIZE: '5' },
      { protocol: 'http/json', maxQueueSize: 100, url: 'http://x/y' });
    assert.deepEqual([config.protocol, config.maxQueueSize, config.url], ['http/json', 100, 'http://x/y']);
  });
});

describe('endpointFrom()', () => {
  it('gives the gRPC default port for grpc', () => {
    assert.equal(endpointFrom({}, 'grpc'), 'http://localhost:4317');
  });
});

describe('keyValueList()', () => {
  const cases: Array<[string, Record<string, string> | undefined]> = [
    ['a=1,b=2', { a: '1', b: '2' }],
    [' a = x%2Cy ,, b=', { a: 'x,y', b: '' }],
    ['k=v=w', { k: 'v=w' }],
    ['novalue', undefined],
    ['=v', undefined],
    ['a=%E0%A4%A', undefined],
  ];
  for (const [raw, expected] of cases) {
    it(`parses ${JSON.stringify(raw)}`, () => assert.deepEqual(keyValueList(raw), expected));
  }
});

describe('selectDefaultExporters()', () => {
  const cases: Array<[string, Record<string, string>, { console: boolean; otlp: boolean }]> = [
    ['stdout only without any variable', {}, { console: true, otlp: false }],
    ['adds OTLP when the generic endpoint is set', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }, { console: true, otlp: true }],
    ['adds OTLP when the logs endpoint is set', { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://c/v1/logs' }, { console: true, otlp: true }],
    ['lets OTEL_LOGS_EXPORTER=otlp decide alone', { OTEL_LOGS_EXPORTER: 'otlp' }, { console: false, otlp: true }],
    ['lets OTEL_LOGS_EXPORTER=console decide alone', { OTEL_LOGS_EXPORTER: 'console', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c' },
      { console: true, otlp: false }],
    ['takes a comma list', { OTEL_LOGS_EXPORTER: 'console, otlp' }, { console: true, otlp: true }],
    ['sends nowhere with none', { OTEL_LOGS_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c' }, { console: false, otlp: false }],
    ['turns OTLP off with OTEL_SDK_DISABLED', { OTEL_SDK_DISABLED: 'true', OTEL_LOGS_EXPORTER: 'otlp,console' },
      { console: true, otlp: false }],
  ];
  for (const [behaviour, env, expected] of cases) it(behaviour, () => assert.deepEqual(selectDefaultExporters(env), expected));

  it('falls back to the default for an unknown exporter name, with one line', () => {
    const lines: string[] = [];
    setDiagnosticSink((line) => lines.push(line));
    try {
      assert.deepEqual(selectDefaultExporters({ OTEL_LOGS_EXPORTER: 'zipkin', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c' }),
        { console: true, otlp: true });
      assert.equal(lines.length, 1);
      assert.match(lines[0]!, /OTEL_LOGS_EXPORTER="zipkin" is not valid/);
    } finally {
      setDiagnosticSink(undefined);
    }
  });
});
