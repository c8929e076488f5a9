import assert from 'node:assert/strict';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeRun, linesOf, runBoth, runChild } from '../helpers/crash-child.ts';
import { ROOT } from '../helpers/run-node.ts';

const SERVICE = `
log.info('listening', { port: 8080 });
log.info('second line');
setInterval(() => {}, 1000);
setTimeout(() => process.stderr.write('READY\\n'), 20);
`;

/** A sink whose flush never settles and which never delivers: a hanging collector in miniature. */
const HANGING_SINK = `
const hanging = {
  received: 0,
  emit() { this.received++; },
  flush: () => new Promise(() => {}),
  flushSync() {},
  stats() { return { name: 'hanging', received: this.received, dropped: {}, pending: this.received }; },
};
logbridge.configure({ sinks: [logbridge.createStdoutSink(), hanging] });
`;

describe('crash handlers: SIGTERM and SIGINT (child processes)', function () {
  this.timeout(30_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal}, flushes and ends by the signal, like plain Node`, async () => {
      const { withLogbridge: run, plain } = await runBoth(SERVICE, { signal });
      assert.equal(plain.signal, signal, describeRun(plain));
      assert.equal(run.signal, signal, describeRun(run));
      assert.equal(run.code, null);
      assert.deepEqual(linesOf(run), [
        { level: 'INFO', severity_number: 9, scope: 'app', message: 'listening', port: 8080 },
        { level: 'INFO', severity_number: 9, scope: 'app', message: 'second line' },
      ]);
      assert.ok(run.afterSignalMs! < 5000, `signal to exit took ${run.afterSignalMs} ms`);
    });
  }

  it('leaves the application\'s own SIGTERM handler in charge of how the process ends', async () => {
    const app = `
      process.on('SIGTERM', () => {
        log.info('draining');
        setTimeout(() => { log.info('drained'); process.exit(0); }, 30);
      });
    ` + SERVICE;
    const { withLogbridge: run, plain } = await runBoth(app, { signal: 'SIGTERM' });
    assert.equal(plain.code, 0, describeRun(plain));
    assert.equal(run.code, 0, describeRun(run));
    assert.equal(run.signal, null);
    assert.deepEqual(linesOf(run).map((l) => l.message), ['listening', 'second line', 'draining', 'drained']);
  });

  it('loses no line and tears none while the application logs flat out', async () => {
    const app = `
      let i = 0;
      const burst = () => { for (let k = 0; k < 200; k++) log.info('tick', { i: i++ }); setImmediate(burst); };
      burst();
      setTimeout(() => process.stderr.write('READY\\n'), 50);
    `;
    const run = await runChild(app, { signal: 'SIGTERM' });
    assert.equal(run.signal, 'SIGTERM', describeRun(run).slice(0, 2000));
    const numbers = linesOf(run).map((l) => l.i);
    assert.ok(numbers.length >= 200, `only ${numbers.length} lines`);
    numbers.forEach((n, index) => assert.equal(n, index));
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`with the default configuration (no crash handlers), ${signal} mid-burst loses no line: 100,000 lines, ended by the signal`, async () => {
      // issue 12: this lost 31k-96k of the lines buffered when the signal came, without a word
      const app = `
        let i = 0;
        const burst = () => {
          for (let k = 0; k < 1000 && i < 100000; k++) log.info('tick', { i: i++, pad: 'x'.repeat(100) });
          process.stderr.write('E ' + i + '\\n');
          if (i === 30000) process.stderr.write('READY\\n');
          if (i < 100000) setImmediate(burst); else setInterval(() => {}, 1000);
        };
        burst();
      `;
      const run = await runChild(app, { signal, env: { LOGBRIDGE_CRASH_HANDLERS: undefined } });
      assert.equal(run.signal, signal, describeRun(run).slice(0, 2000));
      const emitted = Math.max(...[...run.stderr.matchAll(/^E (\d+)$/gm)].map((m) => Number(m[1])));
      assert.ok(emitted >= 30000, `emitted ${emitted}`);
      assert.ok(run.stdout.endsWith('\n'), 'the output ends at a line boundary');
      const numbers = linesOf(run).map((l) => l.i);
      assert.equal(numbers.length, emitted, 'every line logged before the process ended is on stdout');
      numbers.forEach((n, index) => assert.equal(n, index));
      assert.doesNotMatch(run.stderr, /ACCOUNTING/);
    });
  }

  describe('with two copies of logbridge in the process (a CommonJS and an ES module copy, two versions)', () => {
    // neither copy may take the other's listener for the application's
    const copy = join(ROOT, '.test-scripts', `second-copy-${process.pid}`);
    before(() => {
      mkdirSync(copy, { recursive: true });
      cpSync(join(ROOT, 'src'), join(copy, 'src'), { recursive: true });
    });
    after(() => rmSync(copy, { recursive: true, force: true }));
    const both = (then: string): string => `
      const second = await import(${JSON.stringify(join(copy, 'src/index.ts'))});
      log.info('from the first copy');
      second.getLogger('app').info('from the second copy');
      ${then}
    `;

    it('a SIGTERM still ends the process by the signal, each copy delivering its lines', async () => {
      const app = both(`setInterval(() => {}, 1000); setTimeout(() => process.stderr.write('READY\\n'), 20);`);
      const run = await runChild(app, { signal: 'SIGTERM', env: { LOGBRIDGE_CRASH_HANDLERS: undefined } });
      assert.equal(run.signal, 'SIGTERM', describeRun(run));
      assert.deepEqual(linesOf(run).map((l) => l.message).sort(), ['from the first copy', 'from the second copy']);
    });

    it('an uncaught exception still ends the process with code 1, with one FATAL record', async () => {
      const app = both(`setInterval(() => {}, 1000); setTimeout(() => { throw new Error('boom'); }, 20);`);
      const run = await runChild(app);
      assert.equal(run.code, 1, describeRun(run));
      assert.deepEqual(linesOf(run).map((l) => l.message).sort(),
        ['Uncaught exception: Error: boom', 'from the first copy', 'from the second copy']);
    });
  });

  it('leaves signals alone with LOGBRIDGE_SIGNALS=off: the process ends by the signal at once, as plain Node', async () => {
    const env = { LOGBRIDGE_CRASH_HANDLERS: undefined, LOGBRIDGE_SIGNALS: 'off' };
    const { withLogbridge: run, plain } = await runBoth(SERVICE, { signal: 'SIGTERM', env, setup: HANGING_SINK });
    assert.equal(plain.signal, 'SIGTERM', describeRun(plain));
    assert.equal(run.signal, 'SIGTERM', describeRun(run));
    // the hanging sink would hold a flush until the 5 s deadline: nothing waited for it
    assert.ok(run.afterSignalMs! < 4000, `signal to exit took ${run.afterSignalMs} ms`);
    assert.doesNotMatch(run.stderr, /ACCOUNTING/);
  });

  it('ends at the deadline when a sink never finishes, and accounts for what it left', async () => {
    const run = await runChild(SERVICE, {
      signal: 'SIGTERM', setup: HANGING_SINK, env: { LOGBRIDGE_EXIT_TIMEOUT_MS: '300' },
    });
    assert.equal(run.signal, 'SIGTERM', describeRun(run));
    assert.deepEqual(linesOf(run).map((l) => l.message), ['listening', 'second line']);
    assert.equal(run.stderr.split('\n').filter((l) => l.startsWith('logbridge:')).length, 1, run.stderr);
    assert.match(run.stderr, /^logbridge: ACCOUNTING: 2 records emitted; sink "stdout": 2 received, 2 delivered; sink "hanging": 2 received, 2 undelivered$/m);
    const ms = run.afterSignalMs!;
    // the wait ends a quarter of the deadline early (finalFlushReserve): the rest is the final flush's
    assert.ok(ms >= 200 && ms < 5000, `signal to exit took ${ms} ms (deadline 300 ms)`);
  });

  it('stops waiting at a second signal', async () => {
    const app = SERVICE.replace(`process.stderr.write('READY\\n')`,
      `(process.stderr.write('READY\\n'), setTimeout(() => process.kill(process.pid, 'SIGTERM'), 200))`);
    const run = await runChild(app, { signal: 'SIGTERM', setup: HANGING_SINK, env: { LOGBRIDGE_EXIT_TIMEOUT_MS: '20000' } });
    assert.equal(run.signal, 'SIGTERM', describeRun(run));
    assert.ok(run.afterSignalMs! < 10_000, `the 20 s deadline was not waited out (${run.afterSignalMs} ms)`);
    assert.deepEqual(linesOf(run).map((l) => l.message), ['listening', 'second line']);
  });
});
