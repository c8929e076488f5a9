import assert from 'node:assert/strict';
import sinon from 'sinon';
import { configure, getLogger, withRequestContext, LogbridgeError } from '../../src/index.ts';
import { createRedactor, DEFAULT_REDACT_KEYS, type RedactOptions } from '../../src/redact/redactor.ts';
import { redactOptionsFromEnv } from '../../src/config/redact.ts';
import { isCardNumber } from '../../src/redact/patterns.ts';
import { toExceptionInfo } from '../../src/values/exception.ts';
import { MemorySink, captureLogs } from '../../src/testing/index.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';
import type { LogRecord } from '../../src/core/record.ts';
import { runNode, parseLines, SRC_INDEX } from '../helpers/run-node.ts';
import { makeRecord } from '../encoders/record-fixture.ts';

const R = '[REDACTED]';

/** Redacts; a changed result comes back as plain JSON data (Maps as objects), an unchanged one as the same object. */
function redact(value: Record<string, unknown>, options: RedactOptions = {}): unknown {
  const out = createRedactor(options).redactAttributes(value);
  return out === value ? out : plain(out);
}

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => v instanceof Map ? Object.fromEntries(v) : v));
}

function record(fields: Partial<LogRecord> = {}): LogRecord {
  return makeRecord({ time: 0, scope: 't', body: 'hello', ...fields });
}

