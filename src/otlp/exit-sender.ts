import { readFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import type { ExitPayload } from './send-sync.ts';
import { createOtlpExporter } from './exporter.ts';

/**
 * The child process of {@link sendSync}: reads an {@link ExitPayload} from
 * stdin, exports the records in batches before the deadline, retrying
 * transient failures while time remains, and reports one line per batch on
 * stdout: `ok <n>`, `fail <n> <reason>`, `rejected <n>` (partial success).
 * Not a module to import.
 */

const payload = deserialize(readFileSync(0)) as ExitPayload;
const remaining = (): number => payload.deadline - Date.now();
const config = { ...payload.config, timeoutMillis: Math.max(100, Math.min(payload.config.timeoutMillis, remaining())) };
const exporter = await createOtlpExporter(config, payload.limits, payload.env, payload.instanceId, {
  exact: payload.resource, extra: payload.extraResource,
});
const size = payload.config.maxExportBatchSize;
for (let i = 0; i < payload.records.length; i += size) {
  const batch = payload.records.slice(i, i + size);
  let reason = 'no time left';
  for (let attempt = 0; remaining() > 0; attempt++) {
    const result = await exporter.send(batch);
    if (result.kind === 'ok') {
      process.stdout.write(`ok ${batch.length}\n`);
      if (result.partial !== undefined && result.partial.rejected > 0) process.stdout.write(`rejected ${result.partial.rejected}\n`);
      reason = '';
      break;
    }
    reason = result.reason;
    if (result.kind === 'fail') break;
    const wait = Math.min(result.retryAfterMs ?? 100 * 2 ** attempt, remaining() - 100);
    if (wait <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  if (reason !== '') process.stdout.write(`fail ${batch.length} ${reason}\n`);
}
await exporter.shutdown();
