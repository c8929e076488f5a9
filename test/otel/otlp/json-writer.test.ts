import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeJsonRequest, JsonWriter } from '../../../src/otel/otlp/json-writer.ts';
import { otlpJsonRequest, otlpJsonResource } from '../../../src/otel/otlp/json-logs.ts';
import { mapRecord, type MappedRecord } from '../../../src/otel/mapping.ts';
import type { AnyValue } from '../../../src/values/any-value.ts';
import { DEFAULT_LIMITS } from '../../../src/values/limits.ts';
import { makeRecord } from '../../encoders/record-fixture.ts';

// The writer's contract: the bytes of the string writer's request, whatever the records hold.
const expected = (records: MappedRecord[], resource: string): Buffer => Buffer.from(otlpJsonRequest(records, resource), 'utf8');
const written = (records: MappedRecord[], resource: string, w = new JsonWriter(16)): Buffer =>
  Buffer.from(encodeJsonRequest(records, resource, w));

const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.string({ minLength: 200, maxLength: 400 }));
const value: fc.Arbitrary<AnyValue> = fc.letrec<{ v: AnyValue }>((tie) => ({
  v: fc.oneof({ depthSize: 'small' },
    text, fc.boolean(), fc.integer(), fc.double(), fc.constantFrom(2 ** 60, -(2 ** 63), 2 ** 64, -0, NaN, Infinity),
    fc.uint8Array({ maxLength: 20 }), fc.constant(null), fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(text, tie('v'), { maxKeys: 4 })),
})).v;

const mapped: fc.Arbitrary<MappedRecord> = fc.record({
  scope: fc.constantFrom('a', 'b', 'sc"ope', 'ü'),
  seconds: fc.integer({ min: 0, max: 2 ** 34 }),
  nanos: fc.integer({ min: 0, max: 999_999_999 }),
  severityNumber: fc.integer({ min: 0, max: 40 }),
  severityText: fc.constantFrom('INFO', 'WARN', 'in"fo', 'é', ''),
  body: value,
  eventName: fc.option(text, { nil: undefined }),
  attributes: fc.dictionary(text, value, { maxKeys: 6 }),
  droppedAttributesCount: fc.nat(3),
  trace: fc.option(fc.record({ traceId: fc.string({ minLength: 32, maxLength: 32 }), spanId: fc.string({ minLength: 16, maxLength: 16 }), traceFlags: fc.nat(255) }), { nil: undefined }),
}).map(({ seconds, nanos, ...r }) => ({ ...r, time: [seconds, nanos], observedTime: [seconds, nanos - (nanos % 1000)] }) as MappedRecord);

describe('otel/otlp/json-writer', () => {
  it('writes the bytes of the string writer for any records, scopes and resource (property)', () => {
    fc.assert(fc.property(fc.array(mapped, { maxLength: 6 }), fc.dictionary(text, value, { maxKeys: 3 }), (records, attributes) => {
      const resource = otlpJsonResource(attributes);
      assert.deepEqual(written(records, resource), expected(records, resource));
    }), { numRuns: 300 });
  });

  it('writes the bytes of the string writer for mapped logbridge records, one writer reused across requests', () => {
    const w = new JsonWriter(64);
    const resource = otlpJsonResource({ 'service.name': 'checkout' });
    for (let n = 1; n < 40; n += 7) {
      const records = Array.from({ length: n }, (_, i) => mapRecord(makeRecord({ attributes: { orderId: i, sku: 'SKU-1234', note: 'ünïcode \u0000' } }), DEFAULT_LIMITS));
      assert.deepEqual(written(records, resource, w), expected(records, resource));
    }
  });

  it('hands out a copy: a body already returned does not change when the writer is reused', () => {
    const w = new JsonWriter();
    const resource = otlpJsonResource({});
    const first = encodeJsonRequest([mapRecord(makeRecord({ body: 'first' }), DEFAULT_LIMITS)], resource, w);
    const copy = Buffer.from(first);
    encodeJsonRequest([mapRecord(makeRecord({ body: 'second, longer' }), DEFAULT_LIMITS)], resource, w);
    assert.deepEqual(Buffer.from(first), copy);
  });

  it('writes a value nested past 64 levels as the string writer does', () => {
    let deep: AnyValue = 'leaf';
    for (let i = 0; i < 70; i++) deep = i % 2 === 0 ? [deep] : { k: deep };
    const record = { ...mapRecord(makeRecord(), DEFAULT_LIMITS), body: deep } as MappedRecord;
    assert.deepEqual(written([record], '{}'), expected([record], '{}'));
  });
});
