import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseLines, runNode, SRC_INDEX, ROOT } from '../helpers/run-node.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';

/**
 * Two services in one child process, configured only from the environment:
 * A calls B with the request ID; B fails one request (an error record and a
 * 500), A answers that one with a 502. The failing request's debug lines, in
 * both services, appear on stdout and at the OTLP receiver; the successful
 * request's do not.
 */
describe('debug buffer across two services, to stdout and OTLP', function () {
  this.timeout(30_000);
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(() => receiver.close());

  it('writes the failing request\'s debug lines in both services, and none of the successful one\'s', async () => {
    const result = await runNode(`
      import http from 'node:http';
      import { getLogger, propagatingFetch } from ${JSON.stringify(SRC_INDEX)};
      import { requestContext } from ${JSON.stringify(join(ROOT, 'src/http/node.ts'))};
      const listen = (server) => new Promise((r) => server.listen(0, '127.0.0.1', () => r(server.address().port)));
      const b = http.createServer(requestContext((req, res) => {
        const log = getLogger('service.b');
        log.debug('b: loading stock', { path: req.url });
        if (req.url === '/fail') { log.error('b: stock service down'); res.statusCode = 500; }
        res.end();
      }));
      const bPort = await listen(b);
      const a = http.createServer(requestContext(async (req, res) => {
        const log = getLogger('service.a');
        log.debug('a: calling b', { path: req.url });
        const answer = await propagatingFetch('http://127.0.0.1:' + bPort + req.url);
        log.debug('a: b answered', { status: answer.status });
        res.statusCode = answer.status >= 500 ? 502 : 200;
        res.end();
      }));
      const aPort = await listen(a);
      for (const [path, id] of [['/ok', 'req-ok'], ['/fail', 'req-fail']]) {
        await fetch('http://127.0.0.1:' + aPort + path, { headers: { 'x-request-id': id } }).then((r) => r.arrayBuffer());
      }
      a.close(); b.close();
    `, { env: {
      LOGBRIDGE_LEVEL: 'info', LOGBRIDGE_DEBUG_BUFFER: 'debug', LOGBRIDGE_FORMAT: 'json',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BLRP_SCHEDULE_DELAY: '20',
    } });
    assert.equal(result.code, 0, result.stderr);
    const debug = parseLines(result.stdout).filter((l) => l.level === 'DEBUG');
    assert.deepEqual(debug.map((l) => [l['request.id'], l.scope, l.message, l['logbridge.replayed']]), [
      ['req-fail', 'service.b', 'b: loading stock', true],
      ['req-fail', 'service.a', 'a: calling b', true],
      ['req-fail', 'service.a', 'a: b answered', true],
    ]);
    const records = await receiver.waitForRecords(4);
    const otlpDebug = records.filter((r) => r.severityText === 'DEBUG');
    assert.deepEqual(otlpDebug.map((r) => [r.attributes['request.id'], r.body]),
      [['req-fail', 'b: loading stock'], ['req-fail', 'a: calling b'], ['req-fail', 'a: b answered']]);
    assert.ok(otlpDebug.every((r) => r.attributes['logbridge.replayed'] === true));
    assert.ok(!records.some((r) => r.attributes['request.id'] === 'req-ok' && r.severityText === 'DEBUG'));
  });
});
