import assert from 'node:assert/strict';
import { getLogger, withRequestContext, createJsonEncoder } from '../../src/index.ts';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureLogs, testEncoder, testSink, parseJsonLines } from '../../src/testing/index.ts';
import { createStdoutSink } from '../../src/sinks/stdout.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';

// The examples of docs/testing.md, as written there (imports mapped to the sources).
describe('docs/testing.md examples', () => {
  const log = getLogger('orders');

  async function placeOrder(id: number) {
    log.info('order placed', { orderId: id });
    log.debug('cache updated');
  }

  it('captures records with captureLogs() and a level', async () => {
    const logs = await captureLogs(() => placeOrder(42), { level: 'debug' });
    assert.equal(logs.records.length, 2);
    const [placed] = logs.find('order placed');
    assert.equal(placed!.severityText, 'INFO');
    assert.equal(placed!.scope, 'orders');
    assert.equal(placed!.allAttributes.orderId, 42);
    const line = JSON.parse(createJsonEncoder()(logs.records[0]!)) as Record<string, unknown>;
    assert.equal(line.message, 'order placed');
    assert.equal(line.orderId, 42);
  });

  it('leaves out debug records at the default level', async () => {
    const logs = await captureLogs(() => placeOrder(1), { level: 'info' });
    assert.equal(logs.records.length, 1);
  });

  it('captures the exception with its cause and the request ID', async () => {
    const logs = await captureLogs(() =>
      withRequestContext({ requestId: 'r-7' }, () => {
        log.error('payment failed', new Error('declined', { cause: new Error('timeout') }));
      }));
    const [record] = logs.records;
    assert.equal(record!.requestId, 'r-7');
    assert.equal(record!.exception?.type, 'Error');
    assert.match(record!.exception?.stacktrace ?? '', /Caused by: Error: timeout/);
  });

  describe('the conformance suite, as the guide calls it', () => {
    beforeEach(() => setDiagnosticSink(() => {}));
    afterEach(() => setDiagnosticSink(undefined));

    it('testEncoder() returns no failure for a conforming encoder', () => {
      assert.deepEqual(testEncoder({ encode: createJsonEncoder(), parse: parseJsonLines }), []);
    });

    it('testSink() resolves with no failure for a sink writing JSON lines to a file', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'logbridge-guide-'));
      const path = join(dir, 'out.log');
      const fds: number[] = [];
      try {
        const failures = await testSink({
          create: () => {
            const fd = openSync(path, 'w'); // a new, empty file for each sink
            fds.push(fd);
            return createStdoutSink({ fd });
          },
          results: () => parseJsonLines(readFileSync(path, 'utf8')),
        });
        assert.deepEqual(failures, []);
      } finally {
        for (const fd of fds) closeSync(fd);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
