import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import sinon from 'sinon';
import { toExceptionInfo, isError, errorType } from '../../src/values/exception.ts';
import { getLogger, getLevel, setLevel } from '../../src/index.ts';
import { captureLogs } from '../../src/testing/index.ts';
import { createJsonEncoder } from '../../src/encoders/json.ts';
import type { LogRecord } from '../../src/core/record.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';
import { makeRecord } from '../encoders/record-fixture.ts';

class HttpError extends Error {
  statusCode: number;
  constructor(message: string, statusCode: number, options?: ErrorOptions) {
    super(message, options);
    this.statusCode = statusCode;
  }
}

function withCode<T extends Error>(error: T, code: string): T {
  (error as T & { code: string }).code = code;
  return error;
}

describe('toExceptionInfo()', () => {
  describe('with Error values', () => {
    it('gives the class name as exception.type, not the inherited name', () => {
      const info = toExceptionInfo(new HttpError('upstream failed', 502));
      assert.equal(info.type, 'HttpError');
      assert.equal(info.message, 'upstream failed');
    });

    it('puts the Node code in exception.code, not in the type', () => {
      let thrown: unknown;
      try {
        Buffer.alloc('x' as unknown as number);
      } catch (error) {
        thrown = error;
      }
      const info = toExceptionInfo(thrown);
      assert.equal(info.type, 'TypeError');
      assert.equal(info.attributes?.['exception.code'], 'ERR_INVALID_ARG_TYPE');
    });

    it('keeps a system error\'s errno, syscall and path as attributes', async () => {
      const { readFile } = await import('node:fs/promises');
      const thrown = await readFile('/nonexistent/logbridge').catch((error: unknown) => error);
      const info = toExceptionInfo(thrown);
      assert.equal(info.type, 'Error');
      assert.equal(info.attributes?.['exception.code'], 'ENOENT');
      assert.equal(info.attributes?.['exception.syscall'], 'open');
      assert.equal(info.attributes?.['exception.path'], '/nonexistent/logbridge');
      assert.equal(typeof info.attributes?.['exception.errno'], 'number');
    });

    it('keeps extra enumerable properties such as statusCode as exception.<key>', () => {
      const error = Object.assign(new HttpError('nope', 404), { retryable: false, detail: { id: 7 } });
      const info = toExceptionInfo(error);
      assert.deepEqual(info.attributes, {
        'exception.statusCode': 404, 'exception.retryable': false, 'exception.detail': { id: 7 },
      });
    });

    it('uses name over the class when a plain Error was given a specific name', () => {
      const error = new Error('bad input');
      error.name = 'ValidationError';
      assert.equal(toExceptionInfo(error).type, 'ValidationError');
    });

    it('uses a DOMException\'s name (AbortError, TimeoutError) and drops its legacy numeric code', () => {
      const info = toExceptionInfo(new DOMException('timed out', 'TimeoutError'));
      assert.equal(info.type, 'TimeoutError');
      assert.equal(info.attributes, undefined);
    });

    it('recognises errors from another realm', () => {
      const foreign = runInNewContext('new RangeError("other realm")') as unknown;
      assert.equal(isError(foreign), true);
      const info = toExceptionInfo(foreign);
      assert.equal(info.type, 'RangeError');
      assert.match(info.stacktrace ?? '', /^RangeError: other realm/);
    });

    it('leaves the stack out when asked', () => {
      const info = toExceptionInfo(new Error('x'), { stack: false });
      assert.equal(info.stacktrace, undefined);
    });

    it('marks expected errors with exception.expected', () => {
      const info = toExceptionInfo(withCode(new Error('declined'), 'CARD_DECLINED'), { expected: true });
      assert.deepEqual(info.attributes, { 'exception.code': 'CARD_DECLINED', 'exception.expected': true });
    });
  });

  describe('stack traces', () => {
    it('includes the whole cause chain, each link labelled', () => {
      const root = withCode(new Error('socket hang up'), 'ECONNRESET');
      const middle = new TypeError('fetch failed', { cause: root });
      const top = new HttpError('payment service unavailable', 503, { cause: middle });
      const stack = toExceptionInfo(top).stacktrace ?? '';
      assert.match(stack, /^Error: payment service unavailable\n {4}at /);
      assert.match(stack, /\nCaused by: TypeError: fetch failed\n {4}at /);
      assert.match(stack, /\nCaused by \[ECONNRESET\]: Error: socket hang up\n {4}at /);
      assert.ok(stack.indexOf('fetch failed') < stack.indexOf('socket hang up'));
    });

    it('includes every AggregateError member, indented, with their causes', () => {
      const aggregate = new AggregateError(
        [new TypeError('first'), new Error('second', { cause: new Error('deep') }), 'a string member'],
        'all attempts failed');
      const stack = toExceptionInfo(aggregate).stacktrace ?? '';
      assert.match(stack, /^AggregateError: all attempts failed\n/);
      assert.match(stack, /\n {4}\[errors\]\[0\]: TypeError: first\n {8}at /);
      assert.match(stack, /\n {4}\[errors\]\[1\]: Error: second\n/);
      assert.match(stack, /\n {4}Caused by: Error: deep\n {8}at /);
      assert.match(stack, /\n {4}\[errors\]\[2\]: a string member(\n|$)/);
      assert.equal(toExceptionInfo(aggregate).attributes, undefined, 'members are in the stack, not attributes');
    });

    it('follows an AggregateError inside a cause chain', () => {
      const top = new Error('checkout failed', { cause: new AggregateError([new Error('replica down')], 'no replica') });
      const stack = toExceptionInfo(top).stacktrace ?? '';
      assert.match(stack, /\nCaused by: AggregateError: no replica\n[\s\S]*\n {4}\[errors\]\[0\]: Error: replica down/);
    });

    it('shows both parts of a SuppressedError', function () {
      const Suppressed = (globalThis as { SuppressedError?: new (e: unknown, s: unknown, m: string) => Error })
        .SuppressedError;
      if (Suppressed === undefined) this.skip();
      const stack = toExceptionInfo(new Suppressed!(new Error('inner'), new Error('cleanup'), 'disposal failed'))
        .stacktrace ?? '';
      assert.match(stack, /\n {4}\[error\]: Error: inner\n/);
      assert.match(stack, /\n {4}\[suppressed\]: Error: cleanup\n/);
    });

    it('shows non-error causes readably', () => {
      const stack = toExceptionInfo(new Error('outer', { cause: { reason: 'quota' } })).stacktrace ?? '';
      assert.match(stack, /\nCaused by: Object: \{"reason":"quota"\}$/);
    });

    it('cuts a circular cause chain', () => {
      const a = new Error('a');
      const b = new Error('b', { cause: a });
      (a as Error & { cause: unknown }).cause = b;
      const stack = toExceptionInfo(a).stacktrace ?? '';
      assert.match(stack, /\nCaused by: Error: b\n[\s\S]*\nCaused by: \[Circular\]$/);
    });

    it('shows equal primitive members each time (only objects can be circular)', () => {
      const stack = toExceptionInfo(new AggregateError(['timeout', 'timeout'], 'both failed')).stacktrace ?? '';
      assert.match(stack, /\n {4}\[errors\]\[0\]: timeout\n {4}\[errors\]\[1\]: timeout$/);
    });

    it('stops after a bounded number of links', () => {
      let error = new Error('level 0');
      for (let i = 1; i <= 100; i++) error = new Error(`level ${i}`, { cause: error });
      const stack = toExceptionInfo(error).stacktrace ?? '';
      assert.match(stack, /\[more links left out\]$/);
      assert.ok(stack.length < 64 * 1024 + 100);
    });
  });

  describe('with non-error values', () => {
    const cases: Array<[string, unknown, string, string]> = [
      ['a string', 'boom', 'string', 'boom'],
      ['a number', 42, 'number', '42'],
      ['null', null, 'null', 'null'],
      ['undefined', undefined, 'undefined', 'undefined'],
      ['a symbol', Symbol('stop'), 'symbol', 'Symbol(stop)'],
      ['a bigint', 10n, 'bigint', '10'],
      ['a function', function named() {}, 'function', '[Function: named]'],
      ['a plain object', { reason: 'quota', n: 2 }, 'Object', '{"reason":"quota","n":2}'],
      ['a null-prototype object', Object.create(null), 'Object', '{}'],
    ];
    for (const [label, value, type, message] of cases) {
      it(`describes ${label}`, () => {
        const info = toExceptionInfo(value);
        assert.equal(info.type, type);
        assert.equal(info.message, message);
        assert.equal(info.stacktrace, undefined);
      });
    }

    it('treats an error-like object ({ name, message, code }) like an error', () => {
      const info = toExceptionInfo({ name: 'GraphQLError', message: 'not allowed', code: 'FORBIDDEN', status: 403 });
      assert.deepEqual(info, {
        type: 'GraphQLError', message: 'not allowed',
        attributes: { 'exception.code': 'FORBIDDEN', 'exception.status': 403 },
      });
    });
  });

  describe('with hostile values', () => {
    afterEach(() => sinon.restore());

    it('survives properties whose getters throw', () => {
      const error = new HttpError('kept', 500);
      Object.defineProperty(error, 'boom', { enumerable: true, get: () => { throw new Error('getter'); } });
      Object.defineProperty(error, 'cause', { get: () => { throw new Error('cause getter'); } });
      const info = toExceptionInfo(error);
      assert.equal(info.type, 'HttpError');
      assert.equal(info.message, 'kept');
      assert.deepEqual(info.attributes, { 'exception.statusCode': 500 });
    });

    it('survives a message and a stack that throw', () => {
      const error = new Error('x');
      Object.defineProperty(error, 'message', { get: () => { throw new Error('m'); } });
      Object.defineProperty(error, 'stack', { get: () => { throw new Error('s'); } });
      const info = toExceptionInfo(error);
      assert.deepEqual([info.type, info.message, info.stacktrace], ['Error', '', 'Error: ']);
    });

    it('survives a circular extra property', () => {
      const error = new Error('loop') as Error & { context: Record<string, unknown> };
      error.context = { error };
      const info = toExceptionInfo(error);
      assert.equal(info.attributes?.['exception.context'], error.context);
      const line = encode(record({ exception: info }));
      assert.doesNotThrow(() => JSON.parse(line));
    });

    it('survives a proxy whose every trap throws', () => {
      const hostile = new Proxy({}, {
        getPrototypeOf: () => { throw new Error('p'); },
        get: () => { throw new Error('g'); },
        ownKeys: () => { throw new Error('k'); },
      });
      const info = toExceptionInfo(hostile);
      assert.equal(typeof info.type, 'string');
      assert.equal(typeof info.message, 'string');
    });

    it('survives a revoked proxy', () => {
      const { proxy, revoke } = Proxy.revocable(new Error('gone'), {});
      revoke();
      assert.doesNotThrow(() => toExceptionInfo(proxy));
    });
  });
});

