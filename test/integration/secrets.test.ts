import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { runNode, parseLines, SRC_INDEX, ROOT } from '../helpers/run-node.ts';
import { SECRET_SHAPES } from '../redact/secret-corpus.ts';

const CORPUS = JSON.stringify(join(ROOT, 'test/redact/secret-corpus.ts'));

/** Keys whose values must go whatever they hold (the leaks among them). */
const SECRET_KEYS = [
  'aws_secret_access_key', 'access_key', 'pwd', 'pass', 'auth', 'bearer', 'session', 'jwt', 'sig', 'signature',
  'passwordHash', 'x-api-key', 'db.pass', 'Authorization', 'Cookie', 'apiKey', 'client_secret', 'private_key',
  'refreshToken', 'DB_PASSWORD', 'sessionId', 'credentials',
];

/**
 * Every shape planted in every place a record carries text: the message, an
 * attribute, a nested attribute, an error's message and stack, request
 * attributes and child bindings; every secret key in an attribute, nested,
 * in request attributes and in bindings. The child logs them all.
 */
const PLANTING = `
  import { getLogger, withRequestContext, flush } from ${JSON.stringify(SRC_INDEX)};
  import { SECRET_SHAPES } from ${CORPUS};
  const log = getLogger('planted');
  let n = 0;
  for (const [name, text] of SECRET_SHAPES) {
    log.info('message ' + text, { shape: name });
    log.info('attribute', { note: text });
    log.info('nested', { a: { b: [{ c: text }], m: new Map([['k', text]]) } });
    log.error('error', new Error('failed: ' + text));
    const stacked = new Error('stack only');
    stacked.stack = 'Error: stack only\\n    at handler (' + text + ')';
    log.error(stacked);
    withRequestContext({ requestId: 'r-' + n, attributes: { note: text } }, () => log.warn('request'));
    log.child({ note: text }).info('child');
    n += 7;
  }
  for (const key of ${JSON.stringify(SECRET_KEYS)}) {
    const value = 'KEYVAL-' + key.length + '-zz';
    log.info('key', { [key]: value });
    log.info('nested key', { outer: { [key]: value } });
    withRequestContext({ attributes: { [key]: value } }, () => log.info('request key'));
    log.child({ [key]: value }).info('child key');
    n += 4;
  }
  await flush();
  process.stderr.write('planted ' + n + '\\n');
`;

/**
 * The check, end to end: secrets planted in OTLP headers, TLS
 * settings, attributes, bindings, messages, exception messages and request
 * attributes never appear on stdout, on stderr (diagnostics, the printed
 * configuration, the final accounting) or in the records the collector gets.
 */
