import assert from 'node:assert/strict';
import { formatConfiguration, getEffectiveConfiguration } from '../../src/config/effective-config.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';

describe('getEffectiveConfiguration()', () => {
  it('lists every variable with its source and the default sinks', () => {
    const config = getEffectiveConfiguration({});
    assert.deepEqual(config.sinks, ['stdout']);
    assert.equal(config.otlp, undefined);
    const queue = config.variables.find((v) => v.name === 'OTEL_BLRP_MAX_QUEUE_SIZE');
    assert.deepEqual(queue, { name: 'OTEL_BLRP_MAX_QUEUE_SIZE', value: '65536', source: 'default' });
  });

  it('masks header values everywhere, keeping their names', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cret,x-tenant=t1' };
    const config = getEffectiveConfiguration(env);
    const text = formatConfiguration(config);
    assert.ok(!text.includes('s3cret') && !text.includes('t1'), text);
    assert.match(text, /OTEL_EXPORTER_OTLP_LOGS_HEADERS=authorization=\*\*\*,x-tenant=\*\*\* \(from OTEL_EXPORTER_OTLP_HEADERS\)/);
    assert.deepEqual(config.otlp?.headers, { authorization: '***', 'x-tenant': '***' });
    assert.equal(config.otlp?.url, 'http://c:4318/v1/logs');
    assert.deepEqual(config.sinks, ['stdout', 'otlp']);
  });

  it('marks invalid values without reporting them again', () => {
    const lines: string[] = [];
    setDiagnosticSink((line) => lines.push(line));
    try {
      const config = getEffectiveConfiguration({ OTEL_LOGS_EXPORTER: 'otlp', OTEL_BLRP_SCHEDULE_DELAY: 'soon' });
      const delay = config.variables.find((v) => v.name === 'OTEL_BLRP_SCHEDULE_DELAY');
      assert.deepEqual(delay, { name: 'OTEL_BLRP_SCHEDULE_DELAY', value: '1000', source: 'invalid' });
      assert.match(formatConfiguration(config), /OTEL_BLRP_SCHEDULE_DELAY=1000 \(invalid value set: default used\)/);
      assert.deepEqual(lines, []);
    } finally {
      setDiagnosticSink(undefined);
    }
  });
});
