import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { getLogger, setRequestAttributes } from '../../src/index.ts';
import { requestContext, UNMATCHED_ROUTE } from '../../src/http/express.ts';
import { captureLogs } from '../../src/testing/index.ts';
import { describeAdapter } from './adapter-suite.ts';

describe('requestContext() (logbridge/express, Express 5)', () => {
  describeAdapter('express');

  it('reports the full route template of a mounted router, and the path without the query', async () => {
    const app = express();
    app.use(requestContext({ accessLog: true }));
    const router = express.Router();
    router.get('/items/:id', (_req, res) => { getLogger('router').info('in router'); res.json({}); });
    app.use('/v1', router);
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const sink = await captureLogs(async () => {
        await (await fetch(`http://127.0.0.1:${port}/v1/items/3?token=secret`, { headers: { 'x-request-id': 'mounted-1' } })).arrayBuffer();
      });
      assert.equal(sink.find('in router')[0]?.requestId, 'mounted-1');
      const access = sink.find('http.server.request')[0]!;
      assert.equal(access.allAttributes['http.route'], '/v1/items/:id');
      assert.equal(access.allAttributes['url.path'], '/v1/items/3');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('requestContext() route on errors and unmatched paths (Express 5)', () => {
  async function accessOf(app: express.Express, path: string) {
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const sink = await captureLogs(async () => {
        await (await fetch(`http://127.0.0.1:${port}${path}`)).arrayBuffer();
      });
      const access = sink.find('http.server.request')[0];
      assert.ok(access !== undefined, 'an access record');
      return access;
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }

  function silenceDefaultHandler(app: express.Express): void {
    // Express's default handler prints the stack unless env is 'test'.
    app.set('env', 'test');
  }

  it('reports the route template of a throwing route under the default error handler', async () => {
    const app = express();
    silenceDefaultHandler(app);
    app.use(requestContext({ accessLog: true }));
    app.get('/boom', () => { throw new Error('boom'); });
    const access = await accessOf(app, '/boom');
    assert.equal(access.allAttributes['http.response.status_code'], 500);
    assert.equal(access.allAttributes['http.route'], '/boom');
    assert.equal(access.body, 'GET /boom 500');
  });

  it('keeps the mount prefix of a router when the app error handler answers', async () => {
    const app = express();
    app.use(requestContext({ accessLog: true }));
    const api = express.Router();
    api.get('/fail/:id', () => { throw new Error('failed'); });
    app.use('/api', api);
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(503).json({ error: 'unavailable' });
    });
    const access = await accessOf(app, '/api/fail/7');
    assert.equal(access.allAttributes['http.route'], '/api/fail/:id');
    assert.equal(access.body, 'GET /api/fail/:id 503');
  });

  it('reports the route template of a rejected async handler in a nested router', async () => {
    const app = express();
    silenceDefaultHandler(app);
    app.use(requestContext({ accessLog: true }));
    const v1 = express.Router();
    const orders = express.Router({ mergeParams: true });
    orders.post('/:id/pay', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('payment failed');
    });
    v1.use('/orders', orders);
    app.use('/v1', v1);
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const sink = await captureLogs(async () => {
        await (await fetch(`http://127.0.0.1:${port}/v1/orders/42/pay`, { method: 'POST' })).arrayBuffer();
      });
      const access = sink.find('http.server.request')[0]!;
      assert.equal(access.allAttributes['http.route'], '/v1/orders/:id/pay');
      assert.equal(access.body, 'POST /v1/orders/:id/pay 500');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('reports a constant, never the raw path, for a request no route matched (404)', async () => {
    const app = express();
    app.use(requestContext({ accessLog: true }));
    app.get('/known', (_req, res) => { res.end(); });
    const access = await accessOf(app, '/nope/123?x=1');
    assert.equal(access.allAttributes['http.response.status_code'], 404);
    assert.equal(access.allAttributes['http.route'], UNMATCHED_ROUTE);
    assert.equal(access.body, `GET ${UNMATCHED_ROUTE} 404`);
    assert.doesNotMatch(access.body as string, /nope/);
  });

  it('does not take a route whose path matched but method did not (405-style fallthrough)', async () => {
    const app = express();
    app.use(requestContext({ accessLog: true }));
    app.post('/only-post', (_req, res) => { res.end(); });
    const access = await accessOf(app, '/only-post');
    assert.equal(access.allAttributes['http.route'], UNMATCHED_ROUTE);
  });
});

describe('requestContext() with a route the app set itself (Express 5)', () => {
  it('keeps a route set with setRequestAttributes() by middleware that answered', async () => {
    const app = express();
    app.use(requestContext({ accessLog: true }));
    app.use('/health', (_req, res) => { setRequestAttributes({ 'http.route': '/health' }); res.end('ok'); });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const sink = await captureLogs(async () => {
        await (await fetch(`http://127.0.0.1:${port}/health/deep`)).arrayBuffer();
      });
      const access = sink.find('http.server.request')[0]!;
      assert.equal(access.allAttributes['http.route'], '/health');
      assert.equal(access.body, 'GET /health 200');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