describe('createRedactor()', () => {
  describe('redactAttributes() by key', () => {
    it('masks every default key', () => {
      const input = Object.fromEntries(DEFAULT_REDACT_KEYS.map((k) => [k, 'secret-value']));
      const out = redact(input) as Record<string, unknown>;
      for (const key of DEFAULT_REDACT_KEYS) assert.equal(out[key], R, key);
    });

    it('matches case-insensitively, ignoring separators, and by suffix', () => {
      const out = redact({
        Authorization: 'a', 'X-API-Key': 'b', userPassword: 'c', DB_PASSWORD: 'd', 'db.password': 'e',
        'http.request.header.authorization': ['f'], 'Proxy-Authorization': 'g', csrfToken: 'h', ApiKey: 'i',
      }) as Record<string, unknown>;
      for (const value of Object.values(out)) assert.equal(value, R);
    });

    it('leaves keys that only contain a listed name elsewhere', () => {
      const input = { tokenCount: 3, passwordLength: 8, max_tokens: 100, secretary: 'Ann' };
      assert.equal(redact(input), input);
    });

    it('masks the whole value of a matched key, objects and arrays included', () => {
      assert.deepEqual(redact({ credentials: { user: 'u', pass: 'p' }, cookie: ['a=1', 'b=2'] }),
        { credentials: R, cookie: R });
    });

    it('finds keys in nested objects, arrays, Maps and Sets', () => {
      const out = redact({
        req: { headers: { authorization: 'Bearer x', accept: '*/*' } },
        list: [{ token: 't1' }, { ok: 1 }],
        map: new Map([['password', 'p'], ['user', 'u']]),
        set: new Set([{ secret: 's' }]),
      });
      assert.deepEqual(out, {
        req: { headers: { authorization: R, accept: '*/*' } },
        list: [{ token: R }, { ok: 1 }],
        map: { password: R, user: 'u' },
        set: [{ secret: R }],
      });
    });

    it('finds each kind of nested secret on its own, with nothing else in the record to redact', () => {
      const cases: Array<[Record<string, unknown>, Record<string, unknown>]> = [
        [{ id: 1, list: [1, 'two', { token: 't' }] }, { id: 1, list: [1, 'two', { token: R }] }],
        [{ list: [[{ ok: 1 }, 'Bearer abcdefgh12345678']] }, { list: [[{ ok: 1 }, `Bearer ${R}`]] }],
        [{ a: { b: { c: { secret: 's' } } } }, { a: { b: { c: { secret: R } } } }],
        [{ a: Object.assign(Object.create(null) as object, { pwd: 'p' }) }, { a: { pwd: R } }],
        [{ set: new Set(['x', { passwd: 'p' }]) }, { set: ['x', { passwd: R }] }],
      ];
      for (const [input, expected] of cases) assert.deepEqual(redact(input), expected, JSON.stringify(expected));
    });

    it('searches what toJSON returns', () => {
      const value = { toJSON: () => ({ apiKey: 'k', id: 1 }) };
      assert.deepEqual(redact({ value }), { value: { apiKey: R, id: 1 } });
    });

    it('stops searching at the configured depth', () => {
      const deep = { a: { b: { password: 'p' } } };
      assert.equal(redact(deep, { depth: 2 }), deep);
      assert.deepEqual(redact(deep, { depth: 3 }), { a: { b: { password: R } } });
    });

    it('adds keys to the default list, or replaces it', () => {
      assert.deepEqual(redact({ ssn: '1', password: 'p' }, { keys: ['ssn'] }), { ssn: R, password: R });
      assert.deepEqual(redact({ ssn: '1', password: 'p' }, { keys: ['ssn'], defaultKeys: false, patterns: false }),
        { ssn: R, password: 'p' });
    });

    it('removes instead of masking in remove mode', () => {
      assert.deepEqual({ ...redact({ password: 'p', user: 'u', nested: { token: 't' } }, { mode: 'remove' }) as object },
        { user: 'u', nested: {} });
    });

    it('uses the configured censor', () => {
      assert.deepEqual({ ...redact({ token: 't' }, { censor: '***' }) as object }, { token: '***' });
    });

    it('returns the same object when nothing matched', () => {
      const input = { user: 'ann', nested: { list: [1, 'two', { three: 3 }] }, when: new Date(0) };
      assert.equal(redact(input), input);
    });

    it('masks a secret key where an earlier record had a clean key at the same position and depth', () => {
      const r = createRedactor();
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(plain(r.redactAttributes({ id: i, user: 'ann', nested: { user: 'ann' } })), { id: i, user: 'ann', nested: { user: 'ann' } });
        for (let repeat = 0; repeat < 2; repeat++) {
          assert.deepEqual(plain(r.redactAttributes({ id: i, password: 'p', nested: { token: 't' } })), { id: i, password: R, nested: { token: R } });
        }
      }
    });

    it('reads own keys only: an inherited enumerable key is neither written nor a reason to copy', () => {
      const input = Object.assign(Object.create({ password: 'inherited' }) as Record<string, unknown>, { user: 'ann' });
      assert.equal(createRedactor().redactAttributes(input), input);
      const secret = Object.assign(Object.create({ user: 'ann' }) as Record<string, unknown>, { password: 'p' });
      assert.deepEqual({ ...createRedactor().redactAttributes(secret) }, { password: R });
    });

    it('cuts a plain object past the count limit, redacting the kept keys', () => {
      const input: Record<string, unknown> = { password: 'hunter2' };
      for (let i = 0; i < 9; i++) input['k' + i] = i;
      const r = createRedactor({ attributeCount: 4 });
      const out = r.processor(record({ attributes: input }))!;
      assert.deepEqual({ ...out.attributes }, { password: R, k0: 0, k1: 1, k2: 2 });
      assert.equal(out.droppedAttributes, 6);
      const clean = Object.fromEntries(Array.from({ length: 10 }, (_, i) => ['k' + i, i]));
      const cut = r.processor(record({ attributes: clean }))!;
      assert.deepEqual(Object.keys(cut.attributes!), ['k0', 'k1', 'k2', 'k3']);
      assert.equal(cut.droppedAttributes, 6);
    });

    it('masks a secret value where an earlier record had a clean value at the same position', () => {
      const r = createRedactor();
      const clean = { id: 1, note: 'shipped to Lyon' };
      for (let i = 0; i < 3; i++) {
        assert.equal(r.redactAttributes(clean), clean);
        for (let repeat = 0; repeat < 2; repeat++) {
          assert.deepEqual({ ...r.redactAttributes({ id: 1, note: 'pwd=hunter2' }) }, { id: 1, note: `pwd=${R}` });
        }
      }
    });

    it('masks a secret key past the remembered depths and positions', () => {
      const r = createRedactor({ depth: 40 });
      let deep: Record<string, unknown> = { user: 'ann' };
      let secret: Record<string, unknown> = { password: 'p' };
      for (let d = 0; d < 20; d++) {
        deep = { a: deep };
        secret = { a: secret };
      }
      const wide = Object.fromEntries(Array.from({ length: 80 }, (_, i) => ['k' + i, i]));
      assert.equal(r.redactAttributes(deep), deep);
      assert.ok(JSON.stringify(r.redactAttributes(secret)).includes(R));
      assert.equal(r.redactAttributes(wide), wide);
      assert.equal(r.redactAttributes({ ...wide, k79: undefined, password: 'p' }).password, R);
    });

    it('survives cycles, throwing getters and revoked proxies, still masking the rest', () => {
      const cyclic: Record<string, unknown> = { token: 't' };
      cyclic.self = cyclic;
      const revocable = Proxy.revocable({}, {});
      revocable.revoke();
      const hostile = { get boom(): never { throw new Error('no'); } };
      const out = createRedactor().redactAttributes({ cyclic, proxy: revocable.proxy, hostile, password: 'p' });
      assert.equal(out.password, R);
      assert.equal((out.cyclic as Record<string, unknown>).token, R);
    });
  });

  describe('redactAttributes() by path', () => {
    it('masks a path with a wildcard in nested objects and arrays', () => {
      const out = redact({ user: { a: { ssn: '1', name: 'x' } }, users: [{ ssn: '2' }] },
        { paths: ['user.*.ssn', 'users.*.ssn'] });
      assert.deepEqual(JSON.parse(JSON.stringify(out)), { user: { a: { ssn: R, name: 'x' } }, users: [{ ssn: R }] });
    });

    it('matches flat dotted keys and nested forms alike, case-insensitively', () => {
      const out = redact({ 'headers.X-Session': 'a', headers: { 'x-session': 'b', other: 'c' } },
        { paths: ['headers.x-session'] });
      assert.deepEqual(JSON.parse(JSON.stringify(out)), { 'headers.X-Session': R, headers: { 'x-session': R, other: 'c' } });
    });

    it('masks a whole subtree named by a shorter path', () => {
      assert.deepEqual({ ...redact({ 'card.number': '1', 'card.holder': 'x', name: 'n' }, { paths: ['card'] }) as object },
        { 'card.number': R, 'card.holder': R, name: 'n' });
    });

    it('rejects an empty path with a LogbridgeError', () => {
      assert.throws(() => createRedactor({ paths: [''] }), (e: unknown) => e instanceof LogbridgeError &&
        e.code === 'LOGBRIDGE_ERR_INVALID_CONFIG');
    });
  });

  describe('redactString() by pattern', () => {
    const r = createRedactor();
    const cases: Array<[string, string]> = [
      ['Authorization: Bearer abc.def-ghi_12345', 'Authorization: [REDACTED]'],
      ['sent bearer abcdefgh12345678 upstream', `sent bearer ${R} upstream`],
      ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl here', `token ${R} here`],
      ['charged 4111 1111 1111 1111 ok', `charged ${R} ok`],
      ['charged 4111-1111-1111-1111 ok', `charged ${R} ok`],
      ['amex 378282246310005.', `amex ${R}.`],
      ['connecting to postgres://app:s3cr3t@db:5432/orders', `connecting to postgres://app:${R}@db:5432/orders`],
      ['redis://:hunter2@cache:6379', `redis://:${R}@cache:6379`],
      ['GET /cb?code=1&access_token=abc123&x=1', `GET /cb?code=1&access_token=${R}&x=1`],
      ['login failed password=hunter2 for bob', `login failed password=${R} for bob`],
      ['body {"api_key":"zz top","id":1}', `body {"api_key":"${R}","id":1}`],
      ['Authorization: Basic dXNlcjpwYXNz', `Authorization: ${R}`],
    ];
    for (const [input, expected] of cases) {
      it(`masks ${JSON.stringify(input)}`, () => assert.equal(r.redactString(input), expected));
    }

    it('keeps numbers that fail the Luhn check, and epoch-millisecond timestamps', () => {
      for (const text of ['order 4111111111111112', 'at 1732752000123 ms', 'id 1234567890123456']) {
        assert.equal(r.redactString(text), text);
      }
    });

    it('keeps ordinary prose', () => {
      const text = 'the bearer of bad news said the token: limit is fine; password reset email sent';
      assert.equal(createRedactor({ patterns: ['bearer', 'jwt', 'card', 'url-credentials'] }).redactString(text), text);
    });

    it('masks a card number given as a number attribute', () => {
      assert.deepEqual({ ...redact({ n: 4111111111111111, m: 4111111111111112 }) as object }, { n: R, m: 4111111111111112 });
    });

    it('applies custom regular expressions', () => {
      assert.equal(createRedactor({ patterns: [/SSN-\d+/] }).redactString('id SSN-123 and SSN-456'), `id ${R} and ${R}`);
    });

    it('does nothing with patterns off', () => {
      const text = 'Authorization: Bearer abc.def-ghi_12345';
      assert.equal(createRedactor({ patterns: false }).redactString(text), text);
    });

    it('rejects an unknown pattern name', () => {
      assert.throws(() => createRedactor({ patterns: ['nope' as 'jwt'] }), LogbridgeError);
    });

    it('scans a hostile 1 MB string in linear time', () => {
      const started = performance.now();
      for (const text of ['a'.repeat(1 << 20), '4'.repeat(1 << 20), 'password'.repeat(1 << 17), 'x://'.repeat(1 << 18)]) {
        r.redactString(text);
      }
      assert.ok(performance.now() - started < 2000);
    });
  });

  describe('processor', () => {
    const { processor } = createRedactor();

    it('returns the same record when nothing matched', () => {
      const input = record({ attributes: { user: 'ann' }, contextAttributes: { tenant: 't' } });
      assert.equal(processor(input), input);
    });

    it('masks the message, attributes, request attributes and exception', () => {
      const exception = toExceptionInfo(Object.assign(new Error('auth failed: Bearer abcdefgh12345678'),
        { config: { headers: { Authorization: 'Bearer abcdefgh12345678' } } }));
      const out = processor(record({
        body: 'password=hunter2', attributes: { token: 't' }, contextAttributes: { cookie: 'c' }, exception,
      }))!;
      assert.equal(out.body, `password=${R}`);
      assert.deepEqual({ ...out.attributes }, { token: R });
      assert.deepEqual({ ...out.contextAttributes }, { cookie: R });
      assert.equal(out.exception!.message, `auth failed: Bearer ${R}`);
      assert.ok(!out.exception!.stacktrace!.includes('abcdefgh12345678'));
      assert.deepEqual(JSON.parse(JSON.stringify(out.exception!.attributes)), { 'exception.config': { headers: { Authorization: R } } });
    });

    it('masks a secret message after a clean one, and again when it repeats', () => {
      const redactor = createRedactor();
      for (let i = 0; i < 2; i++) {
        assert.equal(redactor.processor(record({ body: 'order placed' }))!.body, 'order placed');
        for (let repeat = 0; repeat < 2; repeat++) assert.equal(redactor.processor(record({ body: 'token=abc123' }))!.body, `token=${R}`);
      }
    });

    it('masks each of two alternating request contexts and bindings by its own content', () => {
      const redactor = createRedactor({}, (attributes) => ({ attributes, keys: new Set(Object.keys(attributes)) }));
      const clean = { tenant: 't' };
      const secret = { session_token: 's' };
      const bound = { attributes: { service: 'a' }, keys: new Set(['service']) };
      const boundSecret = { attributes: { api_key: 'k' }, keys: new Set(['api_key']) };
      for (let i = 0; i < 3; i++) {
        const a = redactor.processor(record({ contextAttributes: clean, bindings: bound }))!;
        const b = redactor.processor(record({ contextAttributes: secret, bindings: boundSecret }))!;
        assert.equal(a.contextAttributes, clean);
        assert.equal(a.bindings, bound);
        assert.deepEqual({ ...b.contextAttributes }, { session_token: R });
        assert.deepEqual({ ...b.bindings!.attributes }, { api_key: R });
      }
    });

    it('redacts one request context object once, not per record', () => {
      const redactor = createRedactor();
      const context = { session_token: 's' };
      const spy = sinon.spy(redactor, 'redactAttributes');
      const a = redactor.processor(record({ contextAttributes: context }))!;
      const b = redactor.processor(record({ contextAttributes: context }))!;
      assert.equal(a.contextAttributes, b.contextAttributes);
      assert.equal(spy.callCount, 1);
    });
  });
});

