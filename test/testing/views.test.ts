import assert from 'node:assert/strict';
import { fromCapturedRecord, fromFlatRecord, fromOtlpRecord, parseJsonLines, parseOtlpJsonLines } from '../../src/testing/views.ts';
import { MemorySink } from '../../src/sinks/memory.ts';
import { createOtlpJsonEncoder } from '../../src/encoders/otlp-json.ts';
import { makeRecord, TRACE } from '../encoders/record-fixture.ts';

const TIME = Date.UTC(2026, 10, 28, 9, 14, 3) + 123.456;

describe('record views', () => {
  describe('parseJsonLines()', () => {
    it('keeps the microseconds and splits record fields from attributes', () => {
      const [view] = parseJsonLines('{"timestamp":"2026-11-28T09:14:03.123456Z","level":"INFO","severity_number":9,"scope":"s",' +
        '"message":"m","request.id":"r","exception.type":"E","exception.message":"x","attr.level":"forged","n":1}\n');
      assert.equal(view!.time, TIME);
      assert.equal(view!.severityNumber, 9);
      assert.equal(view!.requestId, 'r');
      assert.deepEqual(view!.exception, { type: 'E', message: 'x' });
      assert.deepEqual(view!.attributes, { 'attr.level': 'forged', n: 1 });
    });

    it('gives one view per line and throws on a line that is not a JSON object', () => {
      assert.equal(parseJsonLines('{"message":"a"}\n{"message":"b"}\n').length, 2);
      assert.throws(() => parseJsonLines('[1]\n'), /not a JSON object/);
      assert.throws(() => parseJsonLines('{"message":\n'));
    });
  });

  it('fromFlatRecord() reads trace flags as hex and leaves out what is absent', () => {
    const view = fromFlatRecord({ trace_id: TRACE.traceId, span_id: TRACE.spanId, trace_flags: '01' });
    assert.equal(view.traceFlags, 1);
    assert.equal(view.time, undefined);
    assert.equal(view.exception, undefined);
  });

  it('parseOtlpJsonLines() reads the otlp-json format back to the record', () => {
    const encode = createOtlpJsonEncoder({ env: {} });
    const record = makeRecord({
      requestId: 'req-1', trace: TRACE, attributes: { n: 42, big: 2n ** 64n, nested: { list: [1, 'two'] }, bytes: new Uint8Array([1]) },
      exception: { type: 'TypeError', message: 'boom' },
    });
    const [view] = parseOtlpJsonLines(encode(record));
    assert.equal(view!.time, TIME);
    assert.equal(view!.message, 'order placed');
    assert.equal(view!.requestId, 'req-1');
    assert.equal(view!.traceId, TRACE.traceId);
    assert.equal(view!.traceFlags, 1);
    assert.deepEqual(view!.exception, { type: 'TypeError', message: 'boom' });
    assert.equal(view!.attributes.n, 42);
    assert.deepEqual(view!.attributes.nested, { list: [1, 'two'] });
    assert.deepEqual(view!.attributes.bytes, Buffer.from([1]));
  });

  it('fromOtlpRecord() lifts request.id and exception.* out of the attributes', () => {
    const view = fromOtlpRecord({
      timeUnixNano: 1_795_857_243_123_456_000n, severityNumber: 17, severityText: 'ERROR', scope: 's', body: 'm', eventName: '',
      traceId: '', spanId: '', flags: 0, attributes: { 'request.id': 'r', 'exception.type': 'E', 'attr.request.id': 'forged' },
    });
    assert.equal(view.time, 1_795_857_243_123.456);
    assert.equal(view.requestId, 'r');
    assert.deepEqual(view.exception, { type: 'E' });
    assert.deepEqual(view.attributes, { 'attr.request.id': 'forged' });
    assert.equal(view.traceId, undefined);
    assert.equal(view.eventName, undefined);
  });

  it('fromCapturedRecord() shows a captured record with its merged attributes', () => {
    const sink = new MemorySink();
    sink.emit(makeRecord({ contextAttributes: { a: 1 }, attributes: { b: 2 }, requestId: 'r' }));
    const view = fromCapturedRecord(sink.records[0]!);
    assert.equal(view.requestId, 'r');
    assert.deepEqual({ ...view.attributes }, { a: 1, b: 2 });
  });
});
