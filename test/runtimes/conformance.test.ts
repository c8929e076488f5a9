import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, parseLines } from '../helpers/run-node.ts';
import { startOtlpReceiver } from '../helpers/otlp-receiver.ts';

/**
 * The cross-runtime conformance subset: the same small programs, unchanged,
 * on Node and — when `CONFORMANCE_BUN` / `CONFORMANCE_DENO` name their
 * binaries (`.ci/run` provides Bun 1.4 and Deno 2.9) — on Bun and Deno:
 * the logger and stdout sink, request context across awaits, the exit
 * flush (process.exit, natural end, uncaught exception, SIGTERM), OTLP http
 * export to a loopback receiver, and the node:http and Hono adapters. Each program runs in a child process of its runtime.
 */

interface Runtime { readonly name: string; readonly command: string | undefined; readonly args: readonly string[] }

const RUNTIMES: readonly Runtime[] = [
  { name: 'Node', command: process.execPath, args: [] },
  { name: 'Bun', command: process.env.CONFORMANCE_BUN, args: [] },
  // -A: the programs read the environment, listen on 127.0.0.1 and reach the receiver.
  { name: 'Deno', command: process.env.CONFORMANCE_DENO, args: ['run', '-A'] },
];

/** What the programs import: the sources, and the built bundle users install (dist/, from `npm run build`). */
const BUILDS = ['src', 'dist'] as const;
type Build = typeof BUILDS[number];
const entry = (build: Build, path: string) => JSON.stringify(join(ROOT, build, build === 'src' ? `${path}.ts` : `${path}.js`));

interface Outcome { code: number | null; stdout: string; stderr: string }

let counter = 0;

