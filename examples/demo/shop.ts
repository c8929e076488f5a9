import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { getLogger, propagatingFetch, setRequestAttributes } from '../../src/index.ts';
import { requestContext } from '../../src/http/express.ts';

/** The front service: Express, `POST /orders/:sku`, asking the inventory service over fetch. */

const log = getLogger('shop');

/** An expected failure: the order cannot be placed; the caller gets a 404. */
class UnknownProductError extends Error {
  override name = 'UnknownProductError';
}

export async function startShop(inventoryUrl: string): Promise<{ url: string; close(): void }> {
  const app = express();
  app.set('env', 'production');
  app.use(requestContext({ accessLog: { logger: 'shop.http' } }));
  app.post('/orders/:sku', async (req, res) => {
    const userId = req.get('x-user-id');
    if (userId !== undefined) setRequestAttributes({ 'user.id': userId });
    log.info('placing order', { sku: req.params.sku });
    try {
      // propagatingFetch adds x-request-id and traceparent; the inventory
      // service continues the same request and the same trace.
      const stock = await propagatingFetch(`${inventoryUrl}/stock/${encodeURIComponent(req.params.sku)}`);
      if (stock.status === 404) throw new UnknownProductError(`no product ${req.params.sku}`);
      const { count } = await stock.json() as { count: number };
      log.info('order placed', { sku: req.params.sku, 'stock.count': count });
      res.status(201).json({ ok: true });
    } catch (error) {
      if (!(error instanceof UnknownProductError)) throw error;
      // Expected: WARN with exception.type/message and exception.expected, no stack.
      log.expected('order refused', error, { sku: req.params.sku });
      res.status(404).json({ error: error.message });
    }
  });
  const server = http.createServer(app);
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
