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
import { MemorySink, type CapturedRecord } from '../sinks/memory.ts';
import { setLevel } from '../configure.ts';
import { runtime } from '../core/runtime.ts';

export { MemorySink, type CapturedRecord };
export {
  testEncoder, testSink,
  type CheckName, type ConformanceFailure, type ConformanceOptions, type EncoderUnderTest, type SinkUnderTest,
} from './conformance.ts';
export {
  parseJsonLines, parseOtlpJsonLines, fromFlatRecord, fromOtlpRecord, fromCapturedRecord,
  type RecordView, type ExceptionView, type OtlpRecordLike,
} from './views.ts';

/**
 * Runs `fn` (sync or async) with every record going to a fresh MemorySink
 * instead of the configured sinks, then restores them. Level rules are left
 * as they are; pass `level` to change them for the duration.
 */
export async function captureLogs(fn: () => unknown, options: { level?: string } = {}): Promise<MemorySink> {
  runtime.ensureConfigured();
  const sink = new MemorySink();
  const previousLevel = runtime.levelRules;
  if (options.level !== undefined) setLevel(options.level);
  const [sinks, processors] = runtime.pipeline.swap([sink], runtime.pipeline.processors);
  try {
    await fn();
  } finally {
    runtime.pipeline.swap(sinks, processors);
    runtime.setLevelRules(previousLevel);
  }
  return sink;
}
