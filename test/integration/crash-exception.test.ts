import assert from 'node:assert/strict';
import { describeRun, linesOf, runBoth, runChild, startAll, type ChildOptions } from '../helpers/crash-child.ts';
import type { RunResult } from '../helpers/run-node.ts';

// Generous: a child starts in about half a second; the bound catches a hang, not a slow machine.
const WALL_MS = 8000;

const CHECKOUT = `
log.info('starting', { port: 8080 });
setTimeout(() => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  const pool = new AggregateError([refused, new Error('replica timeout')], 'no database reachable');
  throw Object.assign(new TypeError('checkout failed', { cause: pool }), { statusCode: 503 });
}, 5);
`;

const CHECKOUT_STACK = new RegExp([
  '^TypeError: checkout failed\\n {4}at .*app-',
  '[\\s\\S]*\\nCaused by: AggregateError: no database reachable\\n {4}at ',
  '[\\s\\S]*\\n {4}\\[errors\\]\\[0\\]: Error: connect ECONNREFUSED 127\\.0\\.0\\.1:5432\\n {8}at ',
  '[\\s\\S]*\\n {4}\\[errors\\]\\[1\\]: Error: replica timeout\\n {8}at ',
].join(''));

/** Applications whose runs are compared with plain Node. */
const COMPARED: Record<string, string> = {
  string: `setTimeout(() => { throw 'out of cheese'; }, 5);`,
  null: `setTimeout(() => { throw null; }, 5);`,
  appListener: `
    process.on('uncaughtException', (error) => {
      process.stderr.write('app handled ' + error.message + '\\n');
      setTimeout(() => { log.info('still running'); process.exitCode = 4; }, 30);
    });
    setTimeout(() => { throw new Error('handled by the app'); }, 5);
  `,
  monitorAndExit: `
    process.on('uncaughtExceptionMonitor', (error, origin) => process.stderr.write('monitor ' + origin + ' ' + error.message + '\\n'));
    process.on('exit', (code) => process.stderr.write('exit listener ' + code + '\\n'));
    setTimeout(() => { throw new Error('seen once'); }, 5);
  `,
  appExitsAtOnce: `
    process.on('uncaughtException', () => process.exit(7));
    log.info('a buffered line');
    setTimeout(() => { throw new RangeError('gone'); }, 5);
  `,
};

/** Runs with logbridge only. */
const SINGLE: Record<string, [string, ChildOptions]> = {
  report: [CHECKOUT, {}],
  atStartup: [`throw new Error('at startup');`, {}],
  byDefault: [CHECKOUT, { env: { LOGBRIDGE_CRASH_HANDLERS: undefined } }],
  inCode: [CHECKOUT, {
    env: { LOGBRIDGE_CRASH_HANDLERS: undefined },
    setup: `logbridge.installCrashHandlers({ loggerName: 'crash' });\n`,
  }],
  removed: [CHECKOUT, { setup: `logbridge.configure({ crashHandlers: false });\n` }],
};

