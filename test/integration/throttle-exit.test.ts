import assert from 'node:assert/strict';
import { parseLines, runNode, SRC_INDEX } from '../helpers/run-node.ts';

/**
 * What the throttle held back is summarised when the process ends, however
 * it ends: the summary is made before the final flush, which writes it.
 */
const ENDS = {
  natural: '',
  'process.exit(0)': 'process.exit(0);',
  SIGTERM: "process.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 5000);",
  'an uncaught exception': "throw new Error('boom');",
} as const;

describe('throttle summaries at exit', () => {
  for (const [end, code] of Object.entries(ENDS)) {
    it(`writes the summary of an open window on ${end}`, async () => {
      const result = await runNode(`
        import { getLogger } from ${JSON.stringify(SRC_INDEX)};
        const log = getLogger('db');
        for (let i = 0; i < 10; i++) log.warn('db timeout', { i });
        ${code}
      `, { env: { LOGBRIDGE_THROTTLE: '2/1m', LOGBRIDGE_CRASH_HANDLERS: 'true' }, timeoutMs: 10_000 });
      const lines = parseLines(result.stdout);
      assert.deepEqual(lines.filter((l) => l.message === 'db timeout').map((l) => l.i), [0, 1]);
      const summaries = lines.filter((l) => l['logbridge.throttle.suppressed'] !== undefined);
      assert.equal(summaries.length, 1, result.stdout + result.stderr);
      assert.equal(summaries[0]!['logbridge.throttle.suppressed'], 8);
      assert.match(String(summaries[0]!.message), /^suppressed 8 records like "db timeout" in 60000 ms$/);
    });
  }
});