describe('redactOptionsFromEnv()', () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    setDiagnosticSink((line) => lines.push(line));
  });
  afterEach(() => setDiagnosticSink(undefined));

  it('reads keys, paths, mode and patterns', () => {
    assert.deepEqual(redactOptionsFromEnv({
      LOGBRIDGE_REDACT_KEYS: 'ssn, pin', LOGBRIDGE_REDACT_PATHS: 'user.*.dob', LOGBRIDGE_REDACT_MODE: 'remove',
      LOGBRIDGE_REDACT_PATTERNS: 'jwt,card',
    }), { keys: ['ssn', 'pin'], paths: ['user.*.dob'], mode: 'remove', patterns: ['jwt', 'card'] });
  });

  it('turns redaction off with LOGBRIDGE_REDACT=off and patterns off with LOGBRIDGE_REDACT_PATTERNS=off', () => {
    assert.equal(redactOptionsFromEnv({ LOGBRIDGE_REDACT: 'off' }), undefined);
    assert.equal(redactOptionsFromEnv({ LOGBRIDGE_REDACT_PATTERNS: 'off' })!.patterns, false);
  });

  it('reports an invalid value once and uses the default', () => {
    assert.equal(redactOptionsFromEnv({ LOGBRIDGE_REDACT_MODE: 'shred' })!.mode, 'mask');
    assert.equal(redactOptionsFromEnv({ LOGBRIDGE_REDACT_PATTERNS: 'jwt,nope' })!.patterns, true);
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /LOGBRIDGE_REDACT_MODE/);
  });
});

