import fc from 'fast-check';
import type { LogRecord } from '../../../src/core/record.ts';
import { hostileKey, hostileValue } from '../../property/hostile.ts';

const key = fc.oneof(hostileKey, fc.constantFrom('0', '7', '12', '3x', 'attr.request.id'));
const attributes = fc.option(fc.dictionary(key, hostileValue, { maxKeys: 6 }), { nil: undefined });
/**
 * LogRecords of every shape the OTLP writers meet (hostile keys and values,
 * integer-like keys, exceptions, odd times and trace flags), for the
 * property tests that require a record written straight from the LogRecord
 * to come out as the same record mapped first.
 */
export const liveRecord: fc.Arbitrary<LogRecord> = fc.record({
  time: fc.oneof(fc.double(), fc.constantFrom(Date.UTC(2026, 10, 28) + 0.123, NaN, -1, 0, 1e300)),
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
