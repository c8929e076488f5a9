import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LoggerProvider, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OtlpEncoder } from '../../../src/otel/otlp/encoder.ts';
import { toOtelLogRecord } from '../../../src/otel/mapping.ts';
import { DEFAULT_LIMITS, type Limits } from '../../../src/values/limits.ts';
import type { LogRecord } from '../../../src/core/record.ts';
import { makeRecord, TRACE } from '../../encoders/record-fixture.ts';
import { decodeJsonLogs, decodeProtobufLogs } from '../../helpers/otlp-receiver.ts';

const RESOURCE = { 'service.name': 'enc', 'host.name': 'h' };

/**
 * The reference: the same mapping emitted on an official LoggerProvider, its records serialized by the
 * official OTLP serializer (what exporter-logs-otlp-proto / -http send).
 */
function viaSdk(records: LogRecord[], format: 'protobuf' | 'json', limits: Limits): Uint8Array {
  const collected: ReadableLogRecord[] = [];
  const collector: LogRecordProcessor = {
    onEmit: (record) => void collected.push(record),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(RESOURCE), processors: [collector],
    logRecordLimits: { attributeCountLimit: limits.attributeCount, attributeValueLengthLimit: Infinity },
  });
  for (const record of records) provider.getLogger(record.scope).emit(toOtelLogRecord(record, limits));
  return (format === 'json' ? JsonLogsSerializer : ProtobufLogsSerializer).serializeRequest(collected)!;
}

function both(records: LogRecord[], format: 'protobuf' | 'json', limits = DEFAULT_LIMITS) {
  const decode = (bytes: Uint8Array) => (format === 'json' ? decodeJsonLogs(Buffer.from(bytes).toString('utf8')) : decodeProtobufLogs(bytes));
  return { direct: decode(new OtlpEncoder(RESOURCE, limits, format).encode(records)), sdk: decode(viaSdk(records, format, limits)) };
}

// Attribute values the bridge passes on unchanged (strings kept short of the length limit). Integer-valued
// doubles beyond 2^53 are left out: the upstream OTLP/JSON serializer (otlp-transformer 0.301) writes them
// as `"intValue": -1e+21`, which is not valid OTLP/JSON (logbridge's JSON writer gives `"1000…"`).
const double = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d) || Number.isSafeInteger(d));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer(),
    fc.maxSafeInteger(), fc.maxSafeNat().map((n) => -n), double, fc.boolean(),
    fc.constant(null), fc.uint8Array({ maxLength: 8 })),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('node'), { maxKeys: 4 })),
})).node;

const record: fc.Arbitrary<LogRecord> = fc.record({
  severityNumber: fc.integer({ min: 1, max: 24 }),
  body: fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 300 })),
  scope: fc.constantFrom('a', 'b.c', 'orders.db'),
  attributes: fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), value, { maxKeys: 6 }), { nil: undefined }),
  requestId: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }),
  traced: fc.boolean(),
  eventName: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }),
  withError: fc.boolean(),
}).map((r) => makeRecord({
  severityNumber: r.severityNumber, severityText: 'X', body: r.body, scope: r.scope, attributes: r.attributes,
  requestId: r.requestId, trace: r.traced ? TRACE : undefined, eventName: r.eventName,
  exception: r.withError ? { type: 'Error', message: 'm', stacktrace: 'Error: m\n    at f' } : undefined,
}));

describe('OtlpEncoder', () => {
  describe('encode()', () => {
    it('keeps a top-level __proto__ attribute on both paths, as attr.__proto__ (fast-check seed -1415349996)', () => {
      const records = [makeRecord({ attributes: JSON.parse('{"__proto__":[[]]}') as Record<string, unknown> }), makeRecord()];
      for (const format of ['protobuf', 'json'] as const) {
        const { direct, sdk } = both(records, format);
        assert.deepEqual(direct[0]!.attributes, { 'attr.__proto__': [[]] });
        assert.deepEqual(direct, sdk);
      }
    });

    for (const format of ['protobuf', 'json'] as const) {
      it(`gives the same decoded records as the SDK LoggerProvider and the official serializer (${format})`, () => {
        fc.assert(fc.property(fc.array(record, { minLength: 1, maxLength: 8 }), (records) => {
          const { direct, sdk } = both(records, format);
          assert.deepEqual(direct, sdk);
        }), { numRuns: 100 });
      });
    }

    it('keeps room for record-field attributes under the count limit and counts what it left out', () => {
      const limits = { ...DEFAULT_LIMITS, attributeCount: 4 };
      const records = [makeRecord({ attributes: { a: 1, b: 2, c: 3, d: 4, e: 5 }, requestId: 'r' })];
      const { direct, sdk } = both(records, 'protobuf', limits);
      assert.deepEqual(direct[0]!.attributes, { a: 1, b: 2, c: 3, 'request.id': 'r' });
      assert.deepEqual(sdk[0]!.attributes, direct[0]!.attributes);
      // the SDK path cannot carry the count: the bridge cut the attributes before the SDK saw them
      assert.deepEqual([direct[0]!.droppedAttributesCount, sdk[0]!.droppedAttributesCount], [2, 0]);
    });

    it('lets call attributes win over child bindings, an undefined one hiding the bound value', () => {
      const bindings = { attributes: { region: 'eu', tier: 'gold', keep: 1 }, json: '', keys: new Set(['region', 'tier', 'keep']) };
      const records = [makeRecord({ bindings, attributes: { region: 'us', tier: undefined, extra: true } }), makeRecord({ bindings, attributes: { x: 1 } })];
      const [first, second] = decodeProtobufLogs(new OtlpEncoder(RESOURCE, DEFAULT_LIMITS, 'protobuf').encode(records));
      assert.deepEqual(first!.attributes, { region: 'us', keep: 1, extra: true });
      assert.deepEqual(second!.attributes, { region: 'eu', tier: 'gold', keep: 1, x: 1 });
    });

    it('gives the same records for a large batch of large records', () => {
      const records = Array.from({ length: 700 }, (_, i) => makeRecord({
        body: 'x'.repeat(i) + 'é', scope: `s${i % 3}`, trace: i % 2 === 0 ? TRACE : undefined,
        attributes: { i, neg: -i - 2 ** 40, big: 2 ** 60, blob: new Uint8Array(i % 300), list: Array.from({ length: i % 50 }, (_, j) => j) },
      }));
      const { direct, sdk } = both(records, 'protobuf');
      assert.equal(direct.length, 700);
      assert.deepEqual(direct, sdk);
    });

    it('groups records by scope in one resource', () => {
      const records = [makeRecord({ scope: 'x' }), makeRecord({ scope: 'y' }), makeRecord({ scope: 'x' })];
      const decoded = decodeProtobufLogs(new OtlpEncoder(RESOURCE, DEFAULT_LIMITS, 'protobuf').encode(records));
      assert.deepEqual(decoded.map((r) => r.scope.name), ['x', 'x', 'y']);
    });
  });
});
