// The cases every runner's suite runs, written once: `it`/`test` and `expect`-free
// (node:assert works under every runner). `lib` is logbridge's main entry and
// `testing` its logbridge/testing entry, as the suite imported them.
import assert from 'node:assert/strict';

export const MARKERS = ['logbridge-runner-buffered', 'logbridge-runner-sync'];

export function defineCases(test, lib, testing) {
  const { getLogger, withRequestContext, configure } = lib;
  const { captureLogs, MemorySink } = testing;

  test('captureLogs() captures the records of the code under test', async () => {
    const logs = await captureLogs(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      getLogger('orders').info('order placed', { orderId: 42 });
    });
    assert.equal(logs.records.length, 1);
    assert.equal(logs.find('order placed')[0].allAttributes.orderId, 42);
  });

  test('captureLogs() takes a level and keeps the request context', async () => {
    const logs = await captureLogs(() => withRequestContext({ requestId: 'runner-1' }, () => {
      getLogger('orders').debug('cache warm');
    }), { level: 'debug' });
    assert.equal(logs.records[0].requestId, 'runner-1');
  });

  test('a MemorySink configured as the sink gets every record', () => {
    const sink = new MemorySink();
    configure({ sinks: [sink] });
    getLogger('orders').warn('low stock', { sku: 'b-1' });
    assert.deepEqual(sink.records.map((r) => r.body), ['low stock']);
  });

  test('stdout lines, buffered or written through, are not swallowed by the runner', () => {
    // The parent test (test/testing/runners.test.ts) looks for both lines in the runner's output.
    configure({ format: 'json' });
    getLogger('runner').info(MARKERS[0]);
    configure({ format: 'json', sync: true });
    getLogger('runner').info(MARKERS[1]);
  });
}
