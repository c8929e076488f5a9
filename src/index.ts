/**
 * logbridge: OpenTelemetry-native structured logging for Node.js.
 *
 * The public API, by name: what applications call and the types they name.
 * Every name here is a semver promise, so the list is short on purpose and
 * pinned by test/architecture/entry-points.test.ts; everything else is internal (adapters and
 * tests import it by relative path). docs/architecture.md lists what each
 * entry point offers.
 */

// Loggers, levels and the lifecycle of the whole pipeline.
export { Logger, type EventOptions, type ExpectedErrorOptions, type ChildOptions } from './core/logger.ts';
export type { MessageArguments, Thrown } from './core/log-arguments.ts';
export { configure, getLogger, getLevel, setLevel, flush, shutdown, getVolumeStats, type ConfigureOptions } from './configure.ts';
export type { VolumeOptions, VolumeStats, DebugBufferOptions } from './config/volume-controls.ts';
export type { DebugBufferStats } from './core/debug-buffer.ts';
export type { ThrottleStats } from './core/throttle.ts';
export { SEVERITY, type LevelName, type Threshold } from './core/levels.ts';
export { LogbridgeError, type LogbridgeErrorCode } from './core/errors.ts';

// Request context, request IDs and propagation to the next service.
export { withRequestContext, getRequestContext, getRequestId, setRequestAttributes, type RequestContext } from './core/context.ts';
export { addRequestAttributes } from './core/request-tally.ts';
export { generateRequestId, isValidRequestId } from './http/request-id.ts';
export {
  parseTraceparent, getPropagationHeaders, injectPropagationHeaders, createPropagatingFetch, propagatingFetch,
  type RemoteParent, type PropagationOptions, type FetchLike, type OutgoingMessageLike,
} from './http/propagation.ts';
export { RequestIdSpanProcessor, type AttributeSettable } from './otel/request-id-span-processor.ts';
export type { SpanEventBridgeOptions } from './otel/span-events.ts';

// Errors and crashes.
export { toExceptionInfo, type ExceptionOptions } from './values/exception.ts';
export { installCrashHandlers, uninstallCrashHandlers, type CrashHandlerOptions } from './lifecycle/crash.ts';

// Sinks, encoders, processors: for `configure({ sinks, processors })` and sinks of one's own.
export { createStdoutSink, type StdoutSinkOptions } from './sinks/stdout.ts';
export { createOtlpSink, type CreateOtlpSinkOptions } from './sinks/on-demand.ts';
export { createJsonEncoder, type JsonEncoderOptions } from './encoders/json.ts';
export {
  createPrettyEncoder, createLogfmtEncoder, createOtlpJsonEncoder,
  type PrettyEncoderOptions, type LogfmtEncoderOptions, type OtlpJsonEncoderOptions,
} from './encoders/on-demand.ts';
export { createRedactor, DEFAULT_REDACT_KEYS, type Redactor, type RedactOptions, type RedactMode, type RedactPatternName } from './redact/redactor.ts';
export type { Sink, SinkStats, FlushOptions, Processor, Encoder } from './core/sink.ts';
export type { LogRecord, Attributes, Bindings, ExceptionInfo, TraceContext } from './core/record.ts';
export { DEFAULT_LIMITS, type Limits } from './values/limits.ts';

// Configuration, for operators.
export {
  getEffectiveConfiguration, printConfiguration, type EffectiveConfiguration, type EffectiveVariable,
} from './config/effective-config.ts';
export type { FormatChoice, FormatName, Env, OtlpProtocol } from './config/env.ts';

import { getLogger } from './configure.ts';

/** The default logger (`getLogger('default')`), for quick use: `log.info('started')`. */
export const log = getLogger();
