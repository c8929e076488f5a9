import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode, SRC_INDEX } from '../helpers/run-node.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';

// TLS and mTLS from OTEL_EXPORTER_OTLP_CERTIFICATE / _CLIENT_KEY / _CLIENT_CERTIFICATE,
// with a throwaway CA made by openssl for 127.0.0.1.

function makePki(): Record<'dir' | 'caCert' | 'serverKey' | 'serverCert' | 'clientKey' | 'clientCert', string> {
  const dir = mkdtempSync(join(tmpdir(), 'logbridge-tls-'));
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=test-ca');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const name of ['server', 'client']) {
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`,
      '-days', '2', '-extfile', 'san.ext');
  }
  return {
    dir, caCert: join(dir, 'ca.pem'), serverKey: join(dir, 'server.key'), serverCert: join(dir, 'server.pem'),
    clientKey: join(dir, 'client.key'), clientCert: join(dir, 'client.pem'),
  };
}

describe('OTLP export over TLS', function () {
  this.timeout(30_000);
  let pki: ReturnType<typeof makePki>;
  let receiver: OtlpReceiver;
  before(function () {
    try {
      pki = makePki();
    } catch {
      this.skip(); // no openssl on this machine
    }
  });
  afterEach(() => receiver?.close());

  const app = `
    import { getLogger } from ${JSON.stringify(SRC_INDEX)};
    getLogger('tls').info('secret channel');
  `;

  it('trusts the collector through OTEL_EXPORTER_OTLP_CERTIFICATE', async () => {
    receiver = await startOtlpReceiver({ tls: { key: readFileSync(pki.serverKey, 'utf8'), cert: readFileSync(pki.serverCert, 'utf8') } });
    const result = await runNode(app, { env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_CERTIFICATE: pki.caCert,
      OTEL_BLRP_SCHEDULE_DELAY: '20',
    } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(receiver.counts.accepted, 1);
  });

  it('presents a client certificate for mTLS with _CLIENT_KEY and _CLIENT_CERTIFICATE', async () => {
    receiver = await startOtlpReceiver({ tls: {
      key: readFileSync(pki.serverKey, 'utf8'), cert: readFileSync(pki.serverCert, 'utf8'), ca: readFileSync(pki.caCert, 'utf8'), requestCert: true,
    } });
    const env = {
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: receiver.logsUrl, OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE: pki.caCert,
      OTEL_EXPORTER_OTLP_LOGS_CLIENT_KEY: pki.clientKey, OTEL_EXPORTER_OTLP_LOGS_CLIENT_CERTIFICATE: pki.clientCert,
      OTEL_BLRP_SCHEDULE_DELAY: '20', OTEL_BLRP_EXPORT_TIMEOUT: '500', LOGBRIDGE_EXIT_TIMEOUT_MS: '1000',
    };
    const ok = await runNode(app, { env });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(receiver.counts.accepted, 1);
    const refused = await runNode(app, { env: { ...env, OTEL_EXPORTER_OTLP_LOGS_CLIENT_KEY: undefined, OTEL_EXPORTER_OTLP_LOGS_CLIENT_CERTIFICATE: undefined } });
    assert.equal(receiver.counts.accepted, 1);
    assert.match(refused.stderr, /retry_timeout|exit_undelivered/);
  });
});
