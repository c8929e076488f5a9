import assert from 'node:assert/strict';
import { createJsonEncoder } from '../../src/encoders/json.ts';
import type { LogRecord } from '../../src/core/record.ts';
import { DEFAULT_LIMITS } from '../../src/values/limits.ts';
import { runtime } from '../../src/core/runtime.ts';
import { makeRecord } from './record-fixture.ts';

const record = makeRecord;

function encode(r: LogRecord, encoder = createJsonEncoder()): Record<string, unknown> {
  const line = encoder(r);
  assert.equal(line.at(-1), '\n');
  assert.equal(line.indexOf('\n'), line.length - 1, 'one line per record');
  return JSON.parse(line) as Record<string, unknown>;
}

describe('createJsonEncoder()', () => {
  it('writes the record fields under the documented keys', () => {
    const line = encode(record({
      eventName: 'order.placed',
      requestId: 'req-1',
      trace: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 },
      attributes: { orderId: 42 },
    }));
    assert.deepEqual(line, {
      timestamp: '2026-11-28T09:14:03.123456Z',
      level: 'INFO',
      severity_number: 9,
      scope: 'orders',
      message: 'order placed',
      event_name: 'order.placed',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
      trace_flags: '01',
      'request.id': 'req-1',
      orderId: 42,
    });
  });

  it('writes exceptions as exception.* keys with their extra attributes', () => {
    const line = encode(record({
      exception: { type: 'TypeError', message: 'bad', stacktrace: 'TypeError: bad\n    at x', attributes: { 'exception.code': 'E_X' } },
    }));
    assert.equal(line['exception.type'], 'TypeError');
    assert.equal(line['exception.message'], 'bad');
    assert.equal(line['exception.stacktrace'], 'TypeError: bad\n    at x');
    assert.equal(line['exception.code'], 'E_X');
  });

  it('renames attributes that clash with record fields to attr.<key>', () => {
    const line = encode(record({ attributes: { message: 'forged', level: 'FATAL', trace_id: 'x' } }));
    assert.equal(line.message, 'order placed');
    assert.equal(line.level, 'INFO');
    assert.equal(line['attr.message'], 'forged');
    assert.equal(line['attr.level'], 'FATAL');
    assert.equal(line['attr.trace_id'], 'x');
  });

  it('writes request attributes between bindings and call attributes, and follows a request object that changes', () => {
    const bindings = runtime.bind(undefined, { service: 'checkout' });
    const encoder = createJsonEncoder();
    const frozen = Object.freeze({ 'user.id': 'u-1', route: '/orders' });
    const first = encoder(record({ bindings, contextAttributes: frozen, attributes: { qty: 3 } }));
    assert.ok(first.includes('"service":"checkout","user.id":"u-1","route":"/orders","qty":3}'), first);
    assert.equal(encoder(record({ bindings, contextAttributes: frozen, attributes: { qty: 4 } })).includes('"route":"/orders","qty":4}'), true);
    const mutable: Record<string, unknown> = { 'user.id': 'u-1' };
    assert.equal(encode(record({ contextAttributes: mutable }), encoder)['user.id'], 'u-1');
    mutable['user.id'] = 'u-2';
    assert.equal(encode(record({ contextAttributes: mutable }), encoder)['user.id'], 'u-2');
  });

  it('lets call attributes win over request attributes and bindings, without duplicate keys', () => {
    const bindings = runtime.bind(undefined, { a: 'bound', b: 'bound', c: 'bound' });
    const text = createJsonEncoder()(record({ bindings, contextAttributes: { b: 'request', c: 'request' }, attributes: { c: 'call' } }));
    assert.equal(text.match(/"c":/g)?.length, 1);
    assert.deepEqual(JSON.parse(text), { ...JSON.parse(createJsonEncoder()(record())), a: 'bound', b: 'request', c: 'call' });
    const onlyBindings = encode(record({ bindings, attributes: { a: 'call' } }));
    assert.equal(onlyBindings.a, 'call');
    assert.equal(onlyBindings.b, 'bound');
  });

  it('drops attributes over the count limit and says how many', () => {
    const attributes = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    const line = encode(record({ attributes }), createJsonEncoder({ limits: { ...DEFAULT_LIMITS, attributeCount: 4 } }));
    assert.deepEqual(Object.keys(line).filter((k) => k.startsWith('k')), ['k0', 'k1', 'k2', 'k3']);
    assert.equal(line.dropped_attributes_count, 6);
  });

  it('cuts long strings to the value length limit', () => {
    const line = encode(record({ attributes: { s: 'x'.repeat(100) } }), createJsonEncoder({ limits: { ...DEFAULT_LIMITS, valueLength: 10 } }));
    assert.equal(line.s, 'x'.repeat(9) + '…'); // marked as cut, within the limit
    const long = encode(record({ attributes: { s: 'x'.repeat(100) } }), createJsonEncoder({ limits: { ...DEFAULT_LIMITS, valueLength: 50 } }));
    assert.equal(long.s, 'x'.repeat(28) + '…[truncated 72 chars]');
  });

  it('writes each record its own values while a call site repeats its keys and values', () => {
    const encoder = createJsonEncoder();
    const lines = [
      { sku: 'SKU-1', qty: 3 }, { sku: 'SKU-1', qty: 4 }, { sku: 'SKU-2', qty: 4 }, { qty: 'SKU-2', sku: 'SKU-1' },
      { sku: 'SKU-1', qty: 'x"y' }, { sku: 'SKU-1', qty: 'x"y' },
    ].map((attributes) => {
      const line = encode(record({ attributes }), encoder);
      return { sku: line.sku, qty: line.qty };
    });
    assert.deepEqual(lines, [
      { sku: 'SKU-1', qty: 3 }, { sku: 'SKU-1', qty: 4 }, { sku: 'SKU-2', qty: 4 }, { qty: 'SKU-2', sku: 'SKU-1' },
      { sku: 'SKU-1', qty: 'x"y' }, { sku: 'SKU-1', qty: 'x"y' },
    ]);
    // An encoder with other limits in between: each keeps its own cut.
    assert.equal(encode(record({ attributes: { sku: 'SKU-1234' } }), encoder).sku, 'SKU-1234');
    const short = createJsonEncoder({ limits: { ...DEFAULT_LIMITS, valueLength: 4 } });
    assert.equal(encode(record({ attributes: { sku: 'SKU-1234' } }), short).sku, 'SKU…');
    assert.equal(encode(record({ attributes: { sku: 'SKU-1234' } }), encoder).sku, 'SKU-1234');
    assert.equal(encode(record({ attributes: { sku: 'SKU-1234' } }), short).sku, 'SKU…');
  });

  it('adds the resource only when asked', () => {
    assert.equal(encode(record()).resource, undefined);
    assert.deepEqual(encode(record(), createJsonEncoder({ resource: { 'service.name': 'a' } })).resource, { 'service.name': 'a' });
  });

  describe('hostile values', () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const throwingGetter = Object.defineProperty({}, 'x', { enumerable: true, get() { throw new Error('no'); } });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    class Point { x = 1; y = 2; }
    const cases: Array<[string, unknown, (v: unknown) => void]> = [
      ['a circular reference', circular, (v) => assert.deepEqual(v, { name: 'loop', self: '[Circular]' })],
      ['a BigInt', 2n ** 70n, (v) => assert.equal(v, '1180591620717411303424')],
      ['a Symbol', Symbol('s'), (v) => assert.equal(v, 'Symbol(s)')],
      ['a function', function handler() {}, (v) => assert.equal(v, '[Function: handler]')],
      ['a Buffer', Buffer.from('hi'), (v) => assert.equal(v, 'aGk=')],
      ['a Float32Array', new Float32Array([1, 2]), (v) => assert.deepEqual(v, [1, 2])],
      ['a Date', new Date(0), (v) => assert.equal(v, '1970-01-01T00:00:00.000Z')],
      ['an invalid Date', new Date(NaN), (v) => assert.equal(v, 'Invalid Date')],
      ['a Map', new Map<unknown, unknown>([['a', 1], [2, 'b']]), (v) => assert.deepEqual(v, { a: 1, 2: 'b' })],
      ['a Set', new Set([1, 2]), (v) => assert.deepEqual(v, [1, 2])],
      ['a class instance', new Point(), (v) => assert.deepEqual(v, { x: 1, y: 2 })],
      ['a throwing toJSON', { toJSON() { throw new Error('x'); } }, (v) => assert.equal(v, '[toJSON threw]')],
      ['a throwing getter', throwingGetter, (v) => assert.deepEqual(v, { x: '[Getter threw]' })],
      ['a revoked proxy', revoked.proxy, (v) => assert.equal(v, '[Unserializable]')],
      ['a lone surrogate', 'a\ud800b', (v) => assert.equal(v, 'a\ud800b')],
      ['control characters', 'a\nb\u0000c\u001b[31m', (v) => assert.equal(v, 'a\nb\u0000c\u001b[31m')],
      ['NaN and Infinity', [NaN, Infinity, -0], (v) => assert.deepEqual(v, ['NaN', 'Infinity', 0])],
      ['a __proto__ key', JSON.parse('{"__proto__":{"polluted":true}}'), (v) => assert.equal(Object.keys(v as object)[0], '__proto__')],
      ['a very deep value', deep(1000), (v) => assert.match(JSON.stringify(v), /\[Object\]/)],
      ['a very large array', Array.from({ length: 5000 }, (_, i) => i), (v) => assert.equal((v as unknown[]).at(-1), '[4000 more]')],
      ['an error', new Error('inner'), (v) => assert.equal((v as { message: string }).message, 'inner')],
      ['undefined inside an array', [undefined, 1], (v) => assert.deepEqual(v, [null, 1])],
    ];
    for (const [name, value, check] of cases) {
      it(`gives valid JSON for ${name}`, () => {
        const line = encode(record({ attributes: { v: value } }));
        check(line.v);
      });
    }

    it('never lets a value split the line or forge a field', () => {
      const text = createJsonEncoder()(record({ body: 'x\n{"level":"FATAL"}', attributes: { s: '\r\n"}' } }));
      assert.equal(text.split('\n').length, 2);
      assert.equal((JSON.parse(text) as { level: string }).level, 'INFO');
    });
  });
});

