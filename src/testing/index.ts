/**
 * `logbridge/testing`: helpers for asserting on logs in your own tests, and
 * the conformance suite for sinks and encoders of your own (docs/testing.md).
 *
 * ```ts
 * const { records } = await captureLogs(() => service.placeOrder());
 * assert.equal(records[0].body, 'order placed');
 *
 * assert.deepEqual(testEncoder({ encode: myEncoder, parse: parseJsonLines }), []);
 * ```
 */
export { MemorySink, type CapturedRecord } from '../sinks/memory.ts';
export { captureLogs } from './capture.ts';
export {
  testEncoder, testSink,
  type CheckName, type ConformanceFailure, type ConformanceOptions, type EncoderUnderTest, type SinkUnderTest,
} from './conformance.ts';
export {
  parseJsonLines, parseOtlpJsonLines, fromFlatRecord, fromOtlpRecord, fromCapturedRecord,
  type RecordView, type ExceptionView, type OtlpRecordLike,
} from './views.ts';
