import assert from 'node:assert/strict';
import fc from 'fast-check';
import type protobuf from 'protobufjs';
import { createOtlpJsonEncoder, defaultResourceAttributes } from '../../src/encoders/otlp-json.ts';
import { ExportLogsServiceRequest } from '../helpers/otlp-schema.ts';
import { toOtelAttributes } from '../../src/otel/mapping.ts';
import { DEFAULT_LIMITS } from '../../src/values/limits.ts';
import { makeRecord, TRACE } from './record-fixture.ts';

type Obj = Record<string, unknown>;

/**
 * Checks an OTLP/JSON value against the protobuf schema (not our encoder's
 * types): every member must be a field of its message, in lowerCamelCase;
 * 64-bit integers decimal strings; IDs hex of the right length; at most one
 * AnyValue member.
 */
function checkAgainstSchema(value: Obj, type: protobuf.Type, path: string): void {
  const members = Object.keys(value);
  if (type.name === 'AnyValue') assert.ok(members.length <= 1, `${path}: AnyValue with ${members.length} members`);
  for (const key of members) {
    const field = type.fields[key];
    assert.ok(field !== undefined, `${path}.${key} is not a field of ${type.name}`);
    const items = field.repeated ? value[key] as unknown[] : [value[key]];
    assert.ok(Array.isArray(items), `${path}.${key} must be an array`);
    for (const item of items) {
      if (field.resolvedType !== null && 'fields' in field.resolvedType) {
        checkAgainstSchema(item as Obj, field.resolvedType as protobuf.Type, `${path}.${key}`);
      } else if (['int64', 'fixed64', 'uint64'].includes(field.type)) {
        assert.match(item as string, /^-?\d+$/, `${path}.${key} is an int64 as a decimal string`);
      } else if (key === 'traceId') assert.match(item as string, /^[0-9a-f]{32}$/);
      else if (key === 'spanId') assert.match(item as string, /^[0-9a-f]{16}$/);
      else if (field.type === 'bytes') assert.match(item as string, /^[A-Za-z0-9+/]*={0,2}$/);
    }
  }
}

/** Decodes one line with protobufjs: schema check, then JSON → message → protobuf bytes → object. */
function decodeLine(line: string): Obj {
  assert.equal(line.indexOf('\n'), line.length - 1, 'one request per line');
  const json = JSON.parse(line) as Obj;
  checkAgainstSchema(json, ExportLogsServiceRequest, 'request');
  // OTLP/JSON writes trace and span IDs as hex where proto3 JSON would use base64.
  const forProto = JSON.parse(line, (key, v: unknown) =>
    (key === 'traceId' || key === 'spanId') && typeof v === 'string' ? Buffer.from(v, 'hex').toString('base64') : v) as Obj;
  const bytes = ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(forProto)).finish();
  return ExportLogsServiceRequest.toObject(ExportLogsServiceRequest.decode(bytes), { longs: String, bytes: String }) as Obj;
}

function onlyRecord(decoded: Obj): Obj {
  const rl = decoded.resourceLogs as Obj[];
  assert.equal(rl.length, 1);
  const sl = rl[0]!.scopeLogs as Obj[];
  assert.equal(sl.length, 1);
  const records = sl[0]!.logRecords as Obj[];
  assert.equal(records.length, 1);
  return records[0]!;
}

function attributes(record: Obj): Obj {
  return Object.fromEntries((record.attributes as Obj[]).map((kv) => [kv.key, kv.value]));
}