function deep(n: number): unknown {
  let v: unknown = {};
  for (let i = 0; i < n; i++) v = { v };
  return v;
}

describe('createJsonEncoder() on consecutive records', () => {
  it('writes each record\'s own level text and scope, one after another', () => {
    const encoder = createJsonEncoder();
    const lines = [
      record({ severityNumber: 9, severityText: 'INFO' }), record({ severityNumber: 9, severityText: 'NOTICE' }),
      record({ severityNumber: 9, severityText: 'NOTICE', scope: 'other' }), record({ severityNumber: 13, severityText: 'WARN', scope: 'other' }),
    ].map((r) => encode(r, encoder));
    assert.deepEqual(lines.map((l) => [l.level, l.severity_number, l.scope]),
      [['INFO', 9, 'orders'], ['NOTICE', 9, 'orders'], ['NOTICE', 9, 'other'], ['WARN', 13, 'other']]);
  });

  it('cuts the same message to each encoder\'s own length limit', () => {
    const long = createJsonEncoder();
    const short = createJsonEncoder({ limits: { ...DEFAULT_LIMITS, valueLength: 5 } });
    const r = record({ body: 'a message of some length' });
    assert.equal(encode(r, long).message, 'a message of some length');
    assert.equal((encode(r, short).message as string).length <= 5, true);
    assert.equal(encode(r, long).message, 'a message of some length');
  });
});

