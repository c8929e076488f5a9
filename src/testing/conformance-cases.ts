import { isDeepStrictEqual } from 'node:util';
import type { Attributes, Bindings, LogRecord } from '../core/record.ts';
import type { RecordView } from './views.ts';

/**
 * The records of the conformance suite and what a conforming output shows
 * for each (the record contract: README "The JSON line", docs/testing.md).
 */

/** The checks of the suite, by name; skip one with a reason (see `ConformanceOptions.skip`). */
export type CheckName =
  | 'fields' | 'event-name' | 'trace' | 'request-id' | 'attributes' | 'precedence' | 'field-clash'
  | 'exception' | 'hostile-values' | 'line-forging' | 'lifecycle';

/** One record and what its view must show; `expect` returns the problems found (none: conforming). */
export interface ConformanceCase {
  readonly check: CheckName;
  readonly name: string;
  readonly record: LogRecord;
  readonly expect: (view: RecordView) => string[];
}

/** 2026-11-28T09:14:03.123456Z: sub-millisecond digits, so an output that drops them shows. */
const TIME = Date.UTC(2026, 10, 28, 9, 14, 3) + 123.456;
const TRACE = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };

/** The one place records are made, so a change of the record model changes one function. */
export function conformanceRecord(name: string, fields: Partial<LogRecord> = {}): LogRecord {
  return {
    time: TIME, severityNumber: 9, severityText: 'INFO', scope: 'conformance', body: `conformance: ${name}`,
    eventName: undefined, bindings: undefined, contextAttributes: undefined, attributes: undefined,
    exception: undefined, requestId: undefined, trace: undefined, ...fields,
  };
}

function bindings(attributes: Attributes): Bindings {
  return { attributes: Object.freeze({ ...attributes }), keys: new Set(Object.keys(attributes)) };
}

/** `"field: want X, got Y"` when they differ. */
function same(field: string, got: unknown, want: unknown): string[] {
  return isDeepStrictEqual(got, want) ? [] : [`${field}: want ${show(want)}, got ${show(got)}`];
}

function show(value: unknown): string {
  try {
    const text = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value) ?? String(value);
    return text.length > 120 ? text.slice(0, 117) + '...' : text;
  } catch {
    return String(value);
  }
}

/** Level and scope as the record has them; the message too unless it is not meant to survive intact. */
function identity(record: LogRecord, message = true): (view: RecordView) => string[] {
  return (view) => [
    ...same('level', view.level, record.severityText),
    ...same('scope', view.scope, record.scope),
    ...(message ? same('message', view.message, record.body) : []),
  ];
}

function fieldCases(): ConformanceCase[] {
  const plain = conformanceRecord('fields', { severityNumber: 13, severityText: 'WARN', scope: 'conformance.orders' });
  const event = conformanceRecord('event name', { eventName: 'order.placed' });
  const traced = conformanceRecord('trace', { trace: TRACE });
  const request = conformanceRecord('request id', { requestId: '01JDQ3Z7K9M2' });
  const attributes = { text: 'plain text', count: 42, ratio: 1.5, ok: true, nested: { depth: 1, list: [1, 'two'] } };
  const withAttributes = conformanceRecord('attributes', { attributes });
  return [
    { check: 'fields', name: 'required fields', record: plain, expect: (v) => [
      ...identity(plain)(v),
      ...(v.time === undefined ? ['time: missing'] : Math.abs(v.time - plain.time) > 0.0015
        ? [`time: want ${new Date(plain.time).toISOString()} (µs: .123456), got ${v.time} ms`] : []),
      ...(v.severityNumber === undefined ? [] : same('severity number', v.severityNumber, 13)),
    ] },
    { check: 'event-name', name: 'event name', record: event, expect: (v) => [...identity(event)(v), ...same('event name', v.eventName, 'order.placed')] },
    { check: 'trace', name: 'trace context', record: traced, expect: (v) => [
      ...same('trace id', v.traceId, TRACE.traceId), ...same('span id', v.spanId, TRACE.spanId),
      ...(v.traceFlags === undefined ? [] : same('trace flags', v.traceFlags, 1)),
    ] },
    { check: 'request-id', name: 'request id', record: request, expect: (v) => same('request id', v.requestId, '01JDQ3Z7K9M2') },
    { check: 'attributes', name: 'attribute values', record: withAttributes,
      expect: (v) => Object.entries(attributes).flatMap(([key, value]) => same(`attribute ${key}`, v.attributes[key], value)) },
  ];
}