describe('createOtlpJsonEncoder()', () => {
  it('writes a request that decodes with an independent protobuf schema', () => {
    const encode = createOtlpJsonEncoder({ resource: { 'service.name': 'checkout', 'service.version': '1.2.3' } });
    const decoded = decodeLine(encode(makeRecord({ trace: TRACE, requestId: 'r-7', eventName: 'order.placed', attributes: { orderId: 42 } })));
    const rl = (decoded.resourceLogs as Obj[])[0]!;
    assert.deepEqual(rl.resource, { attributes: [
      { key: 'service.name', value: { stringValue: 'checkout' } },
      { key: 'service.version', value: { stringValue: '1.2.3' } },
    ] });
    assert.deepEqual((rl.scopeLogs as Obj[])[0]!.scope, { name: 'orders' });
    const record = onlyRecord(decoded);
    assert.equal(record.timeUnixNano, '1795857243123456000');
    assert.equal(record.observedTimeUnixNano, '1795857243123456000');
    assert.equal(record.severityNumber, 9);
    assert.equal(record.severityText, 'INFO');
    assert.deepEqual(record.body, { stringValue: 'order placed' });
    assert.equal(record.eventName, 'order.placed');
    assert.equal(Buffer.from(record.traceId as string, 'base64').toString('hex'), TRACE.traceId);
    assert.equal(Buffer.from(record.spanId as string, 'base64').toString('hex'), TRACE.spanId);
    assert.equal(record.flags, 1);
    assert.deepEqual(attributes(record), { 'request.id': { stringValue: 'r-7' }, orderId: { intValue: '42' } });
  });

  it('encodes every AnyValue kind', () => {
    const record = onlyRecord(decodeLine(createOtlpJsonEncoder()(makeRecord({ attributes: {
      s: 'x', i: -3, d: 1.5, b: false, bytes: new Uint8Array([1, 2, 255]), list: [1, 'a'], map: { k: { n: null } },
      big: 2n ** 70n, nan: NaN, huge: 2 ** 60,
    } }))));
    assert.deepEqual(attributes(record), {
      s: { stringValue: 'x' },
      i: { intValue: '-3' },
      d: { doubleValue: 1.5 },
      b: { boolValue: false },
      bytes: { bytesValue: Buffer.from([1, 2, 255]).toString('base64') },
      list: { arrayValue: { values: [{ intValue: '1' }, { stringValue: 'a' }] } },
      map: { kvlistValue: { values: [{ key: 'k', value: { kvlistValue: { values: [{ key: 'n', value: {} }] } } }] } },
      big: { stringValue: (2n ** 70n).toString() },
      nan: { stringValue: 'NaN' },
      huge: { intValue: '1152921504606846976' }, // int64, as in protobuf
    });
  });

  it('writes exceptions as exception.* attributes and renames clashing user attributes', () => {
    const record = onlyRecord(decodeLine(createOtlpJsonEncoder()(makeRecord({
      requestId: 'r-1',
      exception: { type: 'TypeError', message: 'bad', stacktrace: 'TypeError: bad\n    at x', attributes: { 'exception.code': 'E_X' } },
      attributes: { 'request.id': 'spoof', 'exception.type': 'spoof', level: 'kept' },
    }))));
    assert.deepEqual(attributes(record), {
      'request.id': { stringValue: 'r-1' },
      'exception.type': { stringValue: 'TypeError' },
      'exception.message': { stringValue: 'bad' },
      'exception.stacktrace': { stringValue: 'TypeError: bad\n    at x' },
      'exception.code': { stringValue: 'E_X' },
      'attr.request.id': { stringValue: 'spoof' },
      'attr.exception.type': { stringValue: 'spoof' },
      level: { stringValue: 'kept' },
    });
  });

  it('applies the attribute count limit and reports the dropped count', () => {
    const encode = createOtlpJsonEncoder({ limits: { attributeCount: 2, valueLength: 100, depth: 8, collectionEntries: 10 } });
    const record = onlyRecord(decodeLine(encode(makeRecord({ attributes: { a: 1, b: 2, c: 3, d: 4 } }))));
    assert.equal((record.attributes as Obj[]).length, 2);
    assert.equal(record.droppedAttributesCount, 2);
  });

  it('keeps room for request.id and exception.* within the count limit, as the OTLP sink does', () => {
    const encode = createOtlpJsonEncoder({ limits: { ...DEFAULT_LIMITS, attributeCount: 3 } });
    const record = onlyRecord(decodeLine(encode(makeRecord({ requestId: 'r-1', attributes: { a: 1, b: 2, c: 3, d: 4 } }))));
    assert.deepEqual(Object.keys(attributes(record)), ['a', 'b', 'request.id']);
    assert.equal(record.droppedAttributesCount, 2);
  });

  it('carries the same attributes as the OTLP sink mapping', () => {
    const r = makeRecord({
      requestId: 'r-1', contextAttributes: { tenant: 't1' }, attributes: { n: 1.5, list: [1, 'x'], 'request.id': 'spoof' },
      exception: { type: 'E', message: 'm', attributes: { 'exception.code': 'E_X' } },
    });
    const decoded = attributes(onlyRecord(decodeLine(createOtlpJsonEncoder()(r))));
    const viaSink = toOtelAttributes(r, DEFAULT_LIMITS);
    assert.deepEqual(Object.keys(decoded).sort(), Object.keys(viaSink).sort());
  });

  it('writes one valid request per line whatever the input (property)', () => {
    const encode = createOtlpJsonEncoder();
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string(), fc.jsonValue(), (body, key, value) => {
      const record = onlyRecord(decodeLine(encode(makeRecord({ body, scope: key, attributes: { [key]: value } }))));
      assert.equal(typeof (record.body as Obj).stringValue, 'string');
    }), { numRuns: 40 });
  });
});

describe('defaultResourceAttributes()', () => {
  it('takes service.name from OTEL_SERVICE_NAME over OTEL_RESOURCE_ATTRIBUTES', () => {
    assert.deepEqual({ ...defaultResourceAttributes({
      OTEL_SERVICE_NAME: 'checkout', OTEL_RESOURCE_ATTRIBUTES: 'service.name=x,deployment.environment.name=prod%20eu',
    }) }, { 'service.name': 'checkout', 'deployment.environment.name': 'prod eu' });
  });

  it('takes service.name and service.version from npm when nothing else names the service', () => {
    assert.deepEqual({ ...defaultResourceAttributes({ npm_package_name: 'shop', npm_package_version: '2.1.0' }) },
      { 'service.name': 'shop', 'service.version': '2.1.0' });
  });

  it('falls back to unknown_service:node', () => {
    assert.deepEqual({ ...defaultResourceAttributes({}) }, { 'service.name': 'unknown_service:node' });
  });
});
