// One case of benchmarks/write-through.ts: writes N lines to stdout, prints µs per line on stderr.
import pino from 'pino';
import { configure, flush, getLogger } from '../../dist/index.js';

const N = 100_000;
const name = process.argv[2];
const started = process.hrtime.bigint();
if (name === 'logbridge sync' || name === 'logbridge buffered') {
  configure({ format: 'json', sync: name === 'logbridge sync' });
  const log = getLogger('bench');
  for (let i = 0; i < N; i++) log.info('line', { seq: i });
  await flush();
} else {
  const logger = pino(pino.destination({ dest: 1, sync: name === 'pino sync' }));
  for (let i = 0; i < N; i++) logger.info({ seq: i }, 'line');
  logger.flush();
}
process.stderr.write(`${Number(process.hrtime.bigint() - started) / N / 1000}\n`);
