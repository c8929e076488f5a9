import { readFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import type { ExitPayload } from './send-sync.ts';
import type { SendResult } from './http-transport.ts';
import { readPartialSuccess } from './response.ts';

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
      return result.kind === 'ok' ? { ...result, rejected: readPartialSuccess(result.body, json)?.rejected ?? 0 } : result;
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
