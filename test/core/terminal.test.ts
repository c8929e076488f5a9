import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTerminal } from '../../src/core/terminal.ts';
import { SRC_INDEX, runNode } from '../helpers/run-node.ts';

describe('isTerminal() (src/core/terminal.ts)', () => {
  it('says false for a file, /dev/null and a closed fd, without throwing', function () {
    if (process.platform === 'win32') this.skip();
    const file = openSync(join(mkdtempSync(join(tmpdir(), 'logbridge-terminal-')), 'out'), 'w');
    const devNull = openSync('/dev/null', 'w');
    try {
      assert.equal(isTerminal(file), false);
      assert.equal(isTerminal(devNull), false); // a character device: node:tty decides
    } finally {
      closeSync(file);
      closeSync(devNull);
    }
    assert.equal(isTerminal(devNull), false);
  });

  it('does not load node:tty when stdout is a pipe (the default path: import, configure, one line)', async () => {
    const result = await runNode(`
      import { getLogger } from ${JSON.stringify(SRC_INDEX)};
      getLogger('pipe').info('hello');
      process.stderr.write(JSON.stringify(process.moduleLoadList.filter((m) => m === 'NativeModule tty')));
    `, { env: { LOGBRIDGE_FORMAT: undefined, NODE_ENV: undefined } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /"message":"hello"/); // auto format on a pipe: JSON
    assert.equal(result.stderr, '[]');
  });
});