describe('secrets (child process, stdout + OTLP)', function () {
  this.timeout(60_000);
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(() => receiver.close());

  it('never shows a planted secret anywhere, while the collector still gets the auth header', async () => {
    receiver.failNext({ status: 503, retryAfter: 0 });
    const { stdout, stderr, code } = await runNode(`
      import { getLogger, withRequestContext, printConfiguration, flush } from ${JSON.stringify(SRC_INDEX)};
      printConfiguration();
      const log = getLogger('shop').child({ db_password: 'SECRET-B1', stripe: { apiKey: 'SECRET-B2' } });
      log.info('charging with Bearer SECRET-M1abcdef and card 4111 1111 1111 1111', {
        headers: { authorization: 'Basic SECRET-A1', Cookie: 'sid=SECRET-A2' },
        'http.request.header.x-api-key': ['SECRET-A3'],
        url: 'https://svc:SECRET-A4@payments.example/v1',
        query: 'code=1&access_token=SECRET-A5',
      });
      log.error('payment failed', Object.assign(new Error('upstream said token=SECRET-E1'), {
        config: { headers: { Authorization: 'Bearer SECRET-E2abcdef' } },
      }));
      withRequestContext({ requestId: 'r-1', attributes: { session_token: 'SECRET-C1' } }, () => log.warn('in request'));
      for (let i = 0; i < 20; i++) log.info('filler', { i });
      await flush();
      printConfiguration();
    `, {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20SECRET-H1,x-api-key=SECRET-H2',
        OTEL_BLRP_SCHEDULE_DELAY: '50',
        LOGBRIDGE_FORMAT: 'json',
      },
    });
    assert.equal(code, 0, stderr);
    const lines = parseLines(stdout.split('\n').filter((l) => l.startsWith('{')).join('\n'));
    assert.ok(lines.length >= 23, `${lines.length} lines`);
    const seen = JSON.stringify(receiver.records.map((r) => ({ body: r.body, attributes: r.attributes, resource: r.resource })));
    assert.ok(receiver.records.length >= 1, 'the collector got records');
    for (const [where, text] of [['stdout', stdout], ['stderr', stderr], ['collector records', seen]] as const) {
      const leaked = /SECRET-[A-Z]\d|4111 1111/.exec(text);
      assert.equal(leaked, null, `${where} shows ${leaked?.[0]}: ${text.slice(Math.max(0, (leaked?.index ?? 0) - 200), (leaked?.index ?? 0) + 100)}`);
    }
    const authorized = receiver.requests.find((r) => r.headers.authorization === 'Bearer SECRET-H1');
    assert.ok(authorized, 'the OTLP header was sent');
  });

  it('never echoes invalid headers or key material in diagnostics or the printed configuration', async () => {
    // File paths are not secret (operators need them to debug); the headers and the files' contents are.
    const dir = mkdtempSync(join(tmpdir(), 'logbridge-secrets-'));
    const key = join(dir, 'client.key');
    const cert = join(dir, 'ca.pem');
    writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nSECRET-K1notreallyakey\n-----END PRIVATE KEY-----\n');
    writeFileSync(cert, '-----BEGIN CERTIFICATE-----\nSECRET-K2notacert\n-----END CERTIFICATE-----\n');
    const { stdout, stderr, code } = await runNode(`
      import { log, printConfiguration, flush } from ${JSON.stringify(SRC_INDEX)};
      printConfiguration();
      log.info('hello');
      await flush();
    `, {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url.replace('//', '//collector:SECRET-H7@'),
        OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign-SECRET-H3,%zz=SECRET-H4',
        OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE: cert,
        OTEL_EXPORTER_OTLP_LOGS_CLIENT_KEY: key,
        OTEL_EXPORTER_OTLP_LOGS_CLIENT_CERTIFICATE: cert,
      },
    });
    assert.equal(code, 0, stderr);
    const leaked = /SECRET-[HK]\d/.exec(stdout + stderr);
    assert.equal(leaked, null, `shows ${leaked?.[0]}: ${stdout}${stderr}`);
  });

  describe('the table of shapes and keys, in every place (child process per format, and the collector)', () => {
    const formats = ['json', 'logfmt', 'pretty'] as const;
    for (const format of formats) {
      it(`never writes one on stdout (${format}) or to the collector`, async () => {
        receiver.clear();
        const { stdout, stderr, code } = await runNode(PLANTING, {
          env: { LOGBRIDGE_FORMAT: format, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BLRP_SCHEDULE_DELAY: '50' },
        });
        assert.equal(code, 0, stderr);
        const planted = Number(/planted (\d+)/.exec(stderr)?.[1]);
        const expected = SECRET_SHAPES.length * 7 + SECRET_KEYS.length * 4;
        assert.equal(planted, expected);
        assert.ok(stdout.split('\n').filter((line) => /^\S/.test(line)).length >= expected, 'every record on stdout');
        const records = await receiver.waitForRecords(expected);
        const collected = JSON.stringify(records.map((r) => ({ body: r.body, attributes: r.attributes })));
        for (const [where, text] of [['stdout', stdout], ['collector', collected]] as const) {
          const leaks = SECRET_SHAPES.filter(([, , secret]) => text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1)))
            .map(([name]) => name);
          assert.deepEqual(leaks, [], `${where} (${format}) shows: ${leaks.join(', ')}`);
          assert.equal(/KEYVAL-/.exec(text), null, `${where} (${format}) shows a secret key's value`);
        }
        assert.ok(stdout.includes('[REDACTED]') && collected.includes('[REDACTED]'));
      });
    }
  });
});
