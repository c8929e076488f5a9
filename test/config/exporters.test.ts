import assert from 'node:assert/strict';
import { selectDefaultExporters } from '../../src/config/exporters.ts';
import { captureDiagnostics } from '../helpers/diagnostics.ts';

describe('selectDefaultExporters()', () => {
  const lines = captureDiagnostics();

  const ENDPOINT = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };

  it('gives stdout alone without any variable', () => {
    assert.deepEqual(selectDefaultExporters({}), { console: true, otlp: false });
  });

  it('adds OTLP when an endpoint variable is set, generic or logs-specific', () => {
    assert.deepEqual(selectDefaultExporters(ENDPOINT), { console: true, otlp: true });
    assert.deepEqual(selectDefaultExporters({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://c/v1/logs' }), { console: true, otlp: true });
  });

  it('lets OTEL_LOGS_EXPORTER decide alone when it is set', () => {
    assert.deepEqual(selectDefaultExporters({ ...ENDPOINT, OTEL_LOGS_EXPORTER: 'console' }), { console: true, otlp: false });
    assert.deepEqual(selectDefaultExporters({ OTEL_LOGS_EXPORTER: 'otlp' }), { console: false, otlp: true });
    assert.deepEqual(selectDefaultExporters({ ...ENDPOINT, OTEL_LOGS_EXPORTER: 'none' }), { console: false, otlp: false });
  });

  it('never selects OTLP with OTEL_SDK_DISABLED=true', () => {
    assert.deepEqual(selectDefaultExporters({ ...ENDPOINT, OTEL_LOGS_EXPORTER: 'otlp,console', OTEL_SDK_DISABLED: 'true' }), { console: true, otlp: false });
  });

  it('falls back to the unset behaviour, and says so, for an invalid OTEL_LOGS_EXPORTER', () => {
    assert.deepEqual(selectDefaultExporters({ OTEL_LOGS_EXPORTER: 'zipkin' }), { console: true, otlp: false });
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /OTEL_LOGS_EXPORTER="zipkin" is not valid/);
  });
});
