import assert from 'node:assert/strict';
import { describeRun, linesOf, runBoth, startAll } from '../helpers/crash-child.ts';

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
  return stderr.replace(/\(node:\d+\)/g, '(node:PID)').replace(/[^\s(]*app-\d+-\d+\.ts:\d+:\d+/g, 'APP');
}

const APP_LISTENER = `process.on('unhandledRejection', (reason) => process.stderr.write('app saw ' + reason.message + '\\n'));\n` +
  REJECT_ERROR;

// Node's --unhandled-rejections modes: which ones end the process (FATAL record), which ones only
// warn (ERROR record: a listener changes nothing there), and warn-with-error-code, where a listener
// would change the exit code (no record).
const MODES: Array<[string, 'FATAL' | 'ERROR' | 'none']> = [
  ['throw', 'FATAL'], ['strict', 'FATAL'], ['warn', 'ERROR'], ['none', 'ERROR'], ['warn-with-error-code', 'none'],
];

describe('crash handlers: unhandled rejections (child processes)', function () {
  this.timeout(60_000);
  let run: ReturnType<typeof startAll<Awaited<ReturnType<typeof runBoth>>>>;
  before(() => {
    run = startAll({
      ...Object.fromEntries(MODES.map(([mode]) =>
        [mode, () => runBoth(REJECT_ERROR, { nodeArgs: [`--unhandled-rejections=${mode}`] })])),
      nodeOptions: () => runBoth(REJECT_ERROR, { env: { NODE_OPTIONS: '--unhandled-rejections=warn' } }),
      string: () => runBoth(REJECT_STRING),
      appListener: () => runBoth(APP_LISTENER),
    });
  });

  for (const [mode, record] of MODES) {
    const outcome = { FATAL: 'a FATAL record', ERROR: 'an ERROR record and the same warnings', none: 'no record and the same warnings' }[record];
    it(`follows --unhandled-rejections=${mode}: same exit code as plain Node, ${outcome}`, async () => {
      const { withLogbridge: result, plain } = await run(mode);
      assert.equal(result.code, plain.code, `${describeRun(result)}\n=== plain\n${describeRun(plain)}`);
      assert.equal(result.signal, plain.signal);
      const messages = linesOf(result).map((l) => `${l.level} ${l.message}`);
      // Where the process goes on, Node's warnings are untouched (when it ends, Node's report shows the re-raise).
      if (record !== 'FATAL') assert.equal(normalize(result.stderr), normalize(plain.stderr));
      if (record === 'FATAL') {
        assert.equal(plain.code, 1);
        assert.deepEqual(messages, ['INFO starting', 'FATAL Unhandled rejection: Error: lookup failed']);
        assert.match(String(linesOf(result)[1]!['exception.stacktrace']),
          /^Error: lookup failed\n {4}at [\s\S]*\nCaused by: Error: dns timeout\n {4}at /);
      } else if (record === 'ERROR') {
        assert.deepEqual(messages, ['INFO starting', 'ERROR Unhandled rejection: Error: lookup failed', 'INFO later']);
      } else {
        assert.deepEqual(messages, ['INFO starting', 'INFO later']);
      }
    });
  }

  it('reads the mode from NODE_OPTIONS too', async () => {
    const { withLogbridge: result, plain } = await run('nodeOptions');
    assert.equal(plain.code, 0);
    assert.equal(result.code, 0, describeRun(result));
    assert.deepEqual(linesOf(result).map((l) => l.level), ['INFO', 'ERROR', 'INFO']);
  });

  it('reports a rejection with a string through Node\'s own wrapper error, exit code 1', async () => {
    const { withLogbridge: result, plain } = await run('string');
    assert.equal(plain.code, 1);
    assert.equal(result.code, 1, describeRun(result));
    const fatal = linesOf(result)[1]!;
    assert.equal(fatal.level, 'FATAL');
    assert.equal(fatal['exception.type'], 'UnhandledPromiseRejection');
    assert.equal(fatal['exception.code'], 'ERR_UNHANDLED_REJECTION');
    assert.match(String(fatal['exception.message']), /The promise rejected with the reason "no quota"\./);
    assert.equal(linesOf(result).length, 2, 'the process ended before "later"');
  });

  it('leaves a rejection alone when the application has an unhandledRejection listener', async () => {
    const { withLogbridge: result, plain } = await run('appListener');
    assert.equal(plain.code, 0);
    assert.equal(result.code, 0, describeRun(result));
    assert.match(result.stderr, /app saw lookup failed/);
    assert.deepEqual(linesOf(result).map((l) => l.message), ['starting', 'later']);
  });
});
