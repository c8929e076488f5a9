import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A real OTLP/HTTP traces receiver for tests: `POST /v1/traces` in the
 * OTLP/JSON encoding (what `@opentelemetry/exporter-trace-otlp-http` sends),
 * on 127.0.0.1, decoded here with JSON.parse and the OTLP/JSON rules
 * (hex IDs, string nanosecond times, AnyValue attributes), independently of
 * any exporter code. Protobuf bodies are refused with 415.
 */

/** One span as received. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly serviceName: string | undefined;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly events: ReadonlyArray<{ readonly name: string; readonly timeUnixNano: bigint; readonly attributes: Readonly<Record<string, unknown>> }>;
  readonly status: { readonly code: number; readonly message: string };
}

export interface OtlpTraceReceiver {
  /** `http://127.0.0.1:<port>` (the exporter's url is `${url}/v1/traces`). */
  readonly url: string;
  readonly spans: readonly ReceivedSpan[];
  /** Resolves when at least `n` spans arrived; rejects after `timeoutMs`. */
  waitForSpans(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface KeyValue { key: string; value: Record<string, unknown> }

/** An OTLP/JSON AnyValue as a plain value (int64 as number when it is safe). */
function fromAnyValue(v: Record<string, unknown> | undefined): unknown {
  if (v === undefined) return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return v.doubleValue;
  if ('arrayValue' in v) return ((v.arrayValue as { values?: Record<string, unknown>[] }).values ?? []).map(fromAnyValue);
  if ('kvlistValue' in v) return fromKeyValues((v.kvlistValue as { values?: KeyValue[] }).values);
  if ('bytesValue' in v) return Buffer.from(String(v.bytesValue), 'base64');
  return null;
}

function fromKeyValues(list: KeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) out[kv.key] = fromAnyValue(kv.value);
  return out;
}

function decode(body: unknown): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of (body as { resourceSpans?: unknown[] }).resourceSpans ?? []) {
    const resource = fromKeyValues((rs as { resource?: { attributes?: KeyValue[] } }).resource?.attributes);
    for (const ss of (rs as { scopeSpans?: unknown[] }).scopeSpans ?? []) {
      for (const s of (ss as { spans?: Record<string, unknown>[] }).spans ?? []) {
        const status = (s.status ?? {}) as { code?: number; message?: string };
        out.push({
          traceId: String(s.traceId), spanId: String(s.spanId), parentSpanId: String(s.parentSpanId ?? ''),
          name: String(s.name),
          serviceName: resource['service.name'] as string | undefined,
          attributes: fromKeyValues(s.attributes as KeyValue[]),
          events: ((s.events ?? []) as Array<{ name: string; timeUnixNano: string; attributes?: KeyValue[] }>).map((e) => ({
            name: e.name, timeUnixNano: BigInt(e.timeUnixNano), attributes: fromKeyValues(e.attributes),
          })),
          status: { code: status.code ?? 0, message: status.message ?? '' },
        });
      }
    }
  }
  return out;
}

/** Starts the receiver on 127.0.0.1, a random port. */
export async function startOtlpTraceReceiver(): Promise<OtlpTraceReceiver> {
  const spans: ReceivedSpan[] = [];
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !String(req.headers['content-type']).startsWith('application/json')) {
        res.writeHead(415).end();
        return;
      }
      try {
        let raw = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
        spans.push(...decode(JSON.parse(raw.toString('utf8'))));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        res.writeHead(400).end();
      }
      for (const wake of waiters) wake();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    waitForSpans(n, timeoutMs = 10_000) {
      if (spans.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`only ${spans.length} of ${n} spans arrived`)); }, timeoutMs);
        const check = (): void => {
          if (spans.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