function precedenceCases(): ConformanceCase[] {
  const all = conformanceRecord('precedence: call > request > bindings', {
    bindings: bindings({ winner: 'binding', fromBinding: 1 }),
    contextAttributes: Object.freeze({ winner: 'request', fromRequest: 2 }),
    attributes: { winner: 'call', fromCall: 3 },
  });
  const noCall = conformanceRecord('precedence: request > bindings', {
    bindings: bindings({ winner: 'binding' }), contextAttributes: Object.freeze({ winner: 'request' }),
  });
  return [
    { check: 'precedence', name: all.body, record: all, expect: (v) => [
      ...same('attribute winner', v.attributes.winner, 'call'), ...same('attribute fromBinding', v.attributes.fromBinding, 1),
      ...same('attribute fromRequest', v.attributes.fromRequest, 2), ...same('attribute fromCall', v.attributes.fromCall, 3),
    ] },
    { check: 'precedence', name: noCall.body, record: noCall, expect: (v) => same('attribute winner', v.attributes.winner, 'request') },
  ];
}

function clashCase(): ConformanceCase {
  const forged: Record<string, string> = {
    timestamp: '1970-01-01T00:00:00.000000Z', level: 'FATAL', severity_number: 'twenty-four', scope: 'forged', message: 'forged message',
    'request.id': 'forged-id', 'exception.type': 'ForgedError', trace_id: 'ffffffffffffffffffffffffffffffff',
  };
  const record = conformanceRecord('field clash', { requestId: 'req-1', attributes: forged });
  return { check: 'field-clash', name: 'attributes named like record fields', record, expect: (v) => [
    ...identity(record)(v),
    ...same('request id', v.requestId, 'req-1'),
    ...(v.exception === undefined ? [] : [`exception: none was logged, got ${show(v.exception)}`]),
    ...(v.traceId === undefined ? [] : [`trace id: none was set, got ${show(v.traceId)}`]),
    ...(v.time !== undefined && Math.abs(v.time - record.time) > 0.0015 ? [`time: changed by the attribute to ${v.time}`] : []),
    ...Object.entries(forged).flatMap(([key, value]) => v.attributes[key] === value || v.attributes[`attr.${key}`] === value
      ? [] : [`attribute ${key}: its value is lost (want it under ${key} or attr.${key})`]),
  ] };
}

function exceptionCase(): ConformanceCase {
  const exception = {
    type: 'ValidationError', message: 'sku is required',
    stacktrace: 'ValidationError: sku is required\n    at placeOrder (file:///app/orders.js:12:9)',
    attributes: Object.freeze({ 'exception.code': 'E_SKU' }),
  };
  const record = conformanceRecord('exception', { severityNumber: 17, severityText: 'ERROR', exception });
  return { check: 'exception', name: 'exception mapping', record, expect: (v) => [
    ...identity(record)(v),
    ...same('exception.type', v.exception?.type, exception.type),
    ...same('exception.message', v.exception?.message, exception.message),
    ...same('exception.stacktrace', v.exception?.stacktrace, exception.stacktrace),
    ...same('attribute exception.code', v.attributes['exception.code'], 'E_SKU'),
  ] };
}

/** The record cases; `hostile.ts` adds the hostile-value and line-forging ones. */
export function contractCases(): ConformanceCase[] {
  return [...fieldCases(), ...precedenceCases(), clashCase(), exceptionCase()];
}

export { identity as sameIdentity };
