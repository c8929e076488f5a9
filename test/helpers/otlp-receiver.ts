import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { encodeProtobufResponse } from './otlp-schema.ts';
import { decodeJsonLogs, decodeProtobufLogs, type ReceivedLogRecord } from './otlp-normalize.ts';

export type { ReceivedLogRecord } from './otlp-normalize.ts';
export { decodeJsonLogs, decodeProtobufLogs, fromAnyValue } from './otlp-normalize.ts';

/**
 * A real OTLP/HTTP logs receiver for tests: an HTTP server on 127.0.0.1
 * (random port) that accepts `POST /v1/logs` in protobuf
 * (`application/x-protobuf`) or JSON (`application/json`), gzip or not,
 * decodes it with its own schema (not the exporter's encoder) and keeps the
 * records in one normalized shape. Faults can be programmed per request.
 *
 * ```ts
 * const receiver = await startOtlpReceiver();
 * // child env: OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url
 * receiver.failNext({ status: 503, retryAfter: 1 });
 * await receiver.waitForRecords(3);
 * assert.equal(receiver.records[0].body, 'hello');
 * await receiver.close();
 * ```
 *
 * The API only grows: fields and methods documented here keep their meaning.
 */

/**
 * What the receiver does with one request. Without any fault it answers
 * 200 with an empty ExportLogsServiceResponse and keeps the records.
 */
export interface Fault {
  /** Answer this HTTP status; records are not kept unless it is 2xx. */
  readonly status?: number;
  /** `Retry-After` header value (seconds, or an HTTP date string). */
  readonly retryAfter?: number | string;
  /** Answer 200 with an OTLP partial success rejecting this many records (the records are still kept). */
  readonly rejected?: number;
  /** The partial-success or error message. */
  readonly message?: string;
  /** Never answer: the request stays open until the client gives up or the receiver closes. */
  readonly hang?: boolean;
  /** Destroy the connection without an answer (like a crash or a reset). */
  readonly reset?: boolean;
  /** Wait this long before answering. */
  readonly delayMs?: number;
}

/** One request as received, kept whatever the answer was. */
export interface ReceivedRequest {
  readonly path: string;
  readonly method: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly contentType: string;
  /** `gzip` or ''. */
  readonly contentEncoding: string;
  /** Body size on the wire (compressed when gzip). */
  readonly bytes: number;
  /** Records in the decoded body (0 when it did not decode). */
  readonly recordCount: number;
  /** The status answered (0 for hang and reset). */
  readonly status: number;
  /** Date.now() when the request's body was complete. */
  readonly at: number;
  /** Why the body did not decode, if it did not. */
  readonly error?: string;
}

/** Counters kept by the receiver. */
export interface ReceiverCounts {
  /** Requests seen, whatever the outcome. */
  readonly requests: number;
  /** Records kept (in `records`). */
  readonly accepted: number;
  /** Records in requests answered with a non-2xx status, a hang or a reset. */
  readonly refused: number;
  /** Records reported back as rejected by partial-success answers. */
  readonly rejected: number;
  /** Body bytes received on the wire. */
  readonly bytes: number;
}

/** A running receiver; see {@link startOtlpReceiver}. */
export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>` (`https://` with TLS): the value for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>/v1/logs`: the value for `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`. */
  readonly logsUrl: string;
  readonly port: number;
  /** Every record kept, in arrival order. */
  readonly records: ReceivedLogRecord[];
  /** Every request, in arrival order. */
  readonly requests: ReceivedRequest[];
  readonly counts: ReceiverCounts;
  /** Applies `fault` to the next `times` requests (default 1), after faults already queued. */
  failNext(fault: Fault, times?: number): void;
  /** Applies `fault` to every request with no queued fault; `undefined` restores normal answers. */
  setDefaultFault(fault: Fault | undefined): void;
  /** Resolves when at least `n` records were kept; rejects after `timeoutMs` (default 10 s) naming the count. */
  waitForRecords(n: number, timeoutMs?: number): Promise<ReceivedLogRecord[]>;
  /** Resolves when at least `n` requests arrived; rejects after `timeoutMs` (default 10 s). */
  waitForRequests(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** Stops listening and cuts open connections: clients get "connection refused" until {@link up}. */
  down(): Promise<void>;
  /** Listens again on the same port after {@link down}. */
  up(): Promise<void>;
  /** Forgets records, requests, counts and faults. */
  clear(): void;
  /** Stops the server and cuts every connection (hung ones too). Idempotent. */
  close(): Promise<void>;
}

/** Options for {@link startOtlpReceiver}. */
export interface ReceiverOptions {
  /** Port to listen on (default 0: a free one). */
  readonly port?: number;
  /**
   * Serve HTTPS with this PEM key and certificate; with `ca` and
   * `requestCert`, clients must present a certificate signed by `ca` (mTLS).
   */
  readonly tls?: { readonly key: string; readonly cert: string; readonly ca?: string; readonly requestCert?: boolean };
}

/** Starts a receiver on 127.0.0.1. */
export async function startOtlpReceiver(options: ReceiverOptions = {}): Promise<OtlpReceiver> {
  const receiver = new Receiver(options.tls);
  await receiver.listen(options.port ?? 0);
  return receiver;
}

type Waiter = { check: () => boolean; done: () => void };

