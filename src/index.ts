/**
 * logbridge: OpenTelemetry-native structured logging for Node.js.
 * The public API, by name. Internals live in ./internal and are not exported.
 */
export { Logger, type EventOptions, type ExpectedErrorOptions } from './logger.ts';
export { configure, getLogger, getLevel, setLevel, flush, shutdown, type ConfigureOptions } from './configure.ts';
export { withRequestContext, getRequestContext, getRequestId, setRequestAttributes, type RequestContext } from './context.ts';
export { generateRequestId, isValidRequestId, MAX_REQUEST_ID_LENGTH } from './request-id.ts';
export {
  parseTraceparent, formatTraceparent, getPropagationHeaders, injectPropagationHeaders, createPropagatingFetch,
  propagatingFetch, REQUEST_ID_HEADER,
  type RemoteParent, type PropagationOptions, type HeadersLike, type OutgoingMessageLike, type FetchLike,
} from './propagation.ts';
export { RequestIdSpanProcessor, type AttributeSettable } from './request-id-span-processor.ts';
export {
  createRequestCore, RequestCore, RequestScope,
  type RequestContextOptions, type AccessLogOptions, type IncomingRequest, type RequestOutcome,
} from './http/core.ts';
export { toExceptionInfo, isError, errorType, type ExceptionOptions } from './exception.ts';
export { installCrashHandlers, uninstallCrashHandlers, type CrashHandlerOptions } from './crash.ts';
export { SEVERITY, SEVERITY_TEXT, LEVEL_NAMES, type LevelName, type Threshold } from './levels.ts';
export { LevelRules, parseLevelRules, type ParsedLevelRules } from './level-rules.ts';
export { DEFAULT_LIMITS, type Limits } from './limits.ts';
export {
  createRedactor, redactOptionsFromEnv, DEFAULT_REDACT_KEYS, REDACT_PATTERN_NAMES, REDACTED,
  type Redactor, type RedactOptions, type RedactMode, type RedactPatternName,
} from './redact.ts';
export { createStdoutSink, type StdoutSinkOptions } from './sinks/stdout.ts';
export { createJsonEncoder, type JsonEncoderOptions } from './encoders/json.ts';
export { createPrettyEncoder, shouldUseColor, type PrettyEncoderOptions } from './encoders/pretty.ts';
export { createLogfmtEncoder, type LogfmtEncoderOptions } from './encoders/logfmt.ts';
export { createOtlpJsonEncoder, type OtlpJsonEncoderOptions } from './encoders/otlp-json.ts';
export { createOtlpSink, type CreateOtlpSinkOptions, type OtlpSink, type OtlpSinkStats } from './sinks/otlp.ts';
export {
  getEffectiveConfiguration, formatConfiguration, printConfiguration, type EffectiveConfiguration, type EffectiveVariable,
} from './effective-config.ts';
export { createFormatEncoder, resolveFormat, type FormatEncoderOptions } from './encoders/format.ts';
export type { FormatName, FormatChoice, Env, OtlpProtocol } from './env.ts';
export { LogbridgeError, type LogbridgeErrorCode } from './errors.ts';
export type { Sink, SinkStats, Processor, Encoder } from './sink.ts';
export type { LogRecord, Attributes, Bindings, ExceptionInfo, TraceContext } from './record.ts';

import { getLogger } from './configure.ts';

/** The default logger (`getLogger('default')`), for quick use: `log.info('started')`. */
export const log = getLogger();
