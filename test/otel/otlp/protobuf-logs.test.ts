import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeLogsRequest, encodeResource } from '../../../src/otel/otlp/protobuf-logs.ts';
import { ProtobufWriter } from '../../../src/otel/otlp/protobuf-writer.ts';
import { mapRecord, type MappedRecord } from '../../../src/otel/mapping.ts';
import { DEFAULT_LIMITS } from '../../../src/values/limits.ts';
import { liveRecord } from './live-record.ts';
import { makeRecord } from '../../encoders/record-fixture.ts';
import { decodeProtobufLogs } from '../../helpers/otlp-receiver.ts';

describe('otel/otlp/protobuf-logs', () => {
  const resource = encodeResource({ 'service.name': 'pb' });
  const encode = (records: MappedRecord[]) => decodeProtobufLogs(encodeLogsRequest(records, resource, new ProtobufWriter(64)));

  it('writes any HrTime as exact fixed64 nanoseconds, whole microseconds or not (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 999_999_999 }), (seconds, nanos) => {
      const record = { ...mapRecord(makeRecord(), DEFAULT_LIMITS), time: [seconds, nanos], observedTime: [seconds, nanos - (nanos % 1000)] } as MappedRecord;
      const [decoded] = encode([record]);
      assert.equal(decoded!.timeUnixNano, BigInt(seconds) * 1_000_000_000n + BigInt(nanos));
      assert.equal(decoded!.observedTimeUnixNano, BigInt(seconds) * 1_000_000_000n + BigInt(nanos - (nanos % 1000)));
    }), { numRuns: 300 });
  });

  it('keeps each record\'s own severity for a severity number seen before with another text', () => {
    const base = mapRecord(makeRecord(), DEFAULT_LIMITS);
    const severities: Array<[number, string]> = [[9, 'INFO'], [9, 'NOTICE'], [9, 'INFO'], [9, ''], [0, 'INFO'], [17, 'ERROR'], [17, 'ERROR']];
    const decoded = encode(severities.map(([severityNumber, severityText]) => ({ ...base, severityNumber, severityText })));
    assert.deepEqual(decoded.map((r) => [r.severityNumber, r.severityText]), severities);
  });

  it('groups by scope in first-seen order and leaves out an absent event name', () => {
    const records = ['a', 'b', 'a'].map((scope) => mapRecord(makeRecord({ scope, eventName: '' }), DEFAULT_LIMITS));
    const decoded = encode(records);
    assert.deepEqual(decoded.map((r) => [r.scope.name, r.eventName]), [['a', ''], ['a', ''], ['b', '']]);
  });

  // Records written straight from the LogRecord must give the bytes of mapping them first.
  it('writes a record not yet mapped as the bytes of its mapped record (property)', () => {
    fc.assert(fc.property(fc.array(liveRecord, { maxLength: 5 }), fc.integer({ min: 0, max: 8 }), (records, attributeCount) => {
      const limits = { ...DEFAULT_LIMITS, attributeCount };
      const live = encodeLogsRequest(records, resource, new ProtobufWriter(64), limits);
      const mapped = encodeLogsRequest(records.map((r) => mapRecord(r, limits)), resource, new ProtobufWriter(64));
      assert.deepEqual(Buffer.from(live), Buffer.from(mapped));
    }), { numRuns: 300 });
  });

  it('keeps the mapped order for an integer-like call key after bound ones (an object lists it first)', () => {
    const bound = { service: 'checkout' };
    const record = makeRecord({ bindings: { attributes: bound, keys: new Set(['service']) }, attributes: { sku: 'x', 42: 'answer' } });
    const live = encodeLogsRequest([record], resource, new ProtobufWriter(64), DEFAULT_LIMITS);
    assert.deepEqual(Buffer.from(live), Buffer.from(encodeLogsRequest([mapRecord(record, DEFAULT_LIMITS)], resource, new ProtobufWriter(64))));
  });
});
