import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { configure, getLogger, getVolumeStats } from '../../src/index.ts';
import { MemorySink } from '../../src/testing/index.ts';
import { requestContext } from '../../src/http/node.ts';

/**
 * The debug buffer behind the node:http adapter, against a real server on
 * 127.0.0.1: 500 requests in flight at once, a few of which fail (by an
 * error record, or by a 5xx the adapter sees). Only the failing ones' debug
 * lines appear, all of them, in order, each with its own request ID.
 */
describe('debug buffer with the node:http adapter (500 concurrent requests)', function () {
  this.timeout(30_000);
  const N = 500;
  const FAIL_BY_ERROR = new Set([7, 123, 321]);
  const FAIL_BY_5XX = new Set([42, 404, 499]);
  let sink: MemorySink;
  let server: http.Server;
  let port: number;

  before(async () => {
    sink = new MemorySink();
    configure({ sinks: [sink], level: 'info', debugBuffer: 'debug', redact: false, env: {} });
    let arrived = 0;
    let releaseAll!: () => void;
    const allArrived = new Promise<void>((r) => { releaseAll = r; });
    const log = getLogger('shop.api');
    server = http.createServer(requestContext(async (req, res) => {
      const i = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('i'));
      log.debug('request parsed', { i, step: 1 });
      if (++arrived === N) releaseAll();
      await allArrived; // every request is in flight at once from here
      log.debug('cache miss', { i, step: 2 });
      await new Promise((r) => setImmediate(r));
      log.trace('not buffered: below the buffer level', { i });
      log.debug('db query done', { i, step: 3 });
      log.info('handled', { i });
      if (FAIL_BY_ERROR.has(i)) log.error('payment failed', { i });
      res.statusCode = FAIL_BY_5XX.has(i) ? 503 : 200;
      res.end('ok');
    }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    await new Promise((r) => server.close(r));
    configure({ sinks: [], level: 'info', debugBuffer: false, env: {} });
  });

  it('writes the debug lines of the failing requests only, complete, in order, with their own request IDs', async () => {
    const before = getVolumeStats().debugBuffer;
    const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    const statuses = await Promise.all(Array.from({ length: N }, (_, i) => new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: `/?i=${i}`, agent, headers: { 'x-request-id': `req-${i}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }).on('error', reject);
    })));
    agent.destroy();
    await new Promise((r) => setImmediate(r));
    assert.equal(statuses.filter((s) => s === 503).length, FAIL_BY_5XX.size);

    const debug = sink.records.filter((r) => r.severityText === 'DEBUG');
    const failing = new Set([...FAIL_BY_ERROR, ...FAIL_BY_5XX]);
    assert.deepEqual(new Set(debug.map((r) => r.attributes?.i)), failing, 'debug lines of failing requests only');
    for (const i of failing) {
      const mine = sink.records.filter((r) => r.requestId === `req-${i}`);
      const steps = mine.filter((r) => r.severityText === 'DEBUG');
      assert.deepEqual(steps.map((r) => r.attributes?.step), [1, 2, 3], `request ${i}: all three, in order`);
      assert.ok(steps.every((r) => r.attributes?.i === i && r.attributes?.['logbridge.replayed'] === true));
      assert.ok(steps[0]!.time <= steps[1]!.time && steps[1]!.time <= steps[2]!.time, 'original timestamps');
      if (FAIL_BY_ERROR.has(i)) {
        // replayed before the trigger, after the info record that came earlier (it was written at once)
        assert.deepEqual(mine.map((r) => r.body), ['handled', 'request parsed', 'cache miss', 'db query done', 'payment failed']);
      } else {
        assert.deepEqual(mine.map((r) => r.body), ['handled', 'request parsed', 'cache miss', 'db query done']);
      }
    }
    assert.equal(sink.records.filter((r) => r.body === 'handled').length, N);
    assert.equal(sink.records.filter((r) => r.severityText === 'TRACE').length, 0);
    const after = getVolumeStats().debugBuffer;
    assert.equal(after.replayed - before.replayed, failing.size * 3);
    assert.equal(after.discarded - before.discarded, (N - failing.size) * 3);
    assert.equal(after.evicted - before.evicted, 0);
  });
});
