import assert from 'node:assert/strict';
import { ENV, readEnv } from '../../src/config/env.ts';
import { captureDiagnostics } from '../helpers/diagnostics.ts';

describe('readEnv()', () => {
  const lines = captureDiagnostics();

  it('parses a set value', () => {
    assert.equal(readEnv(ENV.blrpMaxQueueSize, { OTEL_BLRP_MAX_QUEUE_SIZE: ' 100 ' }), 100);
  });

  it('treats an empty value as unset and reads the fallback', () => {
    assert.equal(readEnv(ENV.otlpProtocol, { OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: '', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), 'grpc');
  });

  it('gives the default for an invalid value and says so once, naming the variable', () => {
    assert.equal(readEnv(ENV.blrpMaxQueueSize, { OTEL_BLRP_MAX_QUEUE_SIZE: 'lots' }), 65_536);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /OTEL_BLRP_MAX_QUEUE_SIZE="lots" is not valid; using the default 65536/);
  });

  it('gives `whenEmpty` for a variable whose presence alone means something (FORCE_COLOR=)', () => {
    assert.equal(readEnv(ENV.forceColor, { FORCE_COLOR: '' }), true);
    assert.equal(readEnv(ENV.forceColor, { FORCE_COLOR: '0' }), false);
    assert.equal(readEnv(ENV.forceColor, {}), undefined);
  });

  it('reads the process variables as they are', () => {
    const env = { NODE_ENV: 'production', NO_COLOR: '1', npm_package_name: 'shop', NODE_OPTIONS: '--unhandled-rejections=warn' };
    assert.equal(readEnv(ENV.nodeEnv, env), 'production');
    assert.equal(readEnv(ENV.noColor, env), true);
    assert.equal(readEnv(ENV.noColor, { NO_COLOR: '' }), false);
    assert.equal(readEnv(ENV.npmPackageName, env), 'shop');
    assert.equal(readEnv(ENV.nodeOptions, env), '--unhandled-rejections=warn');
    assert.deepEqual(lines, []);
  });
});
