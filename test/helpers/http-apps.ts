import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { getLogger, getRequestId } from '../../src/index.ts';
import { setRequestAttributes } from '../../src/core/context.ts';
import { addRequestAttributes } from '../../src/core/request-tally.ts';
import type { RequestContextOptions } from '../../src/http/core.ts';
import { requestContext as nodeContext } from '../../src/http/node.ts';
import { captureErrors, requestContext as expressContext } from '../../src/http/express.ts';
import { requestContext as fastifyContext } from '../../src/http/fastify.ts';
import { requestContext as koaContext } from '../../src/http/koa.ts';
import { requestContext as honoContext } from '../../src/http/hono.ts';

/**
 * The same small app on every framework, for the adapter suite:
 * - `GET /work/:n?delay=ms` logs through awaits, a timer, an event emitter,
 *   a stream and an async generator (one record per phase, {@link PHASES}),
 *   sets the request attribute `app.user` and adds `app.n` to the canonical line;
 * - `POST /echo` parses a JSON body `{ n }` and logs it;
 * - `GET /fail` throws (the framework answers 500);
 * - `GET /id` answers `{ requestId }`.
 */

export const FRAMEWORKS = ['node', 'express', 'fastify', 'koa', 'hono'] as const;
export type Framework = typeof FRAMEWORKS[number];

/** The records `GET /work/:n` makes, in order. */
export const PHASES = ['start', 'await', 'timer', 'emitter', 'stream', 'generator', 'end'] as const;

/** The route template each framework reports for `GET /work/:n`. */
export const WORK_ROUTE = '/work/:n';

export interface RunningApp {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

const log = getLogger('app');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function* numbers(count: number): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) {
    await sleep(0);
    yield i;
  }
}

/** The framework-neutral work of `GET /work/:n`. */
export async function work(n: number, delay: number): Promise<{ requestId: string | undefined }> {
  // A request attribute (on every later record) and a canonical-line-only one (a no-op without the line).
  setRequestAttributes({ 'app.user': `u-${n}` });
  addRequestAttributes({ 'app.n': n });
  log.info('start', { n, phase: 'start' });
  await sleep(delay);
  log.info('await', { n, phase: 'await' });
  await new Promise<void>((resolve) => setTimeout(() => { log.info('timer', { n, phase: 'timer' }); resolve(); }, delay));
  const emitter = new EventEmitter();
  const emitted = new Promise<void>((resolve) => emitter.once('go', () => { log.info('emitter', { n, phase: 'emitter' }); resolve(); }));
  setImmediate(() => emitter.emit('go'));
  await emitted;
  let logged = false;
  await pipeline(Readable.from(['a', 'b']), new Transform({
    transform(chunk, _enc, done) {
      if (!logged) { logged = true; log.info('stream', { n, phase: 'stream' }); }
      done(null, chunk);
    },
  }), async function* sink(source) { for await (const _ of source) void _; });
  for await (const i of numbers(2)) if (i === 1) log.info('generator', { n, phase: 'generator' });
  log.info('end', { n, phase: 'end' });
  return { requestId: getRequestId() };
}

function param(url: URL): { n: number; delay: number } {
  return { n: Number(url.pathname.split('/')[2]), delay: Number(url.searchParams.get('delay') ?? 0) };
}

