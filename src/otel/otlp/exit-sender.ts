import { readFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import type { ExitPayload } from './send-sync.ts';
import type { SendResult } from './http-transport.ts';

/**
 * The child process of {@link sendSync}: reads an {@link ExitPayload} from
 * stdin and exports it before the deadline, retrying transient failures
 * while time remains. Pre-encoded bodies are only sent (no OpenTelemetry
 * module is loaded); plain records are encoded here first. Reports one line
 * per batch on stdout: `ok <n>`, `fail <n> <reason>`, `rejected <n>`
 * (partial success). Not a module to import.
 */

const payload = deserialize(readFileSync(0)) as ExitPayload;
const remaining = (): number => payload.deadline - Date.now();
const config = { ...payload.config, timeoutMillis: Math.max(100, Math.min(payload.config.timeoutMillis, remaining())) };

type Attempt = () => Promise<SendResult & { rejected?: number }>;

async function deliver(count: number, attempt: Attempt): Promise<void> {
  let reason = 'no time left';
  for (let n = 0; remaining() > 0; n++) {
    const result = await attempt();
    if (result.kind === 'ok') {
      process.stdout.write(`ok ${count}\n`);
      if ((result.rejected ?? 0) > 0) process.stdout.write(`rejected ${result.rejected}\n`);
      return;
    }
    reason = result.reason;
    if (result.kind === 'fail') break;
    const wait = Math.min(result.retryAfterMs ?? 100 * 2 ** n, remaining() - 100);
    if (wait <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  process.stdout.write(`fail ${count} ${reason}\n`);
}

if (payload.bodies !== undefined) {
  const { createHttpTransport } = await import('./http-transport.ts');
  const send = createHttpTransport(config, payload.contentType ?? 'application/x-protobuf', 'logbridge/0.1 (OTLP logs; exit)');
  const json = payload.contentType === 'application/json';
  for (const { body, count } of payload.bodies) {
    await deliver(count, async () => {
      const result = await send(body);
      return result.kind === 'ok' ? { ...result, rejected: rejectedIn(result.body, json) } : result;
    });
  }
} else {
  const { createOtlpExporter } = await import('./exporter.ts');
  const exporter = await createOtlpExporter(config, payload.limits, payload.env, payload.instanceId, {
    exact: payload.resource, extra: payload.extraResource,
  });
  const size = payload.config.maxExportBatchSize;
  for (let i = 0; i < payload.records.length; i += size) {
    const batch = payload.records.slice(i, i + size);
    await deliver(batch.length, async () => {
      const result = await exporter.send(batch);
      return result.kind === 'ok' ? { ...result, rejected: result.partial?.rejected ?? 0 } : result;
    });
  }
  await exporter.shutdown();
}

/**
 * `rejected_log_records` of an ExportLogsServiceResponse, read without the
 * OTLP packages: protobuf field 1 (partial_success) → its field 1 (varint);
 * or the JSON `partialSuccess.rejectedLogRecords`. 0 when absent or unreadable.
 */
function rejectedIn(body: Uint8Array, json: boolean): number {
  try {
    if (json) {
      const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as { partialSuccess?: { rejectedLogRecords?: unknown } };
      return Number(parsed.partialSuccess?.rejectedLogRecords ?? 0) || 0;
    }
    if (body[0] !== 0x0a) return 0;
    let at = 1;
    const varint = (): number => {
      let value = 0;
      for (let shift = 0; ; shift += 7) {
        const byte = body[at++];
        if (byte === undefined) throw new RangeError('truncated');
        value += (byte & 0x7f) * 2 ** shift;
        if ((byte & 0x80) === 0) return value;
      }
    };
    const end = varint() + at;
    while (at < end) {
      const tag = varint();
      const value = varint();
      if (tag === 0x08) return value;
      if ((tag & 7) === 2) at += value; // skip the error message
    }
  } catch {
    // unreadable answer: count as delivered, as the collector said 2xx
  }
  return 0;
}
