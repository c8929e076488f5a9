import assert from 'node:assert/strict';
import fc from 'fast-check';
import { otlpJsonLiveRecord, otlpJsonLogRecord, otlpJsonRequest } from '../../../src/otel/otlp/json-logs.ts';
import { liveRecord } from './live-record.ts';
import { mapRecord, type MappedRecord } from '../../../src/otel/mapping.ts';
import { DEFAULT_LIMITS } from '../../../src/values/limits.ts';
import { makeRecord } from '../../encoders/record-fixture.ts';

describe('otel/otlp/json-logs', () => {
  describe('otlpJsonLogRecord()', () => {
    const parse = (record: MappedRecord) => JSON.parse(otlpJsonLogRecord(record)) as Record<string, unknown>;

    it('writes any HrTime as exact decimal nanoseconds, whole microseconds or not (property)', () => {
      fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 34 }), fc.integer({ min: 0, max: 999_999_999 }), (seconds, nanos) => {
        const observed = nanos - (nanos % 1000);
        const record = { ...mapRecord(makeRecord(), DEFAULT_LIMITS), time: [seconds, nanos], observedTime: [seconds, observed] } as MappedRecord;
        const out = parse(record);
        assert.equal(out.timeUnixNano, String(BigInt(seconds) * 1_000_000_000n + BigInt(nanos)));
        assert.equal(out.observedTimeUnixNano, String(BigInt(seconds) * 1_000_000_000n + BigInt(observed)));
      }), { numRuns: 300 });
    });

    it('keeps each record\'s own severity text for a severity number seen before with another text', () => {
      const base = mapRecord(makeRecord(), DEFAULT_LIMITS);
      const texts = ['INFO', 'NOTICE', 'INFO', 'in"fo'].map((severityText) => parse({ ...base, severityNumber: 9, severityText }).severityText);
      assert.deepEqual(texts, ['INFO', 'NOTICE', 'INFO', 'in"fo']);
    });

    it('escapes attribute keys and string values (property)', () => {
      fc.assert(fc.property(fc.dictionary(fc.string(), fc.string()), (attributes) => {
        const record = { ...mapRecord(makeRecord(), DEFAULT_LIMITS), attributes } as MappedRecord;
        const out = parse(record).attributes as Array<{ key: string; value: { stringValue: string } }>;
        assert.deepEqual(Object.fromEntries(out.map((kv) => [kv.key, kv.value.stringValue])), { ...attributes });
      }), { numRuns: 200 });
    });
  });

  describe('otlpJsonLiveRecord()', () => {
    it('writes a record not yet mapped as the text of its mapped record (property)', () => {
      fc.assert(fc.property(liveRecord, fc.integer({ min: 0, max: 8 }), (record, attributeCount) => {
        const limits = { ...DEFAULT_LIMITS, attributeCount };
        assert.equal(otlpJsonLiveRecord(record, limits), otlpJsonLogRecord(mapRecord(record, limits)));
      }), { numRuns: 300 });
    });

    it('keeps the mapped order for an integer-like call key after bound ones (an object lists it first)', () => {
      const record = makeRecord({ bindings: { attributes: { service: 'checkout' }, keys: new Set(['service']) }, attributes: { sku: 'x', 42: 'answer' } });
      const keys = (JSON.parse(otlpJsonLiveRecord(record, DEFAULT_LIMITS)) as { attributes: Array<{ key: string }> }).attributes.map((kv) => kv.key);
      assert.deepEqual(keys, ['42', 'service', 'sku']);
    });
  });

  describe('otlpJsonRequest()', () => {
    it('gives the same request for records not yet mapped as for mapped ones, grouped by scope (property)', () => {
      fc.assert(fc.property(fc.array(liveRecord, { maxLength: 5 }), (records) => {
        const live = otlpJsonRequest(records, '{"attributes":[]}', DEFAULT_LIMITS);
        assert.equal(live, otlpJsonRequest(records.map((r) => mapRecord(r, DEFAULT_LIMITS)), '{"attributes":[]}'));
        JSON.parse(live);
      }), { numRuns: 200 });
    });
  });
});
