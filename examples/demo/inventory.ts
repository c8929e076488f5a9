import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getLogger, setRequestAttributes } from '../../src/index.ts';
import { requestContext } from '../../src/http/node.ts';

/** The back service: a plain node:http server answering `GET /stock/:sku`. */

const log = getLogger('inventory');
const STOCK = new Map([['book', 12], ['pen', 40]]);

export async function startInventory(): Promise<{ url: string; close(): void }> {
  const server = http.createServer(requestContext((req, res) => {
    setRequestAttributes({ 'http.route': '/stock/:sku' });
    const sku = decodeURIComponent((req.url ?? '').split('?')[0]!.split('/')[2] ?? '');
    const count = STOCK.get(sku);
    res.setHeader('content-type', 'application/json');
    if (count === undefined) {
      // An expected error: part of normal operation, logged at WARN with context.
      log.warn('unknown sku', { sku });
      res.statusCode = 404;
      res.end(JSON.stringify({ error: 'unknown sku' }));
      return;
    }
    log.info('stock checked', { sku, count });
    res.end(JSON.stringify({ sku, count }));
  }, { accessLog: { logger: 'inventory.http' } }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      server.close();
      server.closeAllConnections();
    },
  };
}
