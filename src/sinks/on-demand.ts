import type { Sink } from '../core/sink.ts';
import { loadOnDemand } from '../core/on-demand.ts';
import type { CreateOtlpSinkOptions } from './otlp-types.ts';

/**
 * The OTLP sink, loaded the first time one is made (core/on-demand.ts): a
 * stdout-only program never loads its queue, its exit path or the provider
 * bridges (node:child_process and node:v8, for the exit child, load only when
 * records are still pending at exit). The load is synchronous, so the sink
 * that `createOtlpSink` returns is whole, its exit path included, from the
 * moment it exists.
 */

export type { CreateOtlpSinkOptions };

let otlp: typeof import('./otlp.ts') | undefined;

/**
 * Creates the OTLP sink. With a `loggerProvider` given, or one registered
 * globally, records go through it instead (one pipeline, no double export).
 * With `pipeline: 'sdk'` (`LOGBRIDGE_OTLP_PIPELINE=sdk`) they go through the
 * official SDK pipeline, loaded on first use. Never throws for bad
 * environment values (they are reported and replaced).
 */
export function createOtlpSink(options: CreateOtlpSinkOptions = {}): Sink {
  otlp ??= loadOnDemand<typeof import('./otlp.ts')>('sinks/otlp.ts');
  return otlp.createOtlpSink(options);
}
