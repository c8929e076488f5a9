import type { IncomingMessage } from 'node:http';
import type { OtlpConfig } from '../../config/otlp.ts';
import { parseRetryAfter } from './retry-policy.ts';

/**
 * OTLP/HTTP: one POST per batch, classified the way the OTLP specification
 * says: 2xx delivered (the body may carry a partial success); 429, 502, 503,
 * 504, timeouts and connection errors retryable (honouring Retry-After);
 * anything else permanent. Retrying is the caller's business, so the queue
 * decides (and counts) what happens to the batch. Sockets and timers are
 * unref'd: nothing here keeps the process alive.
 */

/** The outcome of one attempt. */
export type SendResult =
  | { readonly kind: 'ok'; readonly body: Uint8Array }
  | {
    readonly kind: 'retry';
    readonly reason: string;
    readonly retryAfterMs?: number | undefined;
    /** No connection could be made (refused, unreachable, unknown host): the collector certainly got nothing. */
    readonly refused?: boolean | undefined;
    /** The request may have reached the collector (no answer in time, connection cut): resending may duplicate. */
    readonly ambiguous?: boolean | undefined;
  }
  | { readonly kind: 'fail'; readonly reason: string };

/** Socket errors that mean no connection was made: the records certainly did not arrive. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** Sends one encoded request; see {@link createHttpTransport}. */
export type Transport = (body: Uint8Array) => Promise<SendResult>;

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const MAX_RESPONSE = 4 * 1024 * 1024;

/**
 * Sockets per collector: one per batch in flight (the OTLP sink's most,
 * `MAX_BURST_BATCHES` in src/sinks/otlp-queue.ts). Idle keep-alive sockets cost nothing.
 */
const MAX_SOCKETS = 16;

/** A transport for `config` (http or https, gzip, headers, TLS). Its promise never rejects. */
export function createHttpTransport(config: OtlpConfig, contentType: string, userAgent: string): Transport {
  const url = new URL(config.url);
  const secure = url.protocol === 'https:';
  // Not `import`: node:http's ESM facade reads every export, and one of them loads undici (about
  // 35 ms of CPU on the first OTLP batch, measured on Node 26); https only when it is used.
  const http = process.getBuiltinModule('node:http');
  // keep-alive agents unref idle sockets, so they never hold the process open
  const agent = secure
    ? new (process.getBuiltinModule('node:https').Agent)({
      keepAlive: true, maxSockets: MAX_SOCKETS, ca: config.tls.ca, key: config.tls.key, cert: config.tls.cert,
    })
    : new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  const request = secure ? process.getBuiltinModule('node:https').request : http.request;
  const gzip = config.compression === 'gzip' ? process.getBuiltinModule('node:zlib').gzip : undefined;
  // the headers of every request but its length, made once (a request copies them into its own)
  const fixed: Record<string, string | number> = { ...config.headers, 'content-type': contentType, 'user-agent': userAgent };
  const zipped: Record<string, string | number> = { ...fixed, 'content-encoding': 'gzip' };
  return async (payload) => {
    let body = payload;
    if (gzip !== undefined) body = await new Promise<Uint8Array>((resolve) => gzip(payload, (error, out) => resolve(error ? payload : out)));
    const headers = { ...(body === payload ? fixed : zipped), 'content-length': body.length };
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (result: SendResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = request(url, { method: 'POST', headers, agent }, (res) => readResponse(res, finish));
      // An export in flight must not hold off the natural end (whose deadline then bounds it): unref'd
      // on every use, as the agent refs a socket it hands out again.
      req.on('socket', (socket) => socket.unref());
      const timer = setTimeout(() => {
        finish({ kind: 'retry', reason: `no answer within ${config.timeoutMillis} ms`, ambiguous: true });
        req.destroy();
      }, config.timeoutMillis);
      timer.unref();
      req.on('error', (error: NodeJS.ErrnoException) => {
        // connection refused/reset, DNS, TLS: the collector may come back; TLS errors will not, but retrying them is harmless
        const refused = NOT_CONNECTED.has(error.code ?? '');
        finish({ kind: 'retry', reason: error.code ?? error.message, refused, ambiguous: !refused });
      });
      req.end(body);
    });
  };
}

function readResponse(res: IncomingMessage, finish: (result: SendResult) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_RESPONSE) chunks.push(chunk);
  });
  res.on('error', () => finish({ kind: 'retry', reason: 'response interrupted', ambiguous: true }));
  res.on('end', () => {
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) finish({ kind: 'ok', body: Buffer.concat(chunks) });
    else if (RETRYABLE_STATUS.has(status)) {
      finish({ kind: 'retry', reason: `HTTP ${status}`, retryAfterMs: parseRetryAfter(res.headers['retry-after']) });
    } else finish({ kind: 'fail', reason: `HTTP ${status}` });
  });
}
