import { context, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { LogRecord } from '../core/record.ts';
import type { Processor } from '../core/sink.ts';
import { LevelRules, parseLevelRules } from '../core/level-rules.ts';
import { LEVEL_NAMES, levelIndex, OFF } from '../core/levels.ts';
import { DEFAULT_LIMITS, type Limits } from '../values/limits.ts';
import { describeError, diagnose, diagnoseAlways } from '../core/diagnostics.ts';
import { ENV, readEnv, type Env } from '../config/env.ts';
import { loadOnDemand } from '../core/on-demand.ts';
import { jsonValue } from '../values/json.ts';
import type { AnyValue } from '../values/any-value.ts';

/**
 * The span-event bridge: log records become span events on the span that
 * was active where they were logged, so they show in Jaeger's and Tempo's
 * trace view (docs/logs-and-traces.md). Two rules pick the records:
 *
 * - the OpenTelemetry "event to span event bridge" rule (Logs SDK,
 *   Development): a record with an event name is added as a span event of
 *   that name, with the record's time and all its attributes;
 * - logbridge's level rule: a record without an event name at or above the
 *   level its logger's rule gives (default `warn`) is added as a span event
 *   named `exception` when it carries an exception (the semantic-convention
 *   name, which backends highlight) and `log.<level>` otherwise (`log.warn`),
 *   with the message as `log.message` and the logger name as `log.logger`.
 *
 * Either way, a record is bridged only if its trace and span IDs are those
 * of the span active at the call and that span is recording; the record
 * itself goes on to the sinks unchanged.
 */

/** Options of the span-event bridge: `configure({ spanEvents: { ... } })`. */
export interface SpanEventBridgeOptions {
  /** Bridge records with an event name (the specification's rule; default `true`). */
  readonly events?: boolean;
  /**
   * Level rules for records without an event name, by logger name, as in
   * `LOGBRIDGE_LEVEL` (`warn,payments=info,http.server=off`); `false` or
   * `'off'` bridges event records only. Default `'warn'`.
   */
  readonly level?: string | false;
  /** Most span events the bridge adds to one span (default 32); later records are counted, not added. */
  readonly maxPerSpan?: number;
  /**
   * Set the span's status to ERROR for a record at `error` or above that
   * carries an exception and is not an expected error (default `false`:
   * a logged exception may have been handled; the span's status is the
   * instrumentation's call).
   */
  readonly errorStatus?: boolean;
  /** Attribute limits for the span event attributes (default {@link DEFAULT_LIMITS}). */
  readonly limits?: Limits;
}

/** The options as the bridge takes them: the environment path hands over rules it has already parsed. */
type BridgeSettings = Omit<SpanEventBridgeOptions, 'level'> & { readonly level?: string | LevelRules | false };

/** The span attribute counting records not added because the span had reached `maxPerSpan`. */
export const SPAN_EVENTS_DROPPED = 'logbridge.span_events.dropped';

/** What a {@link SpanEventBridge} did since it was made. */
export interface SpanEventBridgeStats {
  /** Span events added. */
  readonly added: number;
  /** Records not added because their span had reached `maxPerSpan`. */
  readonly dropped: number;
}

/** A {@link Processor} that also reports what it did. */
export interface SpanEventBridge extends Processor {
  /** Live counters (read them; they change as records are bridged). */
  readonly stats: SpanEventBridgeStats;
}


/** The OTel mapping, loaded with the first bridge (core/on-demand.ts): the default path has none. */
let mapping: typeof import('./mapping.ts') | undefined;

/**
 * Creates the bridge, a processor to run last (after redaction, so span
 * events never carry what the stdout line would not): `configure({
 * spanEvents: true })` places it there. It returns every record unchanged.
 * Without a tracing SDK, or outside a recording span, it does nothing.
 * Throws a TypeError for invalid options (at setup, never per record).
 */
export function createSpanEventBridge(options: BridgeSettings = {}): SpanEventBridge {
  mapping ??= loadOnDemand<typeof import('./mapping.ts')>('otel/mapping.ts');
  const rules = toRules(options.level);
  const events = options.events ?? true;
  const max = options.maxPerSpan ?? 32;
  if (!Number.isInteger(max) || max < 0) throw new TypeError('logbridge: spanEvents.maxPerSpan must be a whole number >= 0');
  const errorStatus = options.errorStatus ?? false;
  const limits = options.limits ?? DEFAULT_LIMITS;
  // Spans are keyed by object: the entry goes when the span does.
  const counts = new WeakMap<Span, number>();
  const thresholds = new Map<string, number>();
  const stats = { added: 0, dropped: 0 };

  const bridge = (record: LogRecord): LogRecord => {
    const sc = record.trace;
    if (sc === undefined) return record; // no span, no remote parent: the cheap common case without tracing
    const isEvent = events && record.eventName !== undefined && record.eventName !== '';
    if (!isEvent) {
      let threshold = thresholds.get(record.scope);
      if (threshold === undefined) thresholds.set(record.scope, threshold = rules.thresholdFor(record.scope));
      if (record.severityNumber < threshold) return record;
    }
    try {
      // Read on the caller's stack (processors run in the log call): the active span is the one logged in.
      const span = trace.getSpan(context.active());
      if (span === undefined || !span.isRecording()) return record;
      const active = span.spanContext();
      if (active.traceId !== sc.traceId || active.spanId !== sc.spanId) return record;
      if (errorStatus && record.severityNumber >= 17 && record.exception !== undefined &&
        record.exception.attributes?.['exception.expected'] !== true) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: `${record.exception.type}: ${record.exception.message}` });
      }
      const added = counts.get(span) ?? 0;
      counts.set(span, added + 1);
      if (added >= max) {
        stats.dropped++;
        span.setAttribute(SPAN_EVENTS_DROPPED, added + 1 - max);
        return record;
      }
      stats.added++;
      addSpanEvent(span, record, isEvent, limits);
    } catch (error) {
      diagnose('SPAN_EVENT_FAILED', `a record could not be added to its span (${describeError(error)})`);
    }
    return record;
  };
  return Object.assign(bridge, { stats });
}