function runOn(runtime: Runtime, source: string, env: Record<string, string> = {}): Promise<Outcome> {
  const dir = join(ROOT, '.test-scripts');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `conformance-${process.pid}-${++counter}.ts`);
  writeFileSync(file, source);
  const child = spawn(runtime.command!, [...runtime.args, file], {
    cwd: ROOT,
    env: { ...process.env, LOGBRIDGE_FORMAT: 'json', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
}

for (const runtime of RUNTIMES) for (const build of BUILDS) {
  const IMPORT = `import { getLogger, withRequestContext, shutdown } from ${entry(build, 'index')};\n`;
  describe(`conformance on ${runtime.name}, ${build}/`, function () {
    this.timeout(60_000);
    before(function () {
      if (runtime.command === undefined || !existsSync(runtime.command)) this.skip();
    });

    it('writes JSON lines with printf messages, and request context survives awaits, timers and concurrency', async () => {
      const { code, stdout, stderr } = await runOn(runtime, `${IMPORT}
        const log = getLogger('conf');
        for (let i = 0; i < 2000; i++) log.info('line %d', i, { seq: i });
        await withRequestContext({ requestId: 'rq-1' }, async () => {
          await new Promise((r) => setTimeout(r, 1));
          log.warn('after timer');
          await new Promise((r) => setImmediate(r));
          log.warn('after immediate');
        });
        await Promise.all(['a', 'b', 'c'].map((id, i) => withRequestContext({ requestId: id }, async () => {
          await new Promise((r) => setTimeout(r, 6 - 2 * i));
          log.info('concurrent', { expected: id });
        })));
      `);
      assert.equal(code, 0, stderr);
      const lines = parseLines(stdout);
      const numbered = lines.filter((l) => typeof l.seq === 'number');
      assert.equal(numbered.length, 2000);
      numbered.forEach((l, i) => assert.equal(l.message, `line ${i}`));
      assert.deepEqual(lines.filter((l) => String(l.message).startsWith('after')).map((l) => l['request.id']), ['rq-1', 'rq-1']);
      const concurrent = lines.filter((l) => l.message === 'concurrent');
      assert.equal(concurrent.length, 3);
      for (const l of concurrent) assert.equal(l['request.id'], l.expected);
    });

    it('delivers every buffered line when the program calls process.exit(3)', async () => {
      const { code, stdout } = await runOn(runtime, `${IMPORT}
        const log = getLogger('conf');
        for (let i = 0; i < 20000; i++) log.info('line', { seq: i });
        process.exit(3);
      `);
      assert.equal(code, 3);
      const lines = parseLines(stdout);
      assert.equal(lines.length, 20000);
      assert.equal(lines.at(-1)!.seq, 19999);
    });

    it('writes a FATAL record for an uncaught exception, then the runtime ends with status 1', async () => {
      const { code, stdout } = await runOn(runtime, `${IMPORT}
        getLogger('conf').info('before');
        setTimeout(() => { throw new Error('kaboom'); }, 2);
      `, { LOGBRIDGE_CRASH_HANDLERS: 'true' });
      assert.equal(code, 1);
      const lines = parseLines(stdout);
      assert.deepEqual(lines.map((l) => l.level), ['INFO', 'FATAL']);
      assert.equal(lines[1]!['exception.message'], 'kaboom');
    });

    it('flushes buffered lines on SIGTERM and ends as the signal would (143)', async () => {
      const { code, stdout } = await runOn(runtime, `${IMPORT}
        for (let i = 0; i < 5000; i++) getLogger('conf').info('line', { seq: i });
        setTimeout(() => process.kill(process.pid, 'SIGTERM'), 2);
        setInterval(() => {}, 1000);
      `, { LOGBRIDGE_CRASH_HANDLERS: 'true' });
      assert.ok(code === 143 || code === null, String(code));
      assert.equal(parseLines(stdout).length, 5000);
    });

    for (const protocol of ['http/protobuf', 'http/json']) {
      it(`exports OTLP ${protocol} to a loopback receiver, flushed when the program simply ends`, async () => {
        const receiver = await startOtlpReceiver();
        try {
          const { code, stderr } = await runOn(runtime, `${IMPORT}
            const log = getLogger('conf.otlp');
            for (let i = 0; i < 5; i++) log.info('exported', { seq: i });
          `, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_LOGS_EXPORTER: 'otlp' });
          assert.equal(code, 0, stderr);
          assert.deepEqual(receiver.records.map((r) => r.body), Array(5).fill('exported'));
          assert.equal(receiver.records[0]!.scope.name, 'conf.otlp');
        } finally {
          await receiver.close();
        }
      });
    }

    it('binds the request context with the node:http adapter and echoes the request ID', async () => {
      const { code, stdout, stderr } = await runOn(runtime, `${IMPORT}
        import http from 'node:http';
        import { requestContext } from ${entry(build, 'http/node')};
        const handler = requestContext(async (req, res) => {
          await new Promise((r) => setTimeout(r, 2));
          getLogger('conf.http').info('in handler');
          res.end('ok');
        }, { accessLog: true });
        const server = http.createServer(handler);
        await new Promise((r) => server.listen(0, '127.0.0.1', r));
        const res = await fetch('http://127.0.0.1:' + server.address().port + '/x', { headers: { 'x-request-id': 'node-1' } });
        await res.text();
        getLogger('conf.result').info('echo', { echoed: res.headers.get('x-request-id') });
        server.close();
      `);
      assert.equal(code, 0, stderr);
      const lines = parseLines(stdout);
      assert.equal(lines.find((l) => l.message === 'in handler')?.['request.id'], 'node-1');
      assert.equal(lines.find((l) => l.message === 'echo')?.echoed, 'node-1');
    });

    it('binds the request context with the Hono adapter on the runtime\'s own server', async () => {
      const { code, stdout, stderr } = await runOn(runtime, `${IMPORT}
        import { Hono } from 'hono';
        import { requestContext } from ${entry(build, 'http/hono')};
        const app = new Hono();
        app.use(requestContext({ accessLog: true }));
        app.get('/items/:id', async (c) => {
          await new Promise((r) => setTimeout(r, 2));
          getLogger('conf.hono').info('in hono');
          return c.text('ok');
        });
        let base, stop;
        if (globalThis.Bun) {
          const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: app.fetch });
          base = 'http://127.0.0.1:' + server.port;
          stop = () => server.stop(true);
        } else if (globalThis.Deno) {
          const server = Deno.serve({ port: 0, hostname: '127.0.0.1', onListen() {} }, app.fetch);
          base = 'http://127.0.0.1:' + server.addr.port;
          stop = () => server.shutdown();
        } else {
          const { serve } = await import('@hono/node-server');
          const server = await new Promise((r) => { const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => r(s)); });
          base = 'http://127.0.0.1:' + server.address().port;
          stop = () => server.close();
        }
        const res = await fetch(base + '/items/7', { headers: { 'x-request-id': 'hono-1' } });
        await res.text();
        getLogger('conf.result').info('echo', { echoed: res.headers.get('x-request-id') });
        await stop();
      `);
      assert.equal(code, 0, stderr);
      const lines = parseLines(stdout);
      assert.equal(lines.find((l) => l.message === 'in hono')?.['request.id'], 'hono-1');
      assert.equal(lines.find((l) => l.message === 'echo')?.echoed, 'hono-1');
      const access = lines.find((l) => l.event_name === 'http.server.request');
      assert.equal(access?.['http.route'], '/items/:id');
      assert.equal(access?.['request.id'], 'hono-1');
    });
  });
}
