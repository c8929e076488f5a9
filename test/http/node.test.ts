import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getLogger } from '../../src/index.ts';
import { requestContext } from '../../src/http/node.ts';
import { captureLogs } from '../../src/testing/index.ts';
import { describeAdapter } from './adapter-suite.ts';

describe('requestContext() (logbridge/node, node:http)', () => {
  describeAdapter('node');

  it('writes the canonical line when the server times a hanging request out', async () => {
    let server: http.Server | undefined;
    const sink = await captureLogs(async () => {
      server = http.createServer(requestContext(() => { getLogger('hang').info('never answers'); }, { canonicalLine: true }));
      server.setTimeout(30); // no 'timeout' listener: Node destroys the socket
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await fetch(`http://127.0.0.1:${port}/hang`, { headers: { 'x-request-id': 'hang-1' } }).then(() => assert.fail('answered'), () => undefined);
      await new Promise((resolve) => setImmediate(resolve));
    });
    server!.close();
    const lines = sink.find('http.server.request');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.requestId, 'hang-1');
    assert.equal(lines[0]!.allAttributes['error.type'], 'aborted');
    assert.equal(lines[0]!.allAttributes['logbridge.records.info'], 1);
  });
});
