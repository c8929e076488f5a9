import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, parseLines } from '../helpers/run-node.ts';

describe('examples/express-service.ts (child process)', () => {
  it('serves requests, logs them with one request ID each, and flushes on SIGTERM', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOGBRIDGE_FORMAT: 'json', LOGBRIDGE_LEVEL: 'debug' };
    delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
    const child = spawn(process.execPath, [join(ROOT, 'examples/express-service.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c; });
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c;
        const match = /listening on (http:\/\/\S+)/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      child.on('exit', () => reject(new Error(`exited early: ${stderr}`)));
    });
    const placed = await fetch(`${url}/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'test-1' }, body: '{"sku":"book","qty":2}',
    });
    assert.equal(placed.status, 201);
    assert.equal(placed.headers.get('x-request-id'), 'test-1');
    assert.equal((await fetch(`${url}/orders/999`)).status, 404);
    assert.equal((await fetch(`${url}/boom`)).status, 500);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
    assert.equal(code, 0, stderr);

    const lines = parseLines(stdout);
    const ofRequest = lines.filter((l) => l['request.id'] === 'test-1');
    assert.deepEqual(ofRequest.map((l) => l.message), ['insert', 'order placed', 'POST /orders 201']);
    assert.ok(ofRequest.every((l) => l['order.id'] === '1' || l.message === 'insert'));
    assert.equal(new Set(ofRequest.map((l) => l.trace_id)).size, 1, 'one trace per request');
    const expected = lines.find((l) => l.message === 'order lookup failed')!;
    assert.equal(expected.level, 'WARN');
    assert.equal(expected['exception.type'], 'OrderNotFoundError');
    const failed = lines.find((l) => l.message === 'request failed')!;
    assert.equal(failed.level, 'ERROR');
    assert.match(failed['exception.stacktrace'] as string, /Caused by: TypeError: inventory client returned undefined/);
    assert.equal(lines.at(-1)!.message, 'stopped');
  });
});
