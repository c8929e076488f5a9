import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hrTimeOf, mapRecord, numberKind, toApiLogRecord, unixNanoOf } from '../../src/otel/mapping.ts';
import { formatTimestamp } from '../../src/core/clock.ts';
import { DEFAULT_LIMITS } from '../../src/values/limits.ts';
import { makeRecord, TRACE } from '../encoders/record-fixture.ts';
import { trace } from '@opentelemetry/api';

describe('otel/mapping', () => {
  describe('hrTimeOf() and unixNanoOf()', () => {
    it('give whole microseconds as nanoseconds', () => {
      assert.deepEqual(hrTimeOf(1_795_857_243_123.456), [1_795_857_243, 123_456_000]);
      assert.equal(unixNanoOf(hrTimeOf(1_795_857_243_123.456)), '1795857243123456000');
      assert.equal(unixNanoOf(hrTimeOf(0.5)), '500000');
      // rounded, not truncated: x.4565 is stored as x.45649…
      assert.equal(unixNanoOf(hrTimeOf(1_795_857_243_123.4565)), '1795857243123457000');
    });

    it('give zero for times that are not finite and non-negative', () => {
      for (const ms of [NaN, Infinity, -Infinity, -1]) assert.deepEqual(hrTimeOf(ms), [0, 0]);
      assert.equal(unixNanoOf([-1, 0]), '0');
    });

    it('agree with the RFC 3339 timestamp of stdout to the microsecond (property)', () => {
      fc.assert(fc.property(fc.double({ min: 0, max: 4_102_444_800_000, noNaN: true }), (ms) => {
        const nanos = unixNanoOf(hrTimeOf(ms)).padStart(10, '0');
        const fraction = formatTimestamp(ms).slice(20, 26);
        assert.equal(nanos.slice(-9, -3), fraction);
        assert.equal(nanos.slice(-3), '000');
        assert.equal(Number(nanos.slice(0, -9)), Math.floor(Date.parse(formatTimestamp(ms)) / 1000));
      }), { numRuns: 500 });
    });
  });

  describe('numberKind()', () => {
    it('sorts numbers into int64 within ±2^53, int64 beyond, and double', () => {
      assert.deepEqual([1, -(2 ** 53) + 1, 2 ** 60, -(2 ** 63), 2 ** 63, 1.5, NaN].map(numberKind),
        ['safe', 'safe', 'big', 'big', 'double', 'double', 'double']);
    });
  });

  describe('mapRecord()', () => {
    it('writes record fields last, renaming user attributes that imitate them', () => {
      const mapped = mapRecord(makeRecord({
        requestId: 'r-1', attributes: { 'request.id': 'spoof', a: 1 },
        exception: { type: 'E', message: 'm', stacktrace: 's' },
      }), DEFAULT_LIMITS);
      assert.deepEqual(Object.entries(mapped.attributes), [
        ['attr.request.id', 'spoof'], ['a', 1], ['request.id', 'r-1'],
        ['exception.type', 'E'], ['exception.message', 'm'], ['exception.stacktrace', 's'],
      ]);
    });

    it('keeps an attribute named __proto__ as attr.__proto__, never as a prototype', () => {
      const attributes = JSON.parse('{"__proto__":[[]],"b":1}') as Record<string, unknown>;
      const mapped = mapRecord(makeRecord({ attributes }), DEFAULT_LIMITS);
      assert.equal(Object.getPrototypeOf(mapped.attributes), Object.prototype);
      assert.deepEqual(Object.entries(mapped.attributes), [['attr.__proto__', [[]]], ['b', 1]]);
      const inherited: string[] = [];
      for (const key in mapped.attributes) inherited.push(key);
      assert.deepEqual(inherited, ['attr.__proto__', 'b']);
    });

    it('counts user attributes past the count limit, keeping room for record fields', () => {
      const mapped = mapRecord(makeRecord({ requestId: 'r', attributes: { a: 1, b: 2, c: 3 } }), { ...DEFAULT_LIMITS, attributeCount: 2 });
      assert.deepEqual(Object.keys(mapped.attributes), ['a', 'request.id']);
      assert.equal(mapped.droppedAttributesCount, 2);
    });

    it('keeps 8 bits of trace flags, treats an empty event name as none, observes at the record time', () => {
      const mapped = mapRecord(makeRecord({ trace: { ...TRACE, traceFlags: 0x101 }, eventName: '' }), DEFAULT_LIMITS);
      assert.equal(mapped.trace?.traceFlags, 1);
      assert.equal(mapped.eventName, undefined);
      assert.equal(mapped.observedTime, mapped.time);
    });
  });

  describe('toApiLogRecord()', () => {
    it('carries the trace as an explicit Context and the event name', () => {
      const api = toApiLogRecord(mapRecord(makeRecord({ trace: TRACE, eventName: 'order.placed' }), DEFAULT_LIMITS));
      assert.equal(trace.getSpanContext(api.context!)?.spanId, TRACE.spanId);
      assert.equal(api.eventName, 'order.placed');
      assert.deepEqual(api.timestamp, hrTimeOf(makeRecord().time));
    });
  });
});
