import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromIncomingMessage, trackNodeResponse } from '../../src/http/node-bridge.ts';
import type { IncomingRequest, RequestScope } from '../../src/http/core.ts';

/** What trackNodeResponse tells the scope when the response closes. */
type Ending = Parameters<RequestScope['end']>[0];

/** A scope stand-in that records its end (the bridge's collaborator; the real one is tested in core.test.ts). */
function scopeStub(echo = true): { scope: RequestScope; ended: Promise<Ending> } {
  let resolve!: (e: Ending) => void;
  const ended = new Promise<Ending>((r) => (resolve = r));
  const scope = { requestId: 'req-7', responseHeader: echo ? 'x-request-id' : undefined, end: (e: Ending) => resolve(e) } as unknown as RequestScope;
  return { scope, ended };
}

/** A real server on 127.0.0.1 whose handler is `handler`; closed after `fn`. */
async function withServer(handler: http.RequestListener, fn: (url: string) => Promise<void>): Promise<void> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

describe('node-bridge', () => {
  describe('fromIncomingMessage()', () => {
    it('gives the method, the path without its query, the connection scheme and the headers', async () => {
      let seen: IncomingRequest | undefined;
      await withServer((req, res) => {
        seen = fromIncomingMessage(req);
        res.end();
      }, async (url) => {
        await fetch(`${url}/orders/7?token=x`, { method: 'POST', headers: { 'x-request-id': 'abc', 'x-forwarded-proto': 'https' } });
      });
      assert.equal(seen?.method, 'POST');
      assert.equal(seen?.path, '/orders/7');
      assert.equal(seen?.scheme, 'http', 'X-Forwarded-Proto is not trusted');
      assert.equal(seen?.header('x-request-id'), 'abc');
    });

    it('takes the URL it is given (Express passes originalUrl)', () => {
      const request = fromIncomingMessage({ method: 'GET', url: '/inner', headers: {} }, '/api/inner?x=1');
      assert.equal(request.path, '/api/inner');
    });
  });

  describe('trackNodeResponse()', () => {
    it('echoes the request ID and ends the scope with the status and route when the response closes', async () => {
      const { scope, ended } = scopeStub();
      let response: Response | undefined;
      await withServer((_req, res) => {
        trackNodeResponse(scope, res, () => '/orders/:id');
        res.statusCode = 201;
        res.end('ok');
      }, async (url) => {
        response = await fetch(url);
        await response.text();
      });
      assert.equal(response?.headers.get('x-request-id'), 'req-7');
      assert.deepEqual(await ended, { statusCode: 201, route: '/orders/:id', aborted: false, responseStarted: true });
    });

    for (const [how, write] of [
      ['setHeader', (res: http.ServerResponse) => { res.setHeader('X-Request-Id', 'own'); res.end(); }],
      ['writeHead with an object', (res: http.ServerResponse) => { res.writeHead(200, { 'X-Request-ID': 'own' }).end(); }],
      ['writeHead with a list', (res: http.ServerResponse) => { res.writeHead(200, 'OK', ['x-request-id', 'own']).end(); }],
    ] as const) {
      it(`keeps a request ID header the handler set itself (${how})`, async () => {
        const { scope } = scopeStub();
        let header: string | null = null;
        await withServer((_req, res) => {
          trackNodeResponse(scope, res);
          write(res);
        }, async (url) => {
          header = (await fetch(url)).headers.get('x-request-id');
        });
        assert.equal(header, 'own');
      });
    }

    it('echoes nothing when echo is off', async () => {
      const { scope } = scopeStub(false);
      let header: string | null = 'unset';
      await withServer((_req, res) => {
        trackNodeResponse(scope, res);
        res.end();
      }, async (url) => {
        header = (await fetch(url)).headers.get('x-request-id');
      });
      assert.equal(header, null);
    });

    it('reports an aborted request (the client left before the response ended) and survives a route getter that throws', async () => {
      const { scope, ended } = scopeStub();
      await withServer((_req, res) => {
        trackNodeResponse(scope, res, () => { throw new Error('router state gone'); });
        res.write('partial'); // never ended
      }, async (url) => {
        const controller = new AbortController();
        const response = await fetch(url, { signal: controller.signal });
        assert.equal(response.status, 200);
        controller.abort();
        const ending = await ended;
        assert.equal(ending.aborted, true);
        assert.equal(ending.route, undefined);
        assert.equal(ending.responseStarted, true);
      });
    });
  });
});
