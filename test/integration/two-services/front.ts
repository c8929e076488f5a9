import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { maybeStartTracing } from './tracing.ts';
import { getLogger, propagatingFetch } from '../../../src/index.ts';
import { requestContext } from '../../../src/http/node.ts';

/**
 * Child-process fixture: the front service. Calls BACK_URL for each request,
 * sends itself one request per header set in CLIENT_HEADERS (a JSON array), one
 * after the other, then exits.
 */
maybeStartTracing();
const log = getLogger('front');
const server = http.createServer(requestContext(async (_req, res) => {
  log.info('front before');
  const answer = await propagatingFetch(`${process.env.BACK_URL}/b`);
  log.info('front after', { status: answer.status, body: await answer.text() });
  res.end('done');
}));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const headerSets = JSON.parse(process.env.CLIENT_HEADERS ?? '[{}]') as Array<Record<string, string>>;
for (const headers of headerSets) {
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/f`, { headers });
  await res.text();
}
server.close();
server.closeAllConnections();
