import assert from 'node:assert/strict';
import { limitRecordSize } from '../../src/encoders/size-limit.ts';
import { createLogfmtEncoder } from '../../src/encoders/logfmt.ts';
import { createOtlpJsonEncoder } from '../../src/encoders/otlp-json.ts';
import { createPrettyEncoder } from '../../src/encoders/pretty.ts';
import { DEFAULT_LIMITS, type Limits } from '../../src/values/limits.ts';
import { makeRecord } from './record-fixture.ts';

const limits: Limits = { ...DEFAULT_LIMITS, valueLength: 1_000_000, recordSize: 4096 };
const huge = makeRecord({ body: 'm'.repeat(10_000), attributes: { a: 'x'.repeat(10_000), b: '\u0001'.repeat(5000), small: 1 } });

describe('limitRecordSize()', () => {
  it('returns the encoder itself without a finite limit', () => {
    const encode = createLogfmtEncoder();
    assert.equal(limitRecordSize(encode, { ...DEFAULT_LIMITS, recordSize: Infinity }), encode);
  });

  for (const [name, encode] of [
    ['logfmt', createLogfmtEncoder({ limits })],
    ['otlp-json', createOtlpJsonEncoder({ limits, resource: {} })],
    ['pretty', createPrettyEncoder({ limits, colors: false })],
  ] as const) {
    it(`keeps ${name} lines within the record size limit, marked logbridge.truncated`, () => {
      const line = encode(huge);
      assert.ok(line.length <= 4096, `${line.length} chars`);
      assert.ok(line.includes('logbridge.truncated'), line.slice(0, 300));
      assert.ok(line.includes('small'));
    });
  }
});