describe('configure({ redact })', () => {
  let sink: MemorySink;
  beforeEach(() => {
    sink = new MemorySink();
  });
  after(() => configure({ env: {}, sinks: [] }));

  it('redacts by default, for every sink alike', () => {
    const other = new MemorySink();
    configure({ env: {}, sinks: [sink, other] });
    getLogger('t.redact').info('hi', { password: 'p' });
    assert.equal(sink.records[0]!.allAttributes.password, R);
    assert.equal(other.records[0]!.allAttributes.password, R);
  });

  it('redacts child bindings once, when the child is made', () => {
    configure({ env: {}, sinks: [sink] });
    const child = getLogger('t.redact').child({ apiKey: 'k', tenant: 't' });
    assert.deepEqual({ ...child.bindings }, { apiKey: R, tenant: 't' });
    child.info('one');
    child.info('two');
    assert.equal(sink.records[0]!.bindings, sink.records[1]!.bindings);
    assert.equal(sink.records[0]!.allAttributes.apiKey, R);
  });

  it('redacts bindings made before a configuration that adds keys', () => {
    configure({ env: {}, sinks: [sink] });
    const child = getLogger('t.redact').child({ ssn: '123-45-6789' });
    configure({ env: {}, sinks: [sink], redact: { keys: ['ssn'] } });
    child.info('later');
    assert.equal(sink.records[0]!.allAttributes.ssn, R);
    assert.equal(sink.records[0]!.bindings!.attributes.ssn, R);
  });

  it('takes environment variables, code options winning', () => {
    configure({ env: { LOGBRIDGE_REDACT_KEYS: 'ssn', LOGBRIDGE_REDACT_MODE: 'remove' }, sinks: [sink], redact: { mode: 'mask' } });
    getLogger('t.redact').info('hi', { ssn: '1', password: 'p' });
    assert.deepEqual({ ...sink.records[0]!.allAttributes }, { ssn: R, password: R });
  });

  it('turns off with redact: false or LOGBRIDGE_REDACT=off', () => {
    configure({ env: {}, sinks: [sink], redact: false });
    getLogger('t.redact').info('hi', { password: 'p' });
    configure({ env: { LOGBRIDGE_REDACT: 'off' }, sinks: [sink] });
    getLogger('t.redact').info('hi', { password: 'p' });
    assert.deepEqual(sink.records.map((r) => r.allAttributes.password), ['p', 'p']);
  });

  it('runs after the user processors, so what they add is redacted too', () => {
    configure({ env: {}, sinks: [sink], processors: [(r) => ({ ...r, attributes: { ...r.attributes, token: 't' } })] });
    getLogger('t.redact').info('hi');
    assert.equal(sink.records[0]!.allAttributes.token, R);
  });

  it('applies inside captureLogs and request contexts', async () => {
    configure({ env: {}, sinks: [sink] });
    const captured = await captureLogs(() => withRequestContext({ attributes: { cookie: 'c' } },
      () => getLogger('t.redact').info('hi')));
    assert.equal(captured.records[0]!.allAttributes.cookie, R);
  });

  it('throws a LogbridgeError for an invalid option, leaving the configuration as it was', () => {
    configure({ env: {}, sinks: [sink] });
    assert.throws(() => configure({ env: {}, sinks: [], redact: { mode: 'hide' as 'mask' } }), LogbridgeError);
    getLogger('t.redact').info('still here');
    assert.equal(sink.records.length, 1);
  });
});

