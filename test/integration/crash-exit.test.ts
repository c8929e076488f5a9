import assert from 'node:assert/strict';
import { describeRun, linesOf, runBoth, runChild } from '../helpers/crash-child.ts';

/**
 * A sink that delivers in batches on an unref'd timer, as the OpenTelemetry
 * batch processor does: nothing but logbridge's exit hooks makes it deliver
 * the last batch at the natural end. It reports deliveries on stderr.
 */
const BATCHING_SINK = `
const batching = {
  queue: [], delivered: 0,
  emit(record) { this.queue.push(record.body); },
  async flush() {
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0);
    await new Promise((resolve) => setTimeout(resolve, 30));
    this.delivered += batch.length;
    process.stderr.write('delivered ' + batch.join(',') + '\\n');
  },
  stats() { return { name: 'batching', received: this.delivered + this.queue.length, exported: this.delivered, dropped: {} }; },
};
setInterval(() => void batching.flush(), 60_000).unref();
logbridge.configure({ sinks: [logbridge.createStdoutSink(), batching] });
`;

/** A sink whose flush keeps the event loop busy for a minute: a collector that never answers. */
const HANGING_SINK = `
const hanging = {
  received: 0,
  emit() { this.received++; },
  flush: () => new Promise((resolve) => setTimeout(resolve, 60_000)),
  stats() { return { name: 'hanging', received: this.received, dropped: {}, pending: this.received }; },
};
logbridge.configure({ sinks: [logbridge.createStdoutSink(), hanging] });
`;

describe('exit hooks: process.exit() and the natural end (child processes)', function () {
  this.timeout(30_000);

  it('writes every buffered line on process.exit(), keeping the exit code', async () => {
    const app = `for (let i = 0; i < 2000; i++) log.info('line', { i });\nprocess.exit(3);`;
    const { withLogbridge: run, plain } = await runBoth(app, { env: { LOGBRIDGE_CRASH_HANDLERS: undefined } });
    assert.equal(plain.code, 3);
    assert.equal(run.code, 3, describeRun(run).slice(0, 500));
    const numbers = linesOf(run).map((l) => l.i);
    assert.equal(numbers.length, 2000);
    numbers.forEach((n, index) => assert.equal(n, index));
    assert.equal(run.stderr, '');
  });

  it('writes lines logged by an exit listener that runs after logbridge\'s own', async () => {
    const app = `log.info('working');\nprocess.on('exit', (code) => log.info('exiting', { code }));\nprocess.exitCode = 5;`;
    const run = await runChild(app, { env: { LOGBRIDGE_CRASH_HANDLERS: undefined } });
    assert.equal(run.code, 5, describeRun(run));
    assert.deepEqual(linesOf(run).map((l) => [l.message, l.code]), [['working', undefined], ['exiting', 5]]);
  });

  it('delivers what a batching sink still holds when the program ends by itself', async () => {
    const app = `log.info('a'); log.info('b'); setTimeout(() => log.info('c'), 10);`;
    const run = await runChild(app, { setup: BATCHING_SINK, env: { LOGBRIDGE_CRASH_HANDLERS: undefined } });
    assert.equal(run.code, 0, describeRun(run));
    assert.deepEqual(linesOf(run).map((l) => l.message), ['a', 'b', 'c']);
    assert.equal(run.stderr, 'delivered a,b,c\n', 'one delivery at the end, and no accounting line');
  });

  it('ends at the deadline with the intended exit code when a sink hangs at the natural end', async () => {
    const app = `log.info('done'); process.exitCode = 2;`;
    const run = await runChild(app, {
      setup: HANGING_SINK, env: { LOGBRIDGE_CRASH_HANDLERS: undefined, LOGBRIDGE_EXIT_TIMEOUT_MS: '300' },
    });
    assert.equal(run.code, 2, describeRun(run));
    assert.deepEqual(linesOf(run).map((l) => l.message), ['done']);
    assert.match(run.stderr, /^logbridge: ACCOUNTING: 1 record emitted; sink "stdout": 1 received, 1 delivered; sink "hanging": 1 received, 1 undelivered\n$/);
    assert.ok(run.ms < 15_000, `took ${run.ms} ms (the sink would have held it 60 s)`);
  });

  it('writes the accounting line once, at shutdown(), when a sink lost records', async () => {
    const setup = `
      const lossy = { n: 0, emit() { this.n++; }, stats() { return { name: 'lossy', received: this.n, dropped: { queue_full: 1 } }; } };
      logbridge.configure({ sinks: [lossy] });
    `;
    const app = `log.info('a'); log.info('b');\nawait logbridge.shutdown();\nprocess.stderr.write('after shutdown\\n');\nlog.info('late');`;
    const run = await runChild(app, { setup, env: { LOGBRIDGE_CRASH_HANDLERS: undefined } });
    assert.equal(run.code, 0, describeRun(run));
    assert.equal(run.stderr, 'logbridge: ACCOUNTING: 2 records emitted; sink "lossy": 2 received, 1 dropped (queue_full: 1)\n' +
      'after shutdown\n');
  });

  it('delivers a batching sink\'s records before re-raising an uncaught exception', async () => {
    const app = `log.info('before'); setTimeout(() => { throw new Error('late failure'); }, 5);`;
    const run = await runChild(app, { setup: BATCHING_SINK });
    assert.equal(run.code, 1, describeRun(run));
    assert.match(run.stderr, /^delivered before,Uncaught exception: Error: late failure\n/);
    assert.match(run.stderr, /\nError: late failure\n {4}at /, 'then Node reports the exception');
  });
});
