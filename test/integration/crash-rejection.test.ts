import assert from 'node:assert/strict';
import { describeRun, linesOf, runBoth } from '../helpers/crash-child.ts';

const REJECT_ERROR = `
log.info('starting');
setTimeout(() => { Promise.reject(new Error('lookup failed', { cause: new Error('dns timeout') })); }, 5);
setTimeout(() => log.info('later'), 100);
`;

const REJECT_STRING = `
log.info('starting');
setTimeout(() => { Promise.reject('no quota'); }, 5);
setTimeout(() => log.info('later'), 100);
`;

/** stderr without what differs between two runs: process IDs and script paths with line numbers. */
function normalize(stderr: string): string {
  return stderr.replace(/\(node:\d+\)/g, '(node:PID)').replace(/file:\/\/\S+?app-\d+-\d+\.ts:\d+:\d+/g, 'APP');
}

describe('crash handlers: unhandled rejections (child processes)', function () {
  this.timeout(30_000);

  // Node's --unhandled-rejections modes: which ones end the process (FATAL record), which ones only
  // warn (ERROR record: a listener changes nothing there), and warn-with-error-code, where a listener
  // would change the exit code (no record).
  const modes: Array<[string, 'FATAL' | 'ERROR' | 'none']> = [
    ['throw', 'FATAL'], ['strict', 'FATAL'], ['warn', 'ERROR'], ['none', 'ERROR'], ['warn-with-error-code', 'none'],
  ];
  for (const [mode, record] of modes) {
    const outcome = { FATAL: 'a FATAL record', ERROR: 'an ERROR record and the same warnings', none: 'no record and the same warnings' }[record];
    it(`follows --unhandled-rejections=${mode}: same exit code as plain Node, ${outcome}`, async () => {
      const { withLogbridge: run, plain } = await runBoth(REJECT_ERROR, { nodeArgs: [`--unhandled-rejections=${mode}`] });
      assert.equal(run.code, plain.code, `${describeRun(run)}\n=== plain\n${describeRun(plain)}`);
      assert.equal(run.signal, plain.signal);
      const messages = linesOf(run).map((l) => `${l.level} ${l.message}`);
      // Where the process goes on, Node's warnings are untouched (when it ends, Node's report shows the re-raise).
      if (record !== 'FATAL') assert.equal(normalize(run.stderr), normalize(plain.stderr));
      if (record === 'FATAL') {
        assert.equal(plain.code, 1);
        assert.deepEqual(messages, ['INFO starting', 'FATAL Unhandled rejection: Error: lookup failed']);
        assert.match(String(linesOf(run)[1]!['exception.stacktrace']),
          /^Error: lookup failed\n {4}at [\s\S]*\nCaused by: Error: dns timeout\n {4}at /);
      } else if (record === 'ERROR') {
        assert.deepEqual(messages, ['INFO starting', 'ERROR Unhandled rejection: Error: lookup failed', 'INFO later']);
      } else {
        assert.deepEqual(messages, ['INFO starting', 'INFO later']);
      }
    });
  }

  it('reads the mode from NODE_OPTIONS too', async () => {
    const { withLogbridge: run, plain } = await runBoth(REJECT_ERROR, { env: { NODE_OPTIONS: '--unhandled-rejections=warn' } });
    assert.equal(plain.code, 0);
    assert.equal(run.code, 0, describeRun(run));
    assert.deepEqual(linesOf(run).map((l) => l.level), ['INFO', 'ERROR', 'INFO']);
  });

  it('reports a rejection with a string through Node\'s own wrapper error, exit code 1', async () => {
    const { withLogbridge: run, plain } = await runBoth(REJECT_STRING);
    assert.equal(plain.code, 1);
    assert.equal(run.code, 1, describeRun(run));
    const fatal = linesOf(run)[1]!;
    assert.equal(fatal.level, 'FATAL');
    assert.equal(fatal['exception.type'], 'UnhandledPromiseRejection');
    assert.equal(fatal['exception.code'], 'ERR_UNHANDLED_REJECTION');
    assert.match(String(fatal['exception.message']), /The promise rejected with the reason "no quota"\./);
    assert.equal(linesOf(run).length, 2, 'the process ended before "later"');
  });

  it('leaves a rejection alone when the application has an unhandledRejection listener', async () => {
    const app = `process.on('unhandledRejection', (reason) => process.stderr.write('app saw ' + reason.message + '\\n'));\n` +
      REJECT_ERROR;
    const { withLogbridge: run, plain } = await runBoth(app);
    assert.equal(plain.code, 0);
    assert.equal(run.code, 0, describeRun(run));
    assert.match(run.stderr, /app saw lookup failed/);
    assert.deepEqual(linesOf(run).map((l) => l.message), ['starting', 'later']);
  });
});
