import type { LogRecord } from '../../src/core/record.ts';

/** A plain INFO record at 2026-11-28T09:14:03.123456Z, with `overrides` applied. */
export function makeRecord(overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    time: Date.UTC(2026, 10, 28, 9, 14, 3) + 123.456,
    severityNumber: 9,
    severityText: 'INFO',
    scope: 'orders',
    body: 'order placed',
    eventName: undefined,
    bindings: undefined,
    contextAttributes: undefined,
    attributes: undefined,
    exception: undefined,
    requestId: undefined,
    trace: undefined,
    ...overrides,
  };
}

/** A sampled trace context. */
export const TRACE = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