async function readJson(stream: AsyncIterable<Buffer | string>): Promise<{ n?: number }> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return JSON.parse(text) as { n?: number };
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closer(server: http.Server): () => Promise<void> {
  return () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts the app on `framework` with the adapter configured by `options`, on 127.0.0.1 port 0. */
export async function startApp(framework: Framework, options: RequestContextOptions = {}): Promise<RunningApp> {
  const started = await STARTERS[framework](options);
  return { ...started, url: `http://127.0.0.1:${started.port}` };
}

type Starter = (options: RequestContextOptions) => Promise<Omit<RunningApp, 'url'>>;

const STARTERS: Record<Framework, Starter> = {
  async node(options) {
    const server = http.createServer(nodeContext(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      try {
        if (url.pathname.startsWith('/work/')) {
          setRequestAttributes({ 'http.route': WORK_ROUTE });
          const { n, delay } = param(url);
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(await work(n, delay)));
        } else if (url.pathname === '/echo') {
          const body = await readJson(req);
          log.info('body received', { n: body.n });
          res.end('{}');
        } else if (url.pathname === '/fail') {
          throw new Error('boom');
        } else {
          log.info('id');
          res.end(JSON.stringify({ requestId: getRequestId() }));
        }
      } catch (error) {
        log.error('request failed', error);
        res.statusCode = 500;
        res.end();
      }
    }, options));
    return { port: await listen(server), close: closer(server) };
  },

  async express(options) {
    const app = express();
    app.set('env', 'test'); // Express's final handler answers 500 without printing the stack
    app.use(expressContext(options));
    app.use(express.json());
    app.get('/work/:n', async (req, res) => {
      res.json(await work(Number(req.params.n), Number(req.query.delay ?? 0)));
    });
    app.post('/echo', (req, res) => {
      log.info('body received', { n: (req.body as { n?: number }).n });
      res.json({});
    });
    app.get('/fail', () => { throw new Error('boom'); });
    app.get('/id', (_req, res) => { log.info('id'); res.json({ requestId: getRequestId() }); });
    app.use(captureErrors()); // Express's final handler tells no middleware what it caught
    const server = http.createServer(app);
    return { port: await listen(server), close: closer(server) };
  },

  async fastify(options) {
    const app = Fastify({ logger: false, forceCloseConnections: true });
    await app.register(fastifyContext, options);
    app.get<{ Params: { n: string }; Querystring: { delay?: string } }>('/work/:n',
      async (req) => work(Number(req.params.n), Number(req.query.delay ?? 0)));
    app.post<{ Body: { n?: number } }>('/echo', async (req) => {
      log.info('body received', { n: req.body.n });
      return {};
    });
    app.get('/fail', async () => { throw new Error('boom'); });
    app.get('/id', async () => { log.info('id'); return { requestId: getRequestId() }; });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
  },

  async koa(options) {
    const app = new Koa();
    app.silent = true;
    app.use(koaContext(options));
    app.use(async (ctx) => {
      const url = new URL(ctx.url, 'http://x');
      if (url.pathname.startsWith('/work/')) {
        (ctx as unknown as { _matchedRoute: string })._matchedRoute = WORK_ROUTE;
        const { n, delay } = param(url);
        ctx.body = await work(n, delay);
      } else if (url.pathname === '/echo') {
        const body = await readJson(ctx.req);
        log.info('body received', { n: body.n });
        ctx.body = {};
      } else if (url.pathname === '/fail') {
        throw new Error('boom');
      } else {
        log.info('id');
        ctx.body = { requestId: getRequestId() };
      }
    });
    const server = http.createServer(app.callback());
    return { port: await listen(server), close: closer(server) };
  },

  async hono(options) {
    const app = new Hono();
    app.onError((error, c) => {
      log.error('request failed', error);
      return c.text('failed', 500);
    });
    app.use(honoContext(options));
    app.get('/work/:n', async (c) => c.json(await work(Number(c.req.param('n')), Number(c.req.query('delay') ?? 0))));
    app.post('/echo', async (c) => {
      const body = await c.req.json<{ n?: number }>();
      log.info('body received', { n: body.n });
      return c.json({});
    });
    app.get('/fail', () => { throw new Error('boom'); });
    app.get('/id', (c) => { log.info('id'); return c.json({ requestId: getRequestId() }); });
    const server = await new Promise<http.Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as http.Server));
    });
    return { port: (server.address() as AddressInfo).port, close: closer(server) };
  },
};

/** A parsed raw HTTP/1.1 response. */
export interface RawResponse {
  readonly status: number;
  readonly headers: ReadonlyArray<[string, string]>;
  readonly text: string;
}

/**
 * Sends a hand-written HTTP/1.1 request (for header values that fetch
 * refuses to send) and reads the response until the server closes.
 * `headerLines` are written as given, as latin1 bytes unless Buffers.
 */
export function rawRequest(port: number, path: string, headerLines: ReadonlyArray<string | Buffer>,
  body?: { readonly text: string; readonly delayMs: number }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const [statusLine = '', ...lines] = head.split('\r\n');
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers: lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
        text: body,
      });
    });
    const method = body === undefined ? 'GET' : 'POST';
    const parts: Buffer[] = [Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n`, 'latin1')];
    for (const line of headerLines) parts.push(typeof line === 'string' ? Buffer.from(line, 'latin1') : line, Buffer.from('\r\n'));
    if (body !== undefined) {
      parts.push(Buffer.from(`Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body.text)}\r\n`));
    }
    parts.push(Buffer.from('\r\n'));
    if (body === undefined) {
      socket.end(Buffer.concat(parts));
      return;
    }
    // The body arrives later, in its own packet: the parser then resumes from
    // the socket's events, outside the request's async context.
    socket.write(Buffer.concat(parts));
    setTimeout(() => socket.end(body.text), body.delayMs);
  });
}