class Receiver implements OtlpReceiver {
  records: ReceivedLogRecord[] = [];
  requests: ReceivedRequest[] = [];
  #counts = { requests: 0, accepted: 0, refused: 0, rejected: 0, bytes: 0 };
  #faults: Fault[] = [];
  #defaultFault: Fault | undefined;
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  #waiters = new Set<Waiter>();
  #port = 0;
  #closed = false;
  readonly #tls: ReceiverOptions['tls'];

  constructor(tls?: ReceiverOptions['tls']) {
    this.#tls = tls;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `${this.#tls === undefined ? 'http' : 'https'}://127.0.0.1:${this.#port}`;
  }

  get logsUrl(): string {
    return `${this.url}/v1/logs`;
  }

  get counts(): ReceiverCounts {
    return { ...this.#counts };
  }

  async listen(port: number): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.#handle(req, res);
    const tls = this.#tls;
    const server: Server = tls === undefined ? createServer(handler) : createTlsServer({
      key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: tls.requestCert === true, rejectUnauthorized: tls.requestCert === true,
    }, handler);
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    for (let attempt = 0; ; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
          });
        });
        break;
      } catch (error) {
        // the old socket of this port may linger a moment after down()
        if (attempt >= 20 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    this.#server = server;
    this.#port = (server.address() as { port: number }).port;
  }

  failNext(fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.#faults.push(fault);
  }

  setDefaultFault(fault: Fault | undefined): void {
    this.#defaultFault = fault;
  }

  waitForRecords(n: number, timeoutMs = 10_000): Promise<ReceivedLogRecord[]> {
    return this.#waitFor(() => this.records.length >= n, timeoutMs, () => `${this.records.length} of ${n} records`)
      .then(() => this.records);
  }

  waitForRequests(n: number, timeoutMs = 10_000): Promise<ReceivedRequest[]> {
    return this.#waitFor(() => this.requests.length >= n, timeoutMs, () => `${this.requests.length} of ${n} requests`)
      .then(() => this.requests);
  }

  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  async up(): Promise<void> {
    if (this.#server !== undefined || this.#closed) return;
    await this.listen(this.#port);
  }

  clear(): void {
    this.records = [];
    this.requests = [];
    this.#counts = { requests: 0, accepted: 0, refused: 0, rejected: 0, bytes: 0 };
    this.#faults = [];
    this.#defaultFault = undefined;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.down();
  }

  #waitFor(check: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check,
        done: () => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`OTLP receiver: timed out after ${timeoutMs} ms with ${describe()}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) if (waiter.check()) waiter.done();
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    req.on('end', () => this.#respond(req, res, Buffer.concat(chunks)));
  }

  #respond(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const fault = this.#faults.shift() ?? this.#defaultFault ?? {};
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const contentEncoding = String(req.headers['content-encoding'] ?? '').toLowerCase();
    const isJson = contentType === 'application/json';
    let records: ReceivedLogRecord[] = [];
    let error: string | undefined;
    let status = fault.hang === true || fault.reset === true ? 0 : (fault.status ?? 200);
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/logs') {
      status = status === 200 ? 404 : status;
      error = `unexpected ${req.method} ${req.url}`;
    } else if (!isJson && contentType !== 'application/x-protobuf') {
      status = status === 200 ? 415 : status;
      error = `unexpected content type ${contentType}`;
    } else {
      try {
        const body = contentEncoding === 'gzip' ? gunzipSync(raw) : raw;
        records = isJson ? decodeJsonLogs(body.toString('utf8')) : decodeProtobufLogs(body);
      } catch (e) {
        error = (e as Error).message;
        status = status === 200 ? 400 : status;
      }
    }
    const request: ReceivedRequest = {
      path: req.url ?? '', method: req.method ?? '', headers: { ...req.headers }, contentType, contentEncoding,
      bytes: raw.length, recordCount: records.length, status, at: Date.now(), ...(error === undefined ? {} : { error }),
    };
    this.requests.push(request);
    this.#counts.requests++;
    this.#counts.bytes += raw.length;
    const ok = status >= 200 && status < 300;
    if (ok) {
      this.records.push(...records);
      this.#counts.accepted += records.length;
      this.#counts.rejected += fault.rejected ?? 0;
    } else {
      this.#counts.refused += records.length;
    }
    const answer = (): void => this.#answer(res, fault, status, isJson, error);
    if (fault.delayMs !== undefined && fault.delayMs > 0) setTimeout(answer, fault.delayMs);
    else answer();
    this.#notify();
  }

  #answer(res: ServerResponse, fault: Fault, status: number, isJson: boolean, error: string | undefined): void {
    if (fault.reset === true) {
      res.socket?.destroy();
      return;
    }
    if (fault.hang === true) return; // cut by close()/down() or by the client's timeout
    const headers: Record<string, string> = { 'content-type': isJson ? 'application/json' : 'application/x-protobuf' };
    if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
    const rejected = status >= 200 && status < 300 ? (fault.rejected ?? 0) : 0;
    const message = fault.message ?? error ?? '';
    let body: Uint8Array | string;
    if (status < 200 || status >= 300) {
      // OTLP answers errors with a google.rpc.Status; its message is all clients read
      body = isJson ? JSON.stringify({ code: 3, message }) : Buffer.alloc(0);
    } else if (isJson) {
      body = rejected > 0 || fault.message !== undefined
        ? JSON.stringify({ partialSuccess: { rejectedLogRecords: String(rejected), errorMessage: message } })
        : '{}';
    } else {
      body = encodeProtobufResponse(rejected, fault.message ?? '');
    }
    res.writeHead(status, headers);
    res.end(body);
  }
}