describe('crash handlers: uncaught exceptions (child processes)', function () {
  this.timeout(60_000);

  it('writes one FATAL record with the whole cause chain, then exits with code 1 like plain Node', async () => {
    const { withLogbridge: run, plain } = await runBoth(CHECKOUT);
    assert.equal(plain.code, 1, describeRun(plain));
    assert.equal(run.code, plain.code, describeRun(run));
    assert.equal(run.signal, null);
    const lines = linesOf(run);
    assert.equal(lines.length, 2, describeRun(run));
    assert.deepEqual(lines[0], { level: 'INFO', severity_number: 9, scope: 'app', message: 'starting', port: 8080 });
    const { 'exception.stacktrace': stack, ...fatal } = lines[1]!;
    assert.deepEqual(fatal, {
      level: 'FATAL', severity_number: 21, scope: 'process',
      message: 'Uncaught exception: TypeError: checkout failed',
      'exception.type': 'TypeError', 'exception.message': 'checkout failed', 'exception.statusCode': 503,
    });
    assert.match(String(stack), CHECKOUT_STACK);
    assert.ok(run.ms < WALL_MS, `took ${run.ms} ms`);
  });

  describe('more cases (their child processes run in parallel)', () => {
    let both: (name: string) => Promise<{ withLogbridge: RunResult; plain: RunResult }>;
    let one: (name: string) => Promise<RunResult>;
    before(() => {
      both = startAll(Object.fromEntries(Object.entries(COMPARED).map(([name, app]) => [name, () => runBoth(app)])));
      one = startAll(Object.fromEntries(Object.entries(SINGLE).map(([name, [app, options]]) =>
        [name, () => runChild(app, options)])));
    });

    it('leaves Node\'s own report of the exception on stderr', async () => {
      const run = await one('report');
      assert.match(run.stderr, /\nTypeError: checkout failed\n {4}at /);
      assert.match(run.stderr, /\[cause\]: AggregateError: no database reachable/);
      assert.match(run.stderr, /\nNode\.js v\d+\.\d+\.\d+\n$/);
      assert.doesNotMatch(run.stderr, /logbridge: [A-Z_]+:/, 'no diagnostics and no accounting line: nothing was lost');
    });

    it('reports a thrown string as a FATAL record of type string', async () => {
      const { withLogbridge: run, plain } = await both('string');
      assert.equal(run.code, plain.code);
      assert.equal(run.code, 1);
      assert.deepEqual(linesOf(run), [{
        level: 'FATAL', severity_number: 21, scope: 'process', message: 'Uncaught exception: out of cheese',
        'exception.type': 'string', 'exception.message': 'out of cheese',
      }]);
    });

    it('reports a thrown null', async () => {
      const { withLogbridge: run, plain } = await both('null');
      assert.equal(run.code, plain.code);
      assert.deepEqual(linesOf(run).map((l) => [l['exception.type'], l.message]), [['null', 'Uncaught exception: null']]);
    });

    it('keeps the application\'s own uncaughtException listener in charge: the process lives on', async () => {
      const { withLogbridge: run, plain } = await both('appListener');
      assert.equal(plain.code, 4, describeRun(plain));
      assert.equal(run.code, 4, describeRun(run));
      assert.match(run.stderr, /app handled handled by the app/);
      assert.deepEqual(linesOf(run).map((l) => [l.level, l.message]), [
        ['FATAL', 'Uncaught exception: Error: handled by the app'],
        ['INFO', 'still running'],
      ]);
    });

    it('keeps the application\'s monitor and exit listeners working, each called once', async () => {
      const { withLogbridge: run, plain } = await both('monitorAndExit');
      const markers = (r: RunResult): string[] => r.stderr.split('\n').filter((l) => /^(monitor|exit listener) /.test(l));
      assert.deepEqual(markers(plain), ['monitor uncaughtException seen once', 'exit listener 1']);
      assert.deepEqual(markers(run), markers(plain), describeRun(run));
      assert.equal(run.code, 1);
    });

    it('logs the FATAL record before an application listener that exits at once', async () => {
      const { withLogbridge: run, plain } = await both('appExitsAtOnce');
      assert.equal(plain.code, 7);
      assert.equal(run.code, 7);
      assert.deepEqual(linesOf(run).map((l) => l.message), ['a buffered line', 'Uncaught exception: RangeError: gone']);
    });

    it('reports an exception thrown before anything was logged', async () => {
      const run = await one('atStartup');
      assert.equal(run.code, 1);
      // A top-level throw in an ES module rejects the module's evaluation: Node reports its origin as a rejection.
      assert.deepEqual(linesOf(run).map((l) => l.message), ['Unhandled rejection: Error: at startup']);
    });

    it('does nothing by default: no FATAL record, Node exits as usual', async () => {
      const run = await one('byDefault');
      assert.equal(run.code, 1);
      assert.deepEqual(linesOf(run).map((l) => l.level), ['INFO']);
    });

    it('is installed by installCrashHandlers() in code as well', async () => {
      const run = await one('inCode');
      assert.equal(run.code, 1);
      assert.deepEqual(linesOf(run).map((l) => [l.level, l.scope]), [['INFO', 'app'], ['FATAL', 'crash']]);
    });

    it('is removed by configure({ crashHandlers: false })', async () => {
      const run = await one('removed');
      assert.equal(run.code, 1);
      assert.deepEqual(linesOf(run).map((l) => l.level), ['INFO']);
    });
  });
});
