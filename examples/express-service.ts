/**
 * A small Express service logging with logbridge: request IDs on every line,
 * an access log, expected and unexpected errors, trace IDs from a tracing
 * SDK, and a clean shutdown that flushes every sink.
 *
 *   node examples/express-service.ts                 # readable lines on a terminal, JSON when piped
 *   curl -i -X POST localhost:3000/orders -H 'content-type: application/json' \
 *        -H 'x-request-id: demo-1' -d '{"sku":"book","qty":2}'
 *   curl -i localhost:3000/orders/unknown            # an expected error: WARN, 404
 *   curl -i localhost:3000/boom                      # an unexpected one: ERROR with the stack, 500
 *
 * Environment: PORT (default 3000; 0 picks a free port), HOST (default
 * 127.0.0.1), and every logbridge / OpenTelemetry variable — with
 * OTEL_EXPORTER_OTLP_ENDPOINT set, logs and spans also go over OTLP (see
 * examples/deploy/). In your own service, import from 'logbridge' and
 * 'logbridge/express' instead of the source paths used here.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { getLogger, setRequestAttributes, shutdown } from '../src/index.ts';
import { requestContext } from '../src/http/express.ts';
import { startTracing } from './demo/tracing.ts';

const log = getLogger('orders.api');
const db = getLogger('orders.db').child({ 'db.system': 'memory' });

/** An anticipated failure, answered with a 404: logged as an expected error (WARN, no stack). */
class OrderNotFoundError extends Error {
  override name = 'OrderNotFoundError';
}

const orders = new Map<string, { sku: string; qty: number }>();
let nextId = 1;

/** The Express application. */
export function createApp(): express.Express {
  const app = express();
  app.set('env', 'production');
  app.use(requestContext({ accessLog: true })); // first: everything after it carries request.id
  app.use(express.json());

  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });

  app.post('/orders', (req: Request, res: Response) => {
    const { sku, qty } = req.body as { sku?: unknown; qty?: unknown };
    if (typeof sku !== 'string' || typeof qty !== 'number') {
      log.warn('invalid order', { 'body.keys': Object.keys(req.body ?? {}) });
      res.status(400).json({ error: 'sku (string) and qty (number) are required' });
      return;
    }
    const id = String(nextId++);
    setRequestAttributes({ 'order.id': id }); // on every later record of this request
    db.debug('insert', { table: 'orders' });
    orders.set(id, { sku, qty });
    log.info('order placed', { sku, qty });
    res.status(201).json({ id });
  });

  app.get('/orders/:id', (req: Request<{ id: string }>, res: Response) => {
    const order = orders.get(req.params.id);
    if (order === undefined) {
      log.expected('order lookup failed', new OrderNotFoundError(`no order ${req.params.id}`));
      res.status(404).json({ error: 'not found' });
      return;
    }
    res.json(order);
  });

  app.get('/boom', () => {
    throw new Error('something broke', { cause: new TypeError('inventory client returned undefined') });
  });

  // Unexpected errors: one ERROR record with exception.* and the cause chain.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    log.error('request failed', error);
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}

/** Starts the service; resolves with its URL and a stop function that also flushes the logs. */
export async function start(port = Number(process.env.PORT ?? 3000), host = process.env.HOST ?? '127.0.0.1') {
  const tracing = await startTracing();
  const server = http.createServer(createApp());
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  const url = `http://${host}:${address.port}`;
  log.info('listening', { url });
  return {
    url,
    async stop(): Promise<void> {
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeIdleConnections();
      });
      log.info('stopped');
      await tracing.shutdown();
      await shutdown(); // flushes stdout and OTLP
    },
  };
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  const service = await start();
  process.stderr.write(`express-service: listening on ${service.url}\n`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void service.stop());
  }
}
