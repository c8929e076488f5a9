import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { getLogger } from '../../src/index.ts';
import { requestContext } from '../../src/http/express.ts';
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
