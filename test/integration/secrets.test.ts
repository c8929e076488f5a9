import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { runNode, parseLines, SRC_INDEX } from '../helpers/run-node.ts';

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
});
