import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatTimestamp, now, toEpochMicros } from '../../src/core/clock.ts';
import { createJsonEncoder } from '../../src/encoders/json.ts';
import { createOtlpJsonEncoder } from '../../src/encoders/otlp-json.ts';
import { OtlpEncoder } from '../../src/otel/otlp/encoder.ts';
import { DEFAULT_LIMITS } from '../../src/values/limits.ts';
import { makeRecord } from '../encoders/record-fixture.ts';
import { decodeJsonLogs, decodeProtobufLogs } from '../helpers/otlp-receiver.ts';

/** An RFC 3339 timestamp with 6 fraction digits, as nanoseconds since the epoch. */
function rfc3339Nanos(text: string): bigint {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{6})Z$/.exec(text);
  assert.ok(match, `not RFC 3339 with microseconds: ${text}`);
  return BigInt(Date.parse(match[1] + 'Z')) * 1_000_000n + BigInt(match[2]!) * 1000n;
}

describe('core/clock', () => {
  describe('toEpochMicros()', () => {
    it('rounds to the whole microsecond the float stands for', () => {
      assert.equal(toEpochMicros(1_795_857_243_123.456), 1_795_857_243_123_456);
      assert.equal(toEpochMicros(1_795_857_243_123.4565), 1_795_857_243_123_457);
      assert.equal(toEpochMicros(0.0004), 0);
      assert.ok(Number.isNaN(toEpochMicros(NaN)));
    });
  });

  describe('formatTimestamp()', () => {
    it('writes the rounded microsecond, carrying into the next second', () => {
      assert.equal(formatTimestamp(Date.UTC(2026, 10, 28, 9, 14, 3) + 123.4565), '2026-11-28T09:14:03.123457Z');
      assert.equal(formatTimestamp(Date.UTC(2026, 10, 28, 9, 14, 3) + 999.9996), '2026-11-28T09:14:04.000000Z');
      assert.equal(formatTimestamp(NaN), 'Invalid Date');
    });
  });

  describe('one time for every output', () => {
    // the same records to stdout JSON and to OTLP (protobuf, http/json, otlp-json lines), each decoded on its own
    const times = fc.oneof(
      fc.double({ min: 0, max: 4_102_444_800_000, noNaN: true }),
      // whole microseconds, as the clock makes them: the float is rarely exact
      fc.tuple(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: 0, max: 999 })).map(([ms, us]) => ms + us / 1000),
      fc.constant(0).map(() => now()), // the live clock
    );

    it('gives stdout and OTLP the same instant, to the nanosecond both show (property)', () => {
      const json = createJsonEncoder();
      const line = createOtlpJsonEncoder({ resource: { 'service.name': 'clock' } });
      const protobuf = new OtlpEncoder({ 'service.name': 'clock' }, DEFAULT_LIMITS, 'protobuf');
      const httpJson = new OtlpEncoder({ 'service.name': 'clock' }, DEFAULT_LIMITS, 'json');
      fc.assert(fc.property(fc.array(times, { minLength: 1, maxLength: 20 }), (list) => {
        const records = list.map((time) => makeRecord({ time }));
        const stdout = records.map((r) => rfc3339Nanos((JSON.parse(json(r)) as { timestamp: string }).timestamp));
        const viaProtobuf = decodeProtobufLogs(protobuf.encode(records));
        const viaHttpJson = decodeJsonLogs(Buffer.from(httpJson.encode(records)).toString('utf8'));
        const viaLines = records.flatMap((r) => decodeJsonLogs(line(r)));
        for (const decoded of [viaProtobuf, viaHttpJson, viaLines]) {
          assert.deepEqual(decoded.map((r) => r.timeUnixNano), stdout);
          assert.deepEqual(decoded.map((r) => r.observedTimeUnixNano), stdout);
        }
      }), { numRuns: 200 });
    });
  });
});
