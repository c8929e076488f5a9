import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeJsonRequest, JsonWriter } from '../../../src/otel/otlp/json-writer.ts';
import { otlpJsonRequest, otlpJsonResource } from '../../../src/otel/otlp/json-logs.ts';
import { mapRecord, type MappedRecord } from '../../../src/otel/mapping.ts';
import type { AnyValue } from '../../../src/values/any-value.ts';
import { DEFAULT_LIMITS } from '../../../src/values/limits.ts';
import type { LogRecord } from '../../../src/core/record.ts';
import { makeRecord } from '../../encoders/record-fixture.ts';
import { hostileKey, hostileValue } from '../../property/hostile.ts';

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

  // Records written straight from the LogRecord must give the bytes of mapping them first.
  const key = fc.oneof(hostileKey, fc.constantFrom('0', '7', '12', '3x', 'attr.request.id'));
  const attributes = fc.option(fc.dictionary(key, hostileValue, { maxKeys: 6 }), { nil: undefined });
  const liveRecord: fc.Arbitrary<LogRecord> = fc.record({
    time: fc.oneof(fc.double(), fc.constantFrom(Date.UTC(2026, 10, 28) + 0.123, NaN, -1, 0, 999.9994, 1e300, 9e12, 8.9999999e12)),
    severityNumber: fc.nat(24),
    severityText: fc.constantFrom('INFO', '', 'nötice'),
    scope: fc.constantFrom('a', 'b'),
    body: fc.string(),
    eventName: fc.constantFrom(undefined, '', 'order.placed'),
    bindings: fc.option(fc.dictionary(key, fc.string(), { maxKeys: 3 }).map((a) => ({ attributes: a, keys: new Set(Object.keys(a)) })), { nil: undefined }),
    contextAttributes: attributes,
    attributes,
    exception: fc.option(fc.record({ type: fc.string(), message: fc.string(), stacktrace: fc.option(fc.string(), { nil: undefined }), attributes }), { nil: undefined }),
    requestId: fc.option(fc.string(), { nil: undefined }),
    trace: fc.option(fc.record({ traceId: fc.constant('0af7651916cd43dd8448eb211c80319c'), spanId: fc.constant('b7ad6b7169203331'), traceFlags: fc.nat(0x3ff) }), { nil: undefined }),
    droppedAttributes: fc.option(fc.nat(5), { nil: undefined }),
    truncated: fc.option(fc.string(), { nil: undefined }),
  }, { requiredKeys: ['time', 'severityNumber', 'severityText', 'scope', 'body', 'eventName', 'bindings', 'contextAttributes', 'attributes', 'exception', 'requestId', 'trace'] });

  it('writes a record not yet mapped as the bytes of its mapped record (property)', () => {
    fc.assert(fc.property(fc.array(liveRecord, { maxLength: 5 }), fc.integer({ min: 0, max: 8 }), (records, attributeCount) => {
      const limits = { ...DEFAULT_LIMITS, attributeCount };
      const live = encodeJsonRequest(records, '{}', new JsonWriter(16), limits);
      assert.deepEqual(Buffer.from(live), expected(records.map((r) => mapRecord(r, limits)), '{}'));
    }), { numRuns: 300 });
  });

  it('keeps the mapped order for an integer-like call key after bound ones (an object lists it first)', () => {
    const record = makeRecord({ bindings: { attributes: { service: 'checkout' }, keys: new Set(['service']) }, attributes: { sku: 'x', 42: 'answer' } });
    const live = encodeJsonRequest([record], '{}', new JsonWriter(16), DEFAULT_LIMITS);
    assert.deepEqual(Buffer.from(live), expected([mapRecord(record, DEFAULT_LIMITS)], '{}'));
  });
});
