import { readFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import type { ExitPayload } from './send-sync.ts';
import type { SendResult } from './http-transport.ts';
import { readPartialSuccess } from './response.ts';

/**
 * The child process of {@link sendSync}: reads an {@link ExitPayload} from
 * stdin and exports it before the deadline, retrying transient failures
 * while time remains, and a collector that refuses connections only for
 * `refusedBudgetMs`. Pre-encoded bodies are only sent (no OpenTelemetry
 * module is loaded); plain records are encoded here first. Reports on
 * stdout, per batch `i` in order: `try <i>` before its first attempt, then
 * `ok <i> <n>` (and `rejected <i> <k>` for a partial success),
 * `fail <i> <n> <reason>` (certainly not delivered) or
 * `doubt <i> <n> <reason>` (an attempt may have arrived). Not a module to import.
 */

const payload = deserialize(readFileSync(0)) as ExitPayload;
const started = Date.now();
const remaining = (): number => payload.deadline - Date.now();
const config = { ...payload.config, timeoutMillis: Math.max(100, Math.min(payload.config.timeoutMillis, remaining())) };
// The transport's sockets and timers are unref'd; this process exists only to send, so it holds itself open.
const keepAlive = setInterval(() => {}, 1000);

type Attempt = () => Promise<SendResult & { rejected?: number }>;

async function deliver(index: number, count: number, attempt: Attempt): Promise<void> {
  let reason = 'no time left';
  let doubt = false;
  process.stdout.write(`try ${index}\n`);
  for (let n = 0; remaining() > 0; n++) {
    const result = await attempt();
    if (result.kind === 'ok') {
      process.stdout.write(`ok ${index} ${count}\n`);
      if ((result.rejected ?? 0) > 0) process.stdout.write(`rejected ${index} ${result.rejected}\n`);
      return;
    }
    reason = result.reason;
    if (result.kind === 'fail') break;
    if (result.ambiguous === true) doubt = true;
    // A collector that refuses connections is down: a short try, not the whole deadline (docs/errors-and-crashes.md).
    const refusedLeft = result.refused === true ? payload.refusedBudgetMs - (Date.now() - started) : Infinity;
    const wait = Math.min(result.retryAfterMs ?? 100 * 2 ** n, remaining() - 100, refusedLeft);
    if (wait <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  process.stdout.write(`${doubt ? 'doubt' : 'fail'} ${index} ${count} ${reason}\n`);
}

if (payload.bodies !== undefined) {
  const { createHttpTransport } = await import('./http-transport.ts');
  const send = createHttpTransport(config, payload.contentType ?? 'application/x-protobuf',
    payload.userAgent ?? 'logbridge (OTLP logs; exit)');
  const json = payload.contentType === 'application/json';
  for (const [index, { body, count }] of payload.bodies.entries()) {
    await deliver(index, count, async () => {
      const result = await send(body);
      return result.kind === 'ok' ? { ...result, rejected: readPartialSuccess(result.body, json)?.rejected ?? 0 } : result;
    });
  }
} else {
  const { createOtlpExporter } = await import('./exporter.ts');
  const exporter = await createOtlpExporter(config, payload.limits, payload.env, payload.instanceId, {
    exact: payload.resource, extra: payload.extraResource,
  });
  for (const [index, batch] of payload.batches.entries()) {
    await deliver(index, batch.length, async () => {
      const result = await exporter.send(batch);
      return result.kind === 'ok' ? { ...result, rejected: result.partial?.rejected ?? 0 } : result;
    });
  }
  await exporter.shutdown();
}
clearInterval(keepAlive);
