import assert from 'node:assert/strict';
import { runNode, SRC_INDEX } from '../helpers/run-node.ts';

const IMPORT = `import { log, configure } from ${JSON.stringify(SRC_INDEX)};\n`;

/** The order in which console.log and logbridge lines reached stdout. */
function order(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l !== '').map((line) => {
    if (!line.startsWith('{')) return line;
    return `log ${String((JSON.parse(line) as { message?: unknown }).message)}`;
  });
}

const INTERLEAVED = `
  console.log('console 1');
  log.info('2');
  console.log('console 3');
  log.warn('4');
  console.log('console 5');
  log.info('6');
`;
const IN_ORDER = ['console 1', 'log 2', 'console 3', 'log 4', 'console 5', 'log 6'];

describe('createStdoutSink() write-through mode (child processes)', () => {
  it('with LOGBRIDGE_SYNC=true, writes every line at once, in order with console.log', async () => {
    const { stdout, code, stderr } = await runNode(`${IMPORT}${INTERLEAVED}`,
      { env: { LOGBRIDGE_SYNC: 'true', LOGBRIDGE_FORMAT: 'json' } });
    assert.equal(code, 0, stderr);
    assert.deepEqual(order(stdout), IN_ORDER);
  });

  it('with configure({ sync: true }), does the same', async () => {
    const { stdout, code, stderr } = await runNode(`${IMPORT}configure({ sync: true, format: 'json' });${INTERLEAVED}`,
      { env: { LOGBRIDGE_SYNC: undefined } });
    assert.equal(code, 0, stderr);
    assert.deepEqual(order(stdout), IN_ORDER);
  });

  it('loses no line to a hard kill right after an info record', async () => {
    const { stdout, signal } = await runNode(`${IMPORT}
      log.info('written');
      process.kill(process.pid, 'SIGKILL');
    `, { env: { LOGBRIDGE_SYNC: 'true', LOGBRIDGE_FORMAT: 'json' } });
    assert.equal(signal, 'SIGKILL');
    assert.deepEqual(order(stdout), ['log written']);
  });

  it('by default buffers: console.log lines written later come first (what the mode is for)', async () => {
    const { stdout, code } = await runNode(`${IMPORT}${INTERLEAVED}`,
      { env: { LOGBRIDGE_SYNC: undefined, LOGBRIDGE_FORMAT: 'json' } });
    assert.equal(code, 0);
    assert.notDeepEqual(order(stdout), IN_ORDER);
    assert.deepEqual(order(stdout).filter((l) => l.startsWith('log')), ['log 2', 'log 4', 'log 6']);
  });
});
