import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { getLogger } from '../../src/index.ts';
import { requestContext } from '../../src/http/fastify.ts';
import { captureLogs } from '../../src/testing/index.ts';
import { describeAdapter } from './adapter-suite.ts';

describe('requestContext (logbridge/fastify, Fastify 5)', () => {
  describeAdapter('fastify');

  it('covers routes of child plugins too (not encapsulated), with their full route template', async () => {
    const app = Fastify({ logger: false, forceCloseConnections: true });
    await app.register(requestContext, { accessLog: true });
    await app.register(async (child) => {
      child.get('/items/:id', async () => {
        getLogger('child').info('in child plugin');
        return {};
      });
    }, { prefix: '/v1' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const sink = await captureLogs(async () => {
        await (await fetch(`http://127.0.0.1:${port}/v1/items/3`, { headers: { 'x-request-id': 'child-1' } })).arrayBuffer();
      });
      assert.equal(sink.find('in child plugin')[0]?.requestId, 'child-1');
      assert.equal(sink.find('http.server.request')[0]?.allAttributes['http.route'], '/v1/items/:id');
    } finally {
      await app.close();
    }
  });
});