describe('createJsonEncoder() on records of the same shape', () => {
  it('merges call attributes whose keys clash with another child\'s bindings after a record that did not clash', () => {
    const encoder = createJsonEncoder();
    const plain = runtime.bind(undefined, { service: 'checkout' });
    const clashing = runtime.bind(undefined, { sku: 'bound' });
    const first = encoder(record({ bindings: plain, attributes: { sku: 'A', qty: 1 } }));
    const second = encoder(record({ bindings: clashing, attributes: { sku: 'B', qty: 2 } }));
    assert.ok(first.endsWith('"service":"checkout","sku":"A","qty":1}\n'), first);
    assert.equal(second.match(/"sku":/g)?.length, 1, second);
    assert.equal(JSON.parse(second).sku, 'B');
  });

  it('follows a change of keys, of key order and of request attributes between records', () => {
    const encoder = createJsonEncoder();
    const request = Object.freeze({ qty: 'request' });
    const lines = [
      encoder(record({ attributes: { sku: 'A', qty: 1 } })),
      encoder(record({ attributes: { qty: 2, sku: 'B' } })),
      encoder(record({ attributes: { qty: 3, sku: 'C' }, contextAttributes: request })),
      encoder(record({ attributes: { sku: 'D', price: 4 }, contextAttributes: request })),
    ];
    assert.ok(lines[0]!.endsWith('"sku":"A","qty":1}\n'), lines[0]);
    assert.ok(lines[1]!.endsWith('"qty":2,"sku":"B"}\n'), lines[1]);
    assert.equal(lines[2]!.match(/"qty":/g)?.length, 1, lines[2]);
    assert.equal(JSON.parse(lines[2]!).qty, 3);
    assert.ok(lines[3]!.endsWith('"qty":"request","sku":"D","price":4}\n'), lines[3]);
  });

  it('writes one request\'s attributes with each encoder\'s own limits, record after record', () => {
    const long = createJsonEncoder();
    const short = createJsonEncoder({ limits: { ...DEFAULT_LIMITS, valueLength: 5 } });
    const r = record({ contextAttributes: Object.freeze({ 'user.id': 'abcdefghij' }) });
    assert.deepEqual([encode(r, long), encode(r, short), encode(r, long)].map((l) => (l['user.id'] as string).length), [10, 5, 10]);
  });
});
