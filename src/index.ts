/**
 * logbridge: OpenTelemetry-native structured logging for Node.js.
 * The public API, by name. Internals live in ./internal and are not exported.
 */
export { Logger, type EventOptions, type ExpectedErrorOptions, type ChildOptions } from './core/logger.ts';
export type { MessageArguments, Thrown } from './core/log-arguments.ts';
export { configure, getLogger, getLevel, setLevel, flush, shutdown, getVolumeStats, type ConfigureOptions } from './configure.ts';
export type { VolumeOptions, VolumeStats, DebugBufferOptions } from './config/volume-controls.ts';
export type { DebugBufferStats } from './core/debug-buffer.ts';
export type { ThrottleStats } from './core/throttle.ts';
export { withRequestContext, getRequestContext, getRequestId, setRequestAttributes, type RequestContext } from './core/context.ts';
export { addRequestAttributes } from './core/request-tally.ts';
export { generateRequestId, isValidRequestId, MAX_REQUEST_ID_LENGTH } from './http/request-id.ts';
export {
  parseTraceparent, formatTraceparent, getPropagationHeaders, injectPropagationHeaders, createPropagatingFetch,
  propagatingFetch, REQUEST_ID_HEADER,
  type RemoteParent, type PropagationOptions, type HeadersLike, type OutgoingMessageLike, type FetchLike,
} from './http/propagation.ts';
export { RequestIdSpanProcessor, type AttributeSettable } from './otel/request-id-span-processor.ts';
export {
  createSpanEventBridge, SPAN_EVENTS_DROPPED, type SpanEventBridge, type SpanEventBridgeOptions, type SpanEventBridgeStats,
} from './otel/span-events.ts';
export {
  createRequestCore, RequestCore, RequestScope,
  type RequestContextOptions, type AccessLogOptions, type CanonicalLineOptions, type IncomingRequest, type RequestOutcome,
} from './http/core.ts';
export { toExceptionInfo, isError, errorType, type ExceptionOptions } from './values/exception.ts';
export { installCrashHandlers, uninstallCrashHandlers, type CrashHandlerOptions } from './lifecycle/crash.ts';
export { SEVERITY, SEVERITY_TEXT, LEVEL_NAMES, type LevelName, type Threshold } from './core/levels.ts';
export { LevelRules, parseLevelRules, type ParsedLevelRules } from './core/level-rules.ts';
export { DEFAULT_LIMITS, type Limits } from './values/limits.ts';
export {
  createRedactor, DEFAULT_REDACT_KEYS, REDACT_PATTERN_NAMES, REDACTED,
  type Redactor, type RedactOptions, type RedactMode, type RedactPatternName,
} from './redact/redactor.ts';
export { createStdoutSink, type StdoutSinkOptions } from './sinks/stdout.ts';
export { createJsonEncoder, type JsonEncoderOptions } from './encoders/json.ts';
export { createPrettyEncoder, shouldUseColor, type PrettyEncoderOptions } from './encoders/pretty.ts';
export { createLogfmtEncoder, type LogfmtEncoderOptions } from './encoders/logfmt.ts';
export { createOtlpJsonEncoder, type OtlpJsonEncoderOptions } from './encoders/otlp-json.ts';
export { createOtlpSink, type CreateOtlpSinkOptions, type OtlpSink, type OtlpSinkStats } from './sinks/otlp.ts';
export {
  getEffectiveConfiguration, formatConfiguration, printConfiguration, type EffectiveConfiguration, type EffectiveVariable,
} from './config/effective-config.ts';
export { createFormatEncoder, resolveFormat, type FormatEncoderOptions } from './encoders/format.ts';
export type { FormatName, FormatChoice, Env, OtlpProtocol } from './config/env.ts';
export { LogbridgeError, type LogbridgeErrorCode } from './core/errors.ts';
export type { Sink, SinkStats, Processor, Encoder } from './core/sink.ts';
export type { LogRecord, Attributes, Bindings, ExceptionInfo, TraceContext } from './core/record.ts';

import { getLogger } from './configure.ts';

/** The default logger (`getLogger('default')`), for quick use: `log.info('started')`. */
export const log = getLogger();
