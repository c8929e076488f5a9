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
  /** Log records counted as they came since the last clear() (protobuf, `keepBodies: false` only). */
  readonly counted: number;
  /** Decodes what arrived since the last clear(). */
  records(): ReceivedLogRecord[];
  clear(): void;
  close(): Promise<void>;
}

/**
 * Log records in an OTLP/protobuf ExportLogsServiceRequest, counted by
 * walking its fields (resource_logs = 1 › scope_logs = 2 › log_records = 2)
 * without decoding them: cheap enough to run as requests arrive.
 */
export function countProtobufLogRecords(buf: Uint8Array): number {
  let n = 0;
  forEachLenField(buf, 0, buf.length, 1, (a, b) => forEachLenField(buf, a, b, 2, (c, d) => forEachLenField(buf, c, d, 2, () => n++)));
  return n;
}

/** Calls `fn(start, end)` for every length-delimited field number `field` in `buf[from, to)`; skips the others. */
function forEachLenField(buf: Uint8Array, from: number, to: number, field: number, fn: (start: number, end: number) => void): void {
  let i = from;
  const varint = (): number => {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
      const byte = buf[i++]!;
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) return value;
    }
  };
  while (i < to) {
    const tag = varint();
    const wire = tag % 8;
    if (wire === 0) varint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const length = varint();
      if (Math.floor(tag / 8) === field) fn(i, i + length);
      i += length;
    } else throw new Error(`unexpected protobuf wire type ${wire}`);
  }
}

/**
 * Starts the receiver. With `keepBodies: false` it keeps no body and only
 * counts the log records of protobuf requests as they come
 * ({@link InstantReceiver.counted}): for long sustained-rate windows.
 */
export async function startInstantReceiver(options: { keepBodies?: boolean } = {}): Promise<InstantReceiver> {
  const keep = options.keepBodies !== false;
  let bodies: Body[] = [];
  let bytes = 0;
  let counted = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const json = (req.headers['content-type'] ?? '').includes('json');
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : '');
      const raw = Buffer.concat(chunks);
      bytes += raw.length;
      const gzip = req.headers['content-encoding'] === 'gzip';
      if (keep) bodies.push({ raw, json, gzip });
      else if (!json) counted += countProtobufLogRecords(gzip ? gunzipSync(raw) : raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get bytes() {
      return bytes;
    },
    get counted() {
      return counted;
    },
    records: () => bodies.flatMap((b) => {
      const body = b.gzip ? gunzipSync(b.raw) : b.raw;
      return b.json ? decodeJsonLogs(body.toString('utf8')) : decodeProtobufLogs(body);
    }),
    clear: () => {
      bodies = [];
      bytes = 0;
      counted = 0;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
