import assert from 'node:assert/strict';
import { fromOtlpJsonValue, liftRecordFields, readOtlpJsonLogs } from '../../src/encoders/otlp-json-reader.ts';
import { createOtlpJsonEncoder } from '../../src/encoders/otlp-json.ts';
import { makeRecord, TRACE } from './record-fixture.ts';

describe('otlp-json reader', () => {
  describe('readOtlpJsonLogs()', () => {
    it('reads back what the otlp-json encoder writes', () => {
      const line = createOtlpJsonEncoder({ env: {} })(makeRecord({
        severityNumber: 13, severityText: 'WARN', eventName: 'stock.low', trace: TRACE, requestId: 'r-1', attributes: { sku: 7 },
      }));
      const [r] = readOtlpJsonLogs(JSON.parse(line) as Record<string, unknown>);
      assert.equal(r!.timeUnixNano, 1_795_857_243_123_456_000n);
      assert.equal(r!.severityNumber, 13);
      assert.equal(r!.severityText, 'WARN');
      assert.equal(r!.scope, 'orders');
      assert.equal(r!.body, 'order placed');
      assert.equal(r!.eventName, 'stock.low');
      assert.equal(r!.traceId, TRACE.traceId);
      assert.equal(r!.spanId, TRACE.spanId);
      assert.equal(r!.flags, 1);
      assert.deepEqual(r!.attributes, { sku: 7, 'request.id': 'r-1' });
    });

    it('gives defaults for absent fields and an unreadable time', () => {
      const [r] = readOtlpJsonLogs({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: 'soon' }] }] }] });
      assert.deepEqual(r, {
        timeUnixNano: undefined, observedTimeUnixNano: undefined, severityNumber: 0, severityText: '', scope: '', body: undefined,
        eventName: '', traceId: '', spanId: '', flags: 0, attributes: {},
      });
    });

    it('throws on an object that is not a logs request', () => {
      assert.throws(() => readOtlpJsonLogs({ resourceSpans: [] }), /no resourceLogs/);
    });
  });

  it('fromOtlpJsonValue() gives plain values: exact ints, BigInt beyond 2^53, bytes, maps, arrays', () => {
    assert.equal(fromOtlpJsonValue({ intValue: '42' }), 42);
    assert.equal(fromOtlpJsonValue({ intValue: '18446744073709551615' }), 18_446_744_073_709_551_615n);
    assert.equal(fromOtlpJsonValue({ doubleValue: 'NaN' }), NaN);
    assert.deepEqual(fromOtlpJsonValue({ bytesValue: 'AQI=' }), Buffer.from([1, 2]));
    assert.deepEqual(fromOtlpJsonValue({ kvlistValue: { values: [{ key: 'a', value: { arrayValue: { values: [{ boolValue: true }] } } }] } }), { a: [true] });
    assert.equal(fromOtlpJsonValue({}), undefined);
  });

  it('liftRecordFields() takes request.id and exception.* out, leaving the rest in order', () => {
    assert.deepEqual(liftRecordFields({ a: 1, 'request.id': 'r', 'exception.type': 'E', 'attr.request.id': 'x' }), {
      requestId: 'r', exception: { type: 'E' }, attributes: { a: 1, 'attr.request.id': 'x' },
    });
  });
});
