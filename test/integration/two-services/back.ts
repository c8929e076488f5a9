import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { maybeStartTracing } from './tracing.ts';
import { getLogger } from '../../../src/index.ts';
import { requestContext } from '../../../src/http/node.ts';

/** Child-process fixture: the back service. Prints `PORT n` on stderr; exits when stdin closes. */
maybeStartTracing();
const log = getLogger('back');
const server = http.createServer(requestContext((_req, res) => {
  log.info('back work');
  res.end('ok');
}));
server.listen(0, '127.0.0.1', () => process.stderr.write(`PORT ${(server.address() as AddressInfo).port}\n`));
process.stdin.resume();
process.stdin.on('end', () => {
  server.close();
  server.closeAllConnections();
  process.stdin.pause();
});
