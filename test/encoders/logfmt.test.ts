import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createLogfmtEncoder, logfmtKey, logfmtValue } from '../../src/encoders/logfmt.ts';
import { makeRecord, TRACE } from './record-fixture.ts';

/**
 * A logfmt reader written from the go-logfmt grammar (key = ident without
 * space, '=' or '"'; value = bare run of non-space or a double-quoted string
 * with backslash escapes), independent of the encoder.
 */
function parseLogfmt(line: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    let key = '';
    while (i < line.length && line[i] !== '=' && line[i] !== ' ') key += line[i++];
    assert.notEqual(key, '', `empty key at ${i} in ${line}`);
    assert.ok(!key.includes('"'), `quote in key ${key}`);
    if (line[i] !== '=') { pairs.push([key, '']); continue; }
    i++;
    let value = '';
    if (line[i] === '"') {
      i++;
      while (line[i] !== '"') {
        assert.ok(i < line.length, `unterminated quote in ${line}`);
        if (line[i] === '\\') {
          const e = line[i + 1]!;
          if (e === 'u') { value += String.fromCharCode(parseInt(line.slice(i + 2, i + 6), 16)); i += 6; continue; }
          value += ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' } as Record<string, string>)[e] ?? assert.fail(`bad escape \\${e}`);
          i += 2;
          continue;
        }
        value += line[i++];
      }
      i++;
      assert.ok(i >= line.length || line[i] === ' ', 'a quoted value ends at a space');
    } else {
      while (i < line.length && line[i] !== ' ') value += line[i++];
      assert.ok(!value.includes('"'), `bare value with a quote: ${value}`);
    }
    pairs.push([key, value]);
  }
  return pairs;
}

/** No lone surrogates (String.prototype.isWellFormed is ES2024, beyond the typed lib). */
function isWellFormed(s: string): boolean {
  return !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
}

function encode(overrides: Parameters<typeof makeRecord>[0]): Map<string, string> {
  const line = createLogfmtEncoder()(makeRecord(overrides));
  assert.equal(line.indexOf('\n'), line.length - 1, 'one line per record');
  return new Map(parseLogfmt(line.slice(0, -1)));
}

describe('createLogfmtEncoder()', () => {
  it('writes the record fields under the JSON line keys', () => {
    const line = createLogfmtEncoder()(makeRecord({ requestId: 'r-7', trace: TRACE, eventName: 'order.placed' }));
    assert.equal(line, 'timestamp=2026-11-28T09:14:03.123456Z level=INFO scope=orders message="order placed" ' +
      'event_name=order.placed trace_id=0af7651916cd43dd8448eb211c80319c span_id=b7ad6b7169203331 trace_flags=01 request.id=r-7\n');
  });

  it('writes numbers and booleans bare and objects as quoted JSON', () => {
    const pairs = encode({ attributes: { n: 42, ok: true, user: { id: 1 }, none: null, skip: undefined } });
    assert.equal(pairs.get('n'), '42');
    assert.equal(pairs.get('ok'), 'true');
    assert.deepEqual(JSON.parse(pairs.get('user')!), { id: 1 });
    assert.equal(pairs.get('none'), 'null');
    assert.equal(pairs.has('skip'), false);
  });

  it('renames attributes that clash with record fields to attr.<key>', () => {
    const pairs = encode({ attributes: { level: 'fake', message: 'fake' } });
    assert.equal(pairs.get('level'), 'INFO');
    assert.equal(pairs.get('attr.level'), 'fake');
    assert.equal(pairs.get('attr.message'), 'fake');
  });

  it('writes the exception with its stack on the same line', () => {
    const pairs = encode({ exception: { type: 'TypeError', message: 'bad', stacktrace: 'TypeError: bad\n    at x' } });
    assert.equal(pairs.get('exception.type'), 'TypeError');
    assert.equal(pairs.get('exception.stacktrace'), 'TypeError: bad\n    at x');
  });

  it('writes a throwing getter as a placeholder and keeps the other attributes', () => {
    const pairs = encode({ attributes: { a: 1, get boom(): never { throw new Error('x'); }, b: 2 } });
    assert.equal(pairs.get('boom'), '[Getter threw]');
    assert.equal(pairs.get('b'), '2');
  });

  it('escapes characters a key cannot hold, keeping distinct keys distinct', () => {
    const line = createLogfmtEncoder()(makeRecord({ attributes: { 'a b=c"d\n': 1, a_b_c_d_: 2, 'a\\x20b': 3 } }));
    assert.ok(line.includes(' a\\x20b\\x3dc\\x22d\\x0a=1 a_b_c_d_=2 a\\x5cx20b=3'), line);
  });

  it('round-trips any string value through a logfmt reader (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (body, value) => {
      const pairs = encode({ body, attributes: { v: value } });
      assert.equal(pairs.get('message'), isWellFormed(body) ? body : pairs.get('message'));
      if (isWellFormed(value)) assert.equal(pairs.get('v'), value);
    }), { numRuns: 80 });
  });

  it('keeps the line free of raw control characters', () => {
    const line = createLogfmtEncoder()(makeRecord({ body: 'a\x1b[31m\u2028\x85b', attributes: { k: '\x7f' } }));
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028]/.test(line), JSON.stringify(line));
  });
});

describe('logfmtValue()', () => {
  it('leaves safe values bare', () => {
    assert.equal(logfmtValue('abc-1.2/x'), 'abc-1.2/x');
  });

  it('quotes empty values and values with spaces, quotes, equals signs or backslashes', () => {
    assert.equal(logfmtValue(''), '""');
    assert.equal(logfmtValue('a b'), '"a b"');
    assert.equal(logfmtValue('a"b'), '"a\\"b"');
    assert.equal(logfmtValue('a=b'), '"a=b"');
    assert.equal(logfmtValue('a\\b'), '"a\\\\b"');
  });
});

describe('logfmtKey()', () => {
  it('gives "" for an empty key (no other key is written so)', () => {
    assert.equal(logfmtKey(''), '""');
  });
});
