import type { AnyValue } from '@opentelemetry/api';
import type { Sink, SinkStats } from '../../core/sink.ts';
import type { LogRecord } from '../../core/record.ts';
import type { Limits } from '../../values/limits.ts';
import type { Env } from '../../config/env.ts';
import type { OtlpConfig } from '../../config/otlp.ts';
import { describeError, diagnose, diagnoseAlways } from '../../core/diagnostics.ts';
import type { SdkPipeline } from './sdk-pipeline.ts';
import { processInstanceId } from '../instance-id.ts';

/**
 * The OTLP sink on the official pipeline (`LOGBRIDGE_OTLP_PIPELINE=sdk`):
 * light, so that choosing it loads the SDK and its exporter only when the
 * first record arrives. Records that come while it loads wait in a queue
 * bounded by `maxQueueSize` (beyond it they are dropped and counted as
 * `queue_full`); once loaded, every record goes straight to the provider.
 */

/** Creates the sink. Never throws. */
export function createSdkPipelineSink(
  config: OtlpConfig,
  limits: Limits,
  env: Env,
  extraResource: Readonly<Record<string, AnyValue>> | undefined,
): Sink {
  let pipeline: SdkPipeline | undefined;
  let loading: Promise<void> | undefined;
  let failed = false;
  let closed = false;
  let waiting: LogRecord[] = [];
  let received = 0;
  const dropped: Record<string, number> = {};
  const drop = (reason: string, n: number): void => {
    dropped[reason] = (dropped[reason] ?? 0) + n;
  };

  const load = (): Promise<void> => (loading ??= (async () => {
    try {
      const { createSdkPipeline } = await import('./sdk-pipeline.ts');
      pipeline = await createSdkPipeline(config, limits, env, processInstanceId(), extraResource);
    } catch (error) {
      failed = true;
      drop('export_failed', waiting.length);
      diagnoseAlways('OTLP_UNAVAILABLE', `the OpenTelemetry SDK pipeline could not start (${describeError(error)}); ` +
        `${waiting.length} records dropped, later ones too`);
      waiting = [];
      return;
    }
    const queued = waiting;
    waiting = [];
    for (const record of queued) send(record);
  })());

  const send = (record: LogRecord): void => {
    try {
      pipeline!.emit(record);
    } catch (error) {
      drop('provider_failed', 1);
      diagnose('OTLP_PROVIDER_FAILED', `the OpenTelemetry SDK pipeline threw (${describeError(error)}); the record was dropped`);
    }
  };

  return {
    emit(record) {
      received++;
      if (closed) return drop('shutdown', 1);
      if (failed) return drop('export_failed', 1);
      if (pipeline !== undefined) return send(record);
      if (waiting.length >= config.maxQueueSize) return drop('queue_full', 1);
      waiting.push(record);
      void load();
    },
    async flush() {
      if (loading === undefined) return;
      await loading;
      await pipeline?.forceFlush().catch(() => undefined);
    },
    async shutdown() {
      closed = true;
      if (loading === undefined) return;
      await loading;
      await pipeline?.shutdown().catch(() => undefined);
    },
    stats(): SinkStats & { exported: number } {
      const counts = pipeline?.counts() ?? { exported: 0, failed: 0 };
      const out = { ...dropped };
      if (counts.failed > 0) out.export_failed = (out.export_failed ?? 0) + counts.failed;
      return { name: 'otlp', received, exported: counts.exported, dropped: out };
    },
  };
}
