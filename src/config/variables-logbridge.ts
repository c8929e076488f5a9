import type { EnvVar, FormatChoice } from './variable.ts';
import { integer, boolean, oneOf, onOff, list, redactPatterns } from './variable.ts';
import type { RedactPatternName } from '../redact/patterns.ts';
import { parseLevelOrOff, parseThrottleRules, parseTraceBasedRules, type Parsed } from './volume-rules.ts';

/** A text variable kept as text when `parse` accepts it (the volume controls parse it again where used). */
function valid(parse: (raw: string) => Parsed<unknown>): (raw: string) => string | undefined {
  return (raw) => parse(raw).ok ? raw : undefined;
}
const levelOrOff = (what: string) => valid((raw) => parseLevelOrOff(raw, what));
const triggerLevel = (raw: string): string | undefined => {
  const parsed = parseLevelOrOff(raw, 'trigger');
  return parsed.ok && parsed.value !== undefined && raw.toLowerCase() !== 'on' ? raw : undefined;
};

/** logbridge's own variables (`LOGBRIDGE_*`), a part of the one table in env.ts. */
export const LOGBRIDGE_VARIABLES = {
  level: {
    name: 'LOGBRIDGE_LEVEL',
    // Parsed leniently by the configuration: valid parts apply, each bad part is reported.
    parse: (raw: string) => raw,
    defaultValue: 'info',
    description: 'Level rules: a default level and per-logger overrides, e.g. `info,db=debug,http.client=warn`.',
  },
  format: {
    name: 'LOGBRIDGE_FORMAT',
    parse: oneOf<FormatChoice>('auto', 'json', 'pretty', 'logfmt', 'otlp-json'),
    defaultValue: 'auto' as FormatChoice,
    description: 'Line format of the stdout sink: `json`, `pretty`, `logfmt`, `otlp-json`, or `auto` (the default: ' +
      '`pretty` when stdout is a TTY and `NODE_ENV` is not `production`, otherwise `json`).',
  },
  sync: {
    name: 'LOGBRIDGE_SYNC',
    parse: boolean,
    defaultValue: false,
    description: '`true`: write-through mode for CLIs, tests and local development: the stdout sink writes every ' +
      'line at once (one `writeSync` per line), in order with `console.log`. Default `false`: lines are buffered ' +
      'and written in large chunks.',
  },
  attributeCountLimit: {
    name: 'OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT',
    fallbacks: ['OTEL_ATTRIBUTE_COUNT_LIMIT'],
    parse: integer(0),
    defaultValue: 128,
    description: 'Most attributes per record; the rest are dropped and counted (`dropped_attributes_count`).',
  },
  attributeValueLengthLimit: {
    name: 'OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT',
    fallbacks: ['OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'],
    parse: integer(1),
    defaultValue: 16_384,
    description: 'Longest string attribute value, in characters; longer values are cut (OTel default: no limit).',
  },
  recordSizeLimit: {
    name: 'LOGBRIDGE_RECORD_SIZE_LIMIT',
    parse: integer(1024),
    defaultValue: 262_144,
    description: 'Longest encoded record, in characters; a bigger one is cut down and marked (`logbridge.truncated`).',
  },
  redact: {
    name: 'LOGBRIDGE_REDACT',
    parse: onOff,
    defaultValue: true,
    description: 'Redaction of secrets (keys, paths, value patterns): `on` (default) or `off`. See docs/security.md.',
  },
  redactKeys: {
    name: 'LOGBRIDGE_REDACT_KEYS',
    parse: list,
    defaultValue: [] as string[],
    description: 'Comma list of key names to redact, added to the default list (`authorization`, `password`, `token`, ...).',
  },
  redactPaths: {
    name: 'LOGBRIDGE_REDACT_PATHS',
    parse: list,
    defaultValue: [] as string[],
    description: 'Comma list of attribute paths to redact, `*` for any one key: `user.*.ssn,headers.x-session`.',
  },
  redactMode: {
    name: 'LOGBRIDGE_REDACT_MODE',
    parse: oneOf('mask', 'remove'),
    defaultValue: 'mask' as 'mask' | 'remove',
    description: '`mask` (default: the value becomes `[REDACTED]`) or `remove` (the key is left out).',
  },
  redactPatterns: {
    name: 'LOGBRIDGE_REDACT_PATTERNS',
    parse: redactPatterns,
    defaultValue: true as boolean | RedactPatternName[],
    description: 'Value patterns masked inside strings: `on` (default: all), `off`, or a comma list of ' +
      '`private-key`, `key-value`, `url-credentials`, `aws`, `github`, `gitlab`, `slack`, `stripe`, `google-api-key`, `npm`, `openai`, `tokens`, `bearer`, `basic-auth`, `jwt`, `card` (docs/security.md).',
  },
  crashHandlers: {
    name: 'LOGBRIDGE_CRASH_HANDLERS',
    parse: boolean,
    defaultValue: false,
    description: '`true` installs the crash and signal handlers at startup (uncaught exceptions and unhandled ' +
      'rejections give a FATAL record, then every sink is flushed), as `installCrashHandlers()` does; ' +
      'see docs/errors-and-crashes.md. Default `false`.',
  },
  signals: {
    name: 'LOGBRIDGE_SIGNALS',
    parse: onOff,
    defaultValue: true,
    description: 'Termination signals (SIGTERM, SIGINT, SIGHUP): `on` (default) flushes every sink within the exit ' +
      'deadline before the process ends by the signal (or, when the application listens itself, writes what is ' +
      'buffered and leaves the exit to it); `off` leaves signals alone. See docs/errors-and-crashes.md.',
  },
  exitTimeout: {
    name: 'LOGBRIDGE_EXIT_TIMEOUT_MS',
    parse: integer(0, 600_000),
    defaultValue: 5000,
    description: 'Longest wait, in ms, for the sinks to deliver when the process ends (crash, signal, `process.exit()`, ' +
      'natural end), shared by every sink; past it the process ends anyway and what is left is counted.',
  },
  spanEvents: {
    name: 'LOGBRIDGE_SPAN_EVENTS',
    parse: oneOf<'off' | 'events' | 'on'>('off', 'events', 'on'),
    defaultValue: 'off' as 'off' | 'events' | 'on',
    description: 'Log records as span events on the active span (docs/logs-and-traces.md): `off` (default), `events` (records ' +
      'with an event name, the OpenTelemetry event-to-span-event bridge rule), or `on` (those, and records at ' +
      '`LOGBRIDGE_SPAN_EVENTS_LEVEL` and above). An `event_to_span_event_bridge/development` processor in `OTEL_CONFIG_FILE` means at least `events`.',
  },
  spanEventsLevel: {
    name: 'LOGBRIDGE_SPAN_EVENTS_LEVEL',
    // Parsed leniently by the configuration, like LOGBRIDGE_LEVEL: valid parts apply, each bad part is reported.
    parse: (raw: string) => raw,
    defaultValue: 'warn',
    description: 'With `LOGBRIDGE_SPAN_EVENTS=on`: level rules for records without an event name, per logger, e.g. ' +
      '`warn,payments=info,http.server=off`.',
  },
  spanEventsLimit: {
    name: 'LOGBRIDGE_SPAN_EVENTS_LIMIT',
    parse: integer(0, 100_000),
    defaultValue: 32,
    description: 'Most span events the bridge adds to one span; later records are counted in the span attribute ' +
      '`logbridge.span_events.dropped` instead.',
  },
  spanEventsErrorStatus: {
    name: 'LOGBRIDGE_SPAN_EVENTS_ERROR_STATUS',
    parse: boolean,
    defaultValue: false,
    description: '`true`: a bridged record at `error` or above with an exception (not an expected one) sets the span status ' +
      'to ERROR. Default `false`: the span status is the instrumentation\'s call.',
  },
  otlpPipeline: {
    name: 'LOGBRIDGE_OTLP_PIPELINE',
    parse: oneOf<'logbridge' | 'sdk'>('logbridge', 'sdk'),
    defaultValue: 'logbridge' as 'logbridge' | 'sdk',
    description: 'Which pipeline exports OTLP: `logbridge` (the default: logbridge\'s own queue, retries, drop counts and ' +
      'encoder) or `sdk` (the official `@opentelemetry/sdk-logs` LoggerProvider + BatchLogRecordProcessor + the official ' +
      '`OTLPLogExporter` for the protocol, loaded only then; for teams that must use the upstream exporter). The same ' +
      'records arrive either way; with `sdk`, delivery, retries and exit are the SDK\'s (no drop counts, no delivery from exit handlers).',
  },
  debugBuffer: {
    name: 'LOGBRIDGE_DEBUG_BUFFER',
    parse: levelOrOff('debug buffer level'),
    defaultValue: 'off',
    description: 'Per-request debug buffer: `off` (default) or the lowest level kept (`debug`, `trace`). Records below the ' +
      'level rules are kept per request and written only if the request fails. See docs/volume-controls.md.',
  },
  debugBufferTrigger: {
    name: 'LOGBRIDGE_DEBUG_BUFFER_TRIGGER',
    parse: triggerLevel,
    defaultValue: 'error',
    description: 'The level of a record that replays its request\'s debug buffer (an HTTP 5xx does too).',
  },
  debugBufferMaxRecords: {
    name: 'LOGBRIDGE_DEBUG_BUFFER_MAX_RECORDS',
    parse: integer(1, 100_000),
    defaultValue: 200,
    description: 'Most records buffered per request; past it the oldest is evicted.',
  },
  debugBufferMaxBytes: {
    name: 'LOGBRIDGE_DEBUG_BUFFER_MAX_BYTES',
    parse: integer(1024),
    defaultValue: 65_536,
    description: 'Most bytes (estimated) buffered per request; past it the oldest records are evicted.',
  },
  debugBufferMaxTotalBytes: {
    name: 'LOGBRIDGE_DEBUG_BUFFER_MAX_TOTAL_BYTES',
    parse: integer(1024),
    defaultValue: 16_777_216,
    description: 'Most bytes (estimated) buffered by all requests together; past it a request can only evict its own oldest.',
  },
  throttle: {
    name: 'LOGBRIDGE_THROTTLE',
    parse: valid(parseThrottleRules),
    defaultValue: 'off',
    description: 'Throttling per logger pattern: `<records>/<window>` per key (logger + level + message, or event name), ' +
      'e.g. `10/1s,db=100/1m,audit=off`; a summary record counts what was held back. FATAL is never held back. Default `off`.',
  },
  traceBased: {
    name: 'LOGBRIDGE_TRACE_BASED',
    parse: valid(parseTraceBasedRules),
    defaultValue: 'off',
    description: 'Trace-based filtering: drop records of unsampled traces — `on` (every level), a level (below it), or ' +
      '`off` (default), per logger pattern: `warn,payments=off`.',
  },
  levelFile: {
    name: 'LOGBRIDGE_LEVEL_FILE',
    parse: (raw: string) => raw,
    defaultValue: '',
    description: 'A file of live level rules (and volume controls), watched and applied while the process runs; a bad ' +
      'file keeps the rules in force. See docs/volume-controls.md.',
  },
  levelFileIntervalMs: {
    name: 'LOGBRIDGE_LEVEL_FILE_INTERVAL_MS',
    parse: integer(20, 3_600_000),
    defaultValue: 1000,
    description: 'How often, in ms, the level file and `OTEL_CONFIG_FILE` are checked for changes.',
  },
  reloadOnSighup: {
    name: 'LOGBRIDGE_RELOAD_ON_SIGHUP',
    parse: boolean,
    defaultValue: false,
    description: '`true` re-reads the level file and `OTEL_CONFIG_FILE` on SIGHUP instead of letting SIGHUP end the process. ' +
      'Default `false`.',
  },
  sourceLocation: {
    name: 'LOGBRIDGE_SOURCE_LOCATION',
    parse: levelOrOff('source location level'),
    defaultValue: 'off',
    description: 'Source location (`code.file.path`, `code.line.number`, ...): `off` (default), `on` (every record) or a ' +
      'level (from that level up). Costs a stack capture per record.',
  },
} satisfies Record<string, EnvVar<unknown>>;
