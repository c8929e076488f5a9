import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createPrettyEncoder, escapeControls, shouldUseColor, renderPretty } from '../../src/encoders/pretty.ts';
import { DEFAULT_LIMITS } from '../../src/values/limits.ts';
import { makeRecord, TRACE } from './record-fixture.ts';

const plain = createPrettyEncoder({ colors: false });
// Anything a terminal would act on, other than the line's own final newline.
const TERMINAL_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('createPrettyEncoder()', () => {
  it('writes time, level, scope, message, attributes, request ID and short trace ID on one line', () => {
    const line = plain(makeRecord({ attributes: { orderId: 42, note: 'two words' }, requestId: 'r-7', trace: TRACE }));
    assert.equal(line, '09:14:03.123 INFO  orders: order placed orderId=42 note="two words" req=r-7 trace=0af76519\n');
  });

  it('writes the full RFC 3339 timestamp with time: iso', () => {
    const line = createPrettyEncoder({ colors: false, time: 'iso' })(makeRecord());
    assert.ok(line.startsWith('2026-11-28T09:14:03.123456Z INFO  orders: '), line);
  });

  it('shows nested values as compact JSON and bytes as base64', () => {
    const line = plain(makeRecord({ attributes: { user: { id: 1, tags: ['a'] }, raw: new Uint8Array([1, 2, 3]), n: 10n } }));
    assert.match(line, / user=\{"id":1,"tags":\["a"\]\} raw=AQID n=10\n$/);
  });

  it('writes a throwing getter as a placeholder and keeps the other attributes', () => {
    const line = plain(makeRecord({ attributes: { a: 1, get boom(): never { throw new Error('x'); }, b: 2 } }));
    assert.match(line, / a=1 boom="\[Getter threw\]" b=2\n$/);
  });

  it('renames attributes that clash with a record field or a pretty label to attr.<key>', () => {
    const line = plain(makeRecord({ attributes: { level: 'gold', 'request.id': 'forged', req: 'x', trace: 't', message: 'm', ok: 1 },
      requestId: 'r-7' }));
    assert.match(line, / attr\.level=gold attr\.request\.id=forged attr\.req=x attr\.trace=t attr\.message=m ok=1 req=r-7\n$/);
  });

  it('leaves out attributes whose value is undefined, as the JSON line does', () => {
    const line = plain(makeRecord({ attributes: { undef: undefined, kept: 1 } }));
    assert.doesNotMatch(line, /undef/);
    assert.match(line, / kept=1\n$/);
  });

  it('shows the event name of event records', () => {
    const line = plain(makeRecord({ body: '', eventName: 'user.login', attributes: { 'user.id': 7 } }));
    assert.equal(line, '09:14:03.123 INFO  orders: event=user.login user.id=7\n');
  });

  it('prints the exception stack indented under the line, causes included', () => {
    const line = plain(makeRecord({
      severityNumber: 17, severityText: 'ERROR',
      exception: { type: 'Error', message: 'outer', stacktrace: 'Error: outer\n    at a (x.js:1:1)\nCaused by: TypeError: inner\n    at b (y.js:2:2)' },
    }));
    assert.deepEqual(line.split('\n'), [
      '09:14:03.123 ERROR orders: order placed',
      '    Error: outer',
      '        at a (x.js:1:1)',
      '    Caused by: TypeError: inner',
      '        at b (y.js:2:2)',
      '',
    ]);
  });

  it('prints type and message when the exception has no stack', () => {
    const line = plain(makeRecord({ exception: { type: 'string', message: 'boom' } }));
    assert.equal(line.split('\n')[1], '    string: boom');
  });

  it('escapes newlines, ANSI escapes and bidi overrides in the message, keys and values', () => {
    const forged = 'ok\n09:14:03.124 INFO  orders: forged\x1b[2J\u202e';
    const line = plain(makeRecord({ body: forged, scope: 'a\rb', attributes: { ['k\n']: forged } }));
    assert.equal(line.indexOf('\n'), line.length - 1);
    assert.ok(!TERMINAL_CONTROL.test(line.slice(0, -1)), JSON.stringify(line));
    assert.ok(line.includes('ok\\n09:14:03.124 INFO  orders: forged\\x1b[2J\\u202e'), line);
  });

  it('keeps every record to lines of its own whatever the input (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (body, key, value) => {
      const text = plain(makeRecord({ body, attributes: { [key]: value }, exception: { type: 'E', message: value, stacktrace: value } }));
      const lines = text.split('\n');
      assert.equal(lines.pop(), '');
      assert.match(lines[0]!, /^09:14:03\.123 INFO  orders:/);
      for (const [i, l] of lines.entries()) {
        assert.ok(!TERMINAL_CONTROL.test(l), JSON.stringify(l));
        if (i > 0) assert.ok(l.startsWith('    '), 'continuation lines are indented');
      }
    }), { numRuns: 120 });
  });

  it('colours the level and dims the time when colours are on', () => {
    const line = createPrettyEncoder({ colors: true })(makeRecord({ severityNumber: 13, severityText: 'WARN' }));
    assert.ok(line.startsWith('\x1b[2m09:14:03.123\x1b[0m \x1b[33mWARN \x1b[0m'), JSON.stringify(line));
  });

  it('writes no escape sequence at all when colours are off', () => {
    assert.ok(!plain(makeRecord({ attributes: { a: 1 }, trace: TRACE })).includes('\x1b'));
  });

  it('uses no colours with colors: auto when NO_COLOR is set, even with FORCE_COLOR', () => {
    const line = createPrettyEncoder({ colors: 'auto', env: { NO_COLOR: '1', FORCE_COLOR: '1' } })(makeRecord());
    assert.ok(!line.includes('\x1b'));
  });
});

describe('shouldUseColor()', () => {
  it('is false when NO_COLOR is non-empty', () => {
    assert.equal(shouldUseColor(1, { NO_COLOR: '1', FORCE_COLOR: '3' }), false);
  });

  it('ignores an empty NO_COLOR', () => {
    assert.equal(shouldUseColor(1, { NO_COLOR: '', FORCE_COLOR: '1' }), true);
  });

  it('follows FORCE_COLOR when set', () => {
    assert.equal(shouldUseColor(99, { FORCE_COLOR: '1' }), true);
    assert.equal(shouldUseColor(99, { FORCE_COLOR: '' }), true);
    assert.equal(shouldUseColor(99, { FORCE_COLOR: '0' }), false);
    assert.equal(shouldUseColor(99, { FORCE_COLOR: 'false' }), false);
  });

  it('is false for a descriptor that is not a TTY', () => {
    assert.equal(shouldUseColor(99, {}), false);
  });
});

describe('escapeControls()', () => {
  it('returns plain text unchanged', () => {
    assert.equal(escapeControls('héllo wörld ✓'), 'héllo wörld ✓');
  });

  it('names \\n \\r \\t and writes other controls as \\xHH or \\uHHHH', () => {
    assert.equal(escapeControls('a\nb\rc\td\x00e\x7f\x9b\u2028'), 'a\\nb\\rc\\td\\x00e\\x7f\\x9b\\u2028');
  });
});

describe('renderPretty()', () => {
  it('never throws on hostile fields', () => {
    const line = renderPretty({
      timestamp: 'not a time', level: 'X', severityNumber: NaN, scope: '', message: 'm',
      attributes: [['k', { get boom() { throw new Error('x'); } }]],
    }, { colors: true, time: 'time', limits: DEFAULT_LIMITS });
    assert.ok(line.endsWith('\n'));
  });
});