function addSpanEvent(span: Span, record: LogRecord, isEvent: boolean, limits: Limits): void {
  // Set: a bridge exists only once createSpanEventBridge has loaded the mapping.
  const { hrTimeOf, toOtelAttributes } = mapping!;
  const attributes = toSpanAttributes(toOtelAttributes(record, limits), limits);
  const time = hrTimeOf(record.time);
  if (isEvent) {
    span.addEvent(record.eventName!, attributes, time);
    return;
  }
  attributes['log.message'] = record.body;
  attributes['log.logger'] = record.scope;
  attributes['log.severity'] = record.severityText;
  span.addEvent(record.exception !== undefined ? 'exception' : `log.${levelName(record.severityNumber)}`, attributes, time);
}

/**
 * Span event attributes take primitives and arrays of one primitive type
 * only (the SDK drops anything else): maps, mixed arrays and bytes become
 * their JSON text, so nothing is silently lost.
 */
function toSpanAttributes(attributes: Record<string, AnyValue>, limits: Limits): Record<string, AnyValue> {
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === null || value === undefined || isSimple(value)) continue;
    if (Array.isArray(value) && isHomogeneous(value)) continue;
    attributes[key] = jsonValue(value, limits) ?? '';
  }
  return attributes;
}

function isSimple(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isHomogeneous(values: readonly unknown[]): boolean {
  let type: string | undefined;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (!isSimple(v) || (type !== undefined && typeof v !== type)) return false;
    type = typeof v;
  }
  return true;
}

function levelName(severity: number): string {
  return LEVEL_NAMES[levelIndex(severity)]!;
}

function toRules(level: BridgeSettings['level']): LevelRules {
  if (level === false) return new LevelRules(OFF);
  if (level === undefined) return new LevelRules(13);
  if (level instanceof LevelRules) return level;
  const parsed = parseLevelRules(String(level), 13);
  if (parsed.problems.length > 0) throw new TypeError(`logbridge: spanEvents.level: ${parsed.problems.join('; ')}`);
  return parsed.rules;
}

/**
 * The bridge the environment asks for, or `undefined` for none:
 * `LOGBRIDGE_SPAN_EVENTS` (`events`, `on`) and its companions, or `fromFile`
 * (an `event_to_span_event_bridge/development` processor in
 * `OTEL_CONFIG_FILE`, which means `events` at least). A bad part of
 * `LOGBRIDGE_SPAN_EVENTS_LEVEL` is reported on stderr and skipped. Never throws.
 */
export function spanEventBridgeFromEnv(env: Env, fromFile: boolean, limits?: Limits): SpanEventBridge | undefined {
  const mode = readEnv(ENV.spanEvents, env);
  if (mode === 'off' && !fromFile) return undefined;
  let level: LevelRules | false = false;
  if (mode === 'on') {
    const parsed = parseLevelRules(readEnv(ENV.spanEventsLevel, env), 13);
    for (const problem of parsed.problems) {
      diagnoseAlways('INVALID_ENV', `${ENV.spanEventsLevel.name}: ${problem} ignored; span-event level rules in use: ${parsed.rules}`);
    }
    level = parsed.rules;
  }
  return createSpanEventBridge({
    level,
    maxPerSpan: readEnv(ENV.spanEventsLimit, env),
    errorStatus: readEnv(ENV.spanEventsErrorStatus, env),
    ...(limits === undefined ? {} : { limits }),
  });
}