describe('errorType()', () => {
  it('gives the class name of a subclass', () => {
    assert.equal(errorType(new HttpError('x', 1)), 'HttpError');
  });
});

describe('Logger', () => {
  let level: string;
  beforeEach(() => {
    level = getLevel();
    setLevel('info');
  });
  afterEach(() => setLevel(level));

  describe('expected()', () => {
    it('records a WARN with type, message and code, without a stack', async () => {
      const error = withCode(new HttpError('card declined', 402), 'CARD_DECLINED');
      const sink = await captureLogs(() => getLogger('payments').expected('payment declined', error, { orderId: 7 }));
      const r = sink.records[0]!;
      assert.equal(r.severityText, 'WARN');
      assert.equal(r.severityNumber, 13);
      assert.equal(r.body, 'payment declined');
      assert.equal(r.exception?.type, 'HttpError');
      assert.equal(r.exception?.message, 'card declined');
      assert.equal(r.exception?.stacktrace, undefined);
      assert.deepEqual({ ...r.allAttributes }, {
        'exception.code': 'CARD_DECLINED', 'exception.statusCode': 402, 'exception.expected': true, orderId: 7,
      });
    });

    it('records at ERROR with the stack when the caller asks', async () => {
      const sink = await captureLogs(() => getLogger('payments')
        .expected('refund rejected', new Error('closed account'), undefined, { level: 'error', stack: true }));
      const r = sink.records[0]!;
      assert.equal(r.severityText, 'ERROR');
      assert.match(r.exception?.stacktrace ?? '', /^Error: closed account\n {4}at /);
    });

    it('takes the error alone, its message becoming the record\'s', async () => {
      const sink = await captureLogs(() => getLogger('t').expected(new RangeError('page out of range'), { page: 9 }));
      const r = sink.records[0]!;
      assert.equal(r.body, 'page out of range');
      assert.equal(r.exception?.type, 'RangeError');
      assert.deepEqual(r.attributes, { page: 9 });
    });

    it('does nothing when its level is disabled', async () => {
      setLevel('error');
      const sink = await captureLogs(() => getLogger('t').expected('not found', new Error('404')));
      assert.equal(sink.records.length, 0);
    });

    it('never throws, even with hostile options, and reports it on the diagnostic channel', async () => {
      const lines: string[] = [];
      setDiagnosticSink((line) => lines.push(line));
      try {
        const options = { get level(): 'warn' { throw new Error('hostile'); } };
        await captureLogs(() => assert.doesNotThrow(() => getLogger('t').expected('x', new Error('y'), {}, options)));
      } finally {
        setDiagnosticSink(undefined);
      }
      assert.deepEqual(lines, ['logbridge: LOG_FAILED: a log call failed (Error: hostile)\n']);
    });

    it('writes the same exception.* keys on a stdout line', async () => {
      const sink = await captureLogs(() => getLogger('t').expected('declined', withCode(new Error('no'), 'E_NO')));
      const line = JSON.parse(encode(sink.records[0]!)) as Record<string, unknown>;
      assert.equal(line['exception.type'], 'Error');
      assert.equal(line['exception.message'], 'no');
      assert.equal(line['exception.code'], 'E_NO');
      assert.equal(line['exception.expected'], true);
      assert.equal('exception.stacktrace' in line, false);
    });
  });
});

const encodeJson = createJsonEncoder();
function encode(r: LogRecord): string {
  return encodeJson(r);
}

function record(fields: Partial<LogRecord>): LogRecord {
  return makeRecord({ time: Date.now(), severityNumber: 17, severityText: 'ERROR', scope: 't', body: 'b', ...fields });
}
