import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile } from '../../src/config/config-file.ts';
import { captureDiagnostics } from '../helpers/diagnostics.ts';

const dir = mkdtempSync(join(tmpdir(), 'logbridge-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const FULL = `
file_format: "1.0"
resource:
  attributes:
    - name: service.name
      value: from-file
    - name: replicas
      value: 3
      type: int
  attributes_list: "team=core,service.name=ignored"
logger_provider:
  processors:
    - batch:
        schedule_delay: 50
        max_queue_size: 999
        exporter:
          otlp_http:
            endpoint: \${RECEIVER:-http://127.0.0.1:1}/v1/logs
            encoding: json
            compression: gzip
            timeout: 1500
            headers:
              - name: api-key
                value: s3cret
    - simple:
        exporter:
          console: {}
  limits:
    attribute_count_limit: 16
`;

describe('loadConfigFile()', () => {
  const lines = captureDiagnostics();

  it('returns undefined when no file is named', () => {
    assert.equal(loadConfigFile({}), undefined);
  });

  it('maps the logger provider, resource and limits, substituting ${VAR:-default} from process.env', () => {
    const path = file('full.yaml', FULL);
    process.env.RECEIVER = 'http://127.0.0.1:4318';
    let config;
    try {
      config = loadConfigFile({ OTEL_CONFIG_FILE: path });
    } finally {
      delete process.env.RECEIVER;
    }
    assert.ok(config);
    assert.equal(config.console, true);
    assert.deepEqual(config.otlp, {
      protocol: 'http/json', url: 'http://127.0.0.1:4318/v1/logs', headers: { 'api-key': 's3cret' }, compression: 'gzip',
      timeoutMillis: 1500, scheduleDelayMillis: 50, maxQueueSize: 999,
    });
    assert.deepEqual(config.resource, { 'service.name': 'from-file', replicas: 3, team: 'core' });
    assert.deepEqual(config.limits, { attributeCount: 16 });
    assert.deepEqual(lines, []);
  });

  it('turns stdout off when the logger provider lists no console exporter', () => {
    const path = file('otlp-only.yaml', 'file_format: "1.0"\nlogger_provider:\n  processors:\n    - batch:\n        exporter:\n          otlp_grpc: {}\n');
    const config = loadConfigFile({ OTEL_CONFIG_FILE: path });
    assert.equal(config?.console, false);
    assert.deepEqual(config?.otlp, { protocol: 'grpc', url: 'http://localhost:4317', headers: {} });
  });

  it('keeps stdout and adds no OTLP when the file has no logger provider', () => {
    const config = loadConfigFile({ OTEL_CONFIG_FILE: file('none.yaml', 'file_format: "1.0"\n') });
    assert.deepEqual([config?.console, config?.otlp], [true, false]);
  });

  it('exports nothing over OTLP when the file says disabled', () => {
    const config = loadConfigFile({ OTEL_CONFIG_FILE: file('off.yaml', FULL.replace('file_format: "1.0"', 'file_format: "1.0"\ndisabled: true')) });
    assert.equal(config?.otlp, false);
  });

  it('reads OTEL_EXPERIMENTAL_CONFIG_FILE with a deprecation warning', () => {
    const config = loadConfigFile({ OTEL_EXPERIMENTAL_CONFIG_FILE: file('old.yaml', 'file_format: "1.0"\n') });
    assert.ok(config);
    assert.match(lines.join(''), /OTEL_EXPERIMENTAL_CONFIG_FILE is deprecated; use OTEL_CONFIG_FILE/);
  });

  it('reports a missing file in one line and falls back to the environment', () => {
    assert.equal(loadConfigFile({ OTEL_CONFIG_FILE: join(dir, 'missing.yaml') }), undefined);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /OTEL_CONFIG_FILE=".*missing.yaml" cannot be used \(ENOENT\); using the environment variables instead/);
  });

  it('reports an invalid file in one line without its secrets', () => {
    const path = file('bad.yaml', 'file_format: "1.0"\nlogger_provider:\n  processors: "api-key=s3cret"\n');
    assert.equal(loadConfigFile({ OTEL_CONFIG_FILE: path }), undefined);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /cannot be used/);
    assert.ok(!lines[0]!.includes('s3cret'));
  });
});
