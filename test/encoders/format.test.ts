import assert from 'node:assert/strict';
import { createFormatEncoder, resolveFormat } from '../../src/encoders/format.ts';
import { LogbridgeError } from '../../src/errors.ts';
import { ENV, readEnv } from '../../src/env.ts';
import { makeRecord } from './record-fixture.ts';

describe('resolveFormat()', () => {
  it('returns an explicit format as it is', () => {
    assert.equal(resolveFormat('logfmt', 1, {}), 'logfmt');
  });

  it('gives json for auto when the descriptor is not a TTY', () => {
    assert.equal(resolveFormat('auto', 99, {}), 'json');
  });

  it('gives json for auto under NODE_ENV=production', () => {
    assert.equal(resolveFormat('auto', 99, { NODE_ENV: 'production' }), 'json');
  });
});

describe('createFormatEncoder()', () => {
  it('makes the encoder of each format', () => {
    const record = makeRecord();
    assert.ok(createFormatEncoder('json')(record).startsWith('{"timestamp":'));
    assert.ok(createFormatEncoder('pretty', { env: { NO_COLOR: '1' } })(record).startsWith('09:14:03.123 INFO'));
    assert.ok(createFormatEncoder('logfmt')(record).startsWith('timestamp='));
    assert.ok(createFormatEncoder('otlp-json')(record).startsWith('{"resourceLogs":'));
  });

  it('throws LOGBRIDGE_ERR_INVALID_CONFIG for an unknown format', () => {
    assert.throws(() => createFormatEncoder('yaml' as 'json'),
      (e: unknown) => e instanceof LogbridgeError && e.code === 'LOGBRIDGE_ERR_INVALID_CONFIG');
  });
});

describe('ENV.format', () => {
  it('accepts every format name and auto, in any case', () => {
    for (const name of ['json', 'pretty', 'logfmt', 'otlp-json', 'auto']) {
      assert.equal(readEnv(ENV.format, { LOGBRIDGE_FORMAT: name.toUpperCase() }), name);
    }
  });

  it('defaults to auto', () => {
    assert.equal(readEnv(ENV.format, {}), 'auto');
  });
});
