/**
 * The OTLP scenario's receiver: it answers every request at once (200 with
 * an empty ExportLogsServiceResponse, before looking at the body) and keeps
 * the raw bodies; decoding happens after the case, off the timed path. A
 * receiver that decoded before answering would make exporters with one
 * request in flight (the SDK's batch processor) wait, queue and drop, and
 * would make the cost per delivered record depend on the receiver.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeJsonLogs, decodeProtobufLogs, type ReceivedLogRecord } from '../../test/helpers/otlp-receiver.ts';

interface Body {
  readonly raw: Buffer;
  readonly json: boolean;
  readonly gzip: boolean;
}

export interface InstantReceiver {
  readonly url: string;
  /** Bytes received on the wire (request bodies) since the last clear(). */
  readonly bytes: number;
  /** Decodes what arrived since the last clear(). */
  records(): ReceivedLogRecord[];
  clear(): void;
  close(): Promise<void>;
}

export async function startInstantReceiver(): Promise<InstantReceiver> {
  let bodies: Body[] = [];
  let bytes = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const json = (req.headers['content-type'] ?? '').includes('json');
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : '');
      const raw = Buffer.concat(chunks);
      bytes += raw.length;
      bodies.push({ raw, json, gzip: req.headers['content-encoding'] === 'gzip' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get bytes() {
      return bytes;
    },
    records: () => bodies.flatMap((b) => {
      const body = b.gzip ? gunzipSync(b.raw) : b.raw;
      return b.json ? decodeJsonLogs(body.toString('utf8')) : decodeProtobufLogs(body);
    }),
    clear: () => {
      bodies = [];
      bytes = 0;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
