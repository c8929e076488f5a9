import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeLogsRequest, encodeResource } from '../../../src/otel/otlp/protobuf-logs.ts';
import { ProtobufWriter } from '../../../src/otel/otlp/protobuf-writer.ts';
import { mapRecord } from '../../../src/otel/mapping.ts';
import { DEFAULT_LIMITS } from '../../../src/values/limits.ts';
import { makeRecord } from '../../encoders/record-fixture.ts';
import { decodeProtobufLogs } from '../../helpers/otlp-receiver.ts';

describe('otel/otlp/protobuf-values', () => {
  const resource = encodeResource({ 'service.name': 'pb' });

  it('writes every attribute key as its UTF-8 bytes, cached or not: long, multi-byte, lone surrogates (property)', () => {
    const key = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ unit: 'grapheme', minLength: 40, maxLength: 60 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }), fc.integer({ min: 124, max: 131 }).map((n) => 'k'.repeat(n)));
    fc.assert(fc.property(fc.uniqueArray(key, { minLength: 1, maxLength: 5 }), (keys) => {
      const attributes = Object.fromEntries(keys.map((k, i) => [k, i]));
      const expected = Object.fromEntries(keys.map((k, i) => [Buffer.from(k, 'utf8').toString('utf8'), i]));
      // twice: the first request fills the key cache, the second reads it
      for (let round = 0; round < 2; round++) {
        const [decoded] = decodeProtobufLogs(encodeLogsRequest([{ ...mapRecord(makeRecord(), DEFAULT_LIMITS), attributes }], resource, new ProtobufWriter(64)));
        assert.deepEqual(decoded!.attributes, expected);
      }
    }), { numRuns: 300 });
  });

  it('writes keys past the cache\'s size as they are', () => {
    const attributes = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`key-${i}-${'x'.repeat(i % 7)}`, i]));
    const [decoded] = decodeProtobufLogs(encodeLogsRequest([{ ...mapRecord(makeRecord(), DEFAULT_LIMITS), attributes }], resource, new ProtobufWriter(64)));
    assert.deepEqual(decoded!.attributes, attributes);
  });
});
