import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../helpers/run-node.ts';

describe('log method types (src/core/log-arguments.ts)', () => {
  it('compile the documented call forms and reject log.info(42) and log.info(message, string)', async function () {
    this.timeout(60_000);
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const fixture = join(ROOT, 'test/core/fixtures/log-call-types.ts');
    const args = [tsc, '--noEmit', '--strict', '--target', 'es2023', '--module', 'nodenext',
      '--moduleResolution', 'nodenext', '--allowImportingTsExtensions', '--skipLibCheck', '--types', 'node', fixture];
    const result = await promisify(execFile)(process.execPath, args, { cwd: ROOT }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? 1, stdout: error.stdout ?? '' }));
    // An unused @ts-expect-error (TS2578) means a call the types should reject compiled.
    assert.equal(result.stdout, '');
    assert.equal(result.code, 0);
  });
});