describe('redaction on real stdout (child process)', () => {
  it('never writes planted secrets in attributes, bindings, messages, exceptions or request context', async () => {
    const { stdout, stderr, code } = await runNode(`
      import { getLogger, withRequestContext } from ${JSON.stringify(SRC_INDEX)};
      const child = getLogger('app').child({ db_password: 'PLANTED-1', tenant: 'acme' });
      child.info('login', { user: { name: 'ann', password: 'PLANTED-2' }, headers: { Authorization: 'Bearer PLANTED-3abcdef' } });
      child.info('GET /cb?access_token=PLANTED-4 with Bearer PLANTED5abcdefgh');
      child.error('payment failed', new Error('card 4111 1111 1111 1111 rejected, token=PLANTED-6'));
      withRequestContext({ requestId: 'r1', attributes: { 'set-cookie': 'PLANTED-7' } }, () => child.warn('ctx'));
      child.event('user.login', { apiKey: 'PLANTED-8' });
      child.info('dsn postgres://app:PLANTED-9@db/x', { url: 'https://u:PLANTED-10@example.test/' });
    `);
    assert.equal(code, 0, stderr);
    const lines = parseLines(stdout);
    assert.equal(lines.length, 6);
    assert.ok(!/PLANTED|4111 1111/.test(stdout), stdout);
    assert.equal(lines[0]!.db_password, R);
    assert.equal(lines[0]!.tenant, 'acme');
  });

  it('reads LOGBRIDGE_REDACT_KEYS and LOGBRIDGE_REDACT_PATHS', async () => {
    const { stdout } = await runNode(`
      import { log } from ${JSON.stringify(SRC_INDEX)};
      log.info('x', { ssn: '123', user: { a: { dob: '1990' } }, keep: 1 });
    `, { env: { LOGBRIDGE_REDACT_KEYS: 'ssn', LOGBRIDGE_REDACT_PATHS: 'user.*.dob' } });
    const [line] = parseLines(stdout);
    assert.deepEqual([line!.ssn, line!.user, line!.keep], [R, { a: { dob: R } }, 1]);
  });
});

describe('isCardNumber()', () => {
  it('accepts test card numbers and rejects near misses', () => {
    for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117']) assert.ok(isCardNumber(n), n);
    for (const n of ['4111111111111112', '1111111111111117', '411111111111']) assert.ok(!isCardNumber(n), n);
  });
});
