import type { Logger as OtelLogger, LoggerProvider } from '@opentelemetry/api';
import type { Sink, SinkStats } from '../../core/sink.ts';
import type { LogRecord } from '../../core/record.ts';
import type { Limits } from '../../values/limits.ts';
import { toOtelLogRecord } from '../mapping.ts';
import { describeError, diagnose } from '../../core/diagnostics.ts';

/**
 * Coexistence: the OTLP sink when the application already has a
 * LoggerProvider (its own, or `@opentelemetry/sdk-node`'s). Records are
 * emitted through it, so they travel in the application's one pipeline,
 * with its resource, processors and exporter — never a second export.
 * Delivery (queue, retries) is then that provider's business.
 */

interface FlushableProvider extends LoggerProvider {
  forceFlush?(options?: { timeoutMillis?: number }): Promise<void>;
}

/** A sink emitting into `provider`. Its flush calls the provider's `forceFlush()` when it has one. */
export function createProviderSink(provider: LoggerProvider, limits: Limits): Sink {
  const loggers = new Map<string, OtelLogger>();
  let received = 0;
  let failed = 0;
  return {
    emit(record: LogRecord): void {
      received++;
      try {
        let logger = loggers.get(record.scope);
        if (logger === undefined) {
          logger = provider.getLogger(record.scope);
          if (loggers.size < 10_000) loggers.set(record.scope, logger);
        }
        logger.emit(toOtelLogRecord(record, limits));
      } catch (error) {
        failed++;
        diagnose('OTLP_PROVIDER_FAILED', `the application's LoggerProvider threw (${describeError(error)}); the record was dropped`);
      }
    },
    async flush(): Promise<void> {
      await (provider as FlushableProvider).forceFlush?.();
    },
    stats(): SinkStats {
      return { received, dropped: failed > 0 ? { provider_failed: failed } : {} };
    },
  };
}
