import type { Runtime } from '../core/runtime.ts';
import type { LogRecord } from '../core/record.ts';
import type { Processor } from '../core/sink.ts';
import { LevelRules, parseLevelRules } from '../core/level-rules.ts';
import { OFF, SEVERITY, type LevelName } from '../core/levels.ts';
import { Throttle, type ThrottleRules, type ThrottleStats } from '../core/throttle.ts';
import { TraceFilter, type TraceFilterRules } from '../core/trace-filter.ts';
import { withSourceLocation } from '../core/source-location.ts';
import {
  bufferOrEmit, currentRequestBuffer, debugBufferStats, setDebugBuffer, type DebugBufferSettings, type DebugBufferStats,
} from '../core/debug-buffer.ts';
import { LogbridgeError } from '../core/errors.ts';
import { ENV, readEnv, type Env } from './env.ts';
import {
  formatLevelOrOff, formatThrottleRules, formatTraceBasedRules, parseLevelOrOff, parseThrottleRules, parseTraceBasedRules,
  type Parsed,
} from './volume-rules.ts';
import { now } from '../core/clock.ts';
import { tallyRecord } from '../core/request-tally.ts';

/**
 * The volume controls as one configuration (docs/volume-controls.md): the
 * debug buffer, throttling, trace-based filtering and source location, from
 * the environment and `configure()`, with the live overlay (level file,
 * OTEL_CONFIG_FILE's logger_configurator, SIGHUP) laid over them.
 */

/** Options of the debug buffer in `configure({ debugBuffer })`. */
export interface DebugBufferOptions {
  /** The lowest level kept (default `debug`). */
  readonly level?: LevelName;
  /** The level that replays a request's buffer (default `error`). */
  readonly trigger?: LevelName;
  /** Most records kept per request (default `LOGBRIDGE_DEBUG_BUFFER_MAX_RECORDS`, 200). */
  readonly maxRecords?: number;
  /** Most bytes kept per request (default `LOGBRIDGE_DEBUG_BUFFER_MAX_BYTES`, 65,536). */
  readonly maxBytes?: number;
  /** Most bytes kept by all requests' buffers together (default `LOGBRIDGE_DEBUG_BUFFER_MAX_TOTAL_BYTES`, 16 MiB). */
  readonly maxTotalBytes?: number;
}

/** The volume-control options of `configure()`; each left out comes from its `LOGBRIDGE_*` variable. */
export interface VolumeOptions {
  /** Per-request debug buffer: a level, options, or `false` (`LOGBRIDGE_DEBUG_BUFFER*`). */
  readonly debugBuffer?: LevelName | DebugBufferOptions | false;
  /** Throttle rules (`10/1s,db=100/1m`) or `false` (`LOGBRIDGE_THROTTLE`). */
  readonly throttle?: string | false;
  /** Trace-based filtering: `true` (every level), a rule text (`warn,payments=off`) or `false` (`LOGBRIDGE_TRACE_BASED`). */
  readonly traceBased?: boolean | string;
  /** Source location: `true` (every record), a level (from it up) or `false` (`LOGBRIDGE_SOURCE_LOCATION`). */
  readonly sourceLocation?: boolean | LevelName;
}

/** The volume settings in force. */
export interface VolumeSettings {
  readonly debugBuffer: DebugBufferSettings | undefined;
  readonly throttle: ThrottleRules;
  readonly traceBased: TraceFilterRules;
  readonly sourceLocation: number | undefined;
}

/** Texts laid over the configuration by the live sources (each already valid). */
export interface LiveOverlay {
  readonly level?: string;
  readonly throttle?: string;
  readonly traceBased?: string;
  readonly debugBuffer?: string;
  readonly sourceLocation?: string;
}

/** What the volume controls did (docs/volume-controls.md); none of it is a loss. */
export interface VolumeStats {
  /** The per-request debug buffer's counters. */
  readonly debugBuffer: DebugBufferStats;
  /** The throttle's counters. */
  readonly throttle: ThrottleStats;
  /** The trace-based filter's counters. */
  readonly traceBased: {
    /** Records left out because their trace was not sampled and their level was below the threshold. */
    readonly dropped: number;
  };
}

/** The settings asked for by `options` over `env`. Throws a LogbridgeError for an invalid option. */
export function volumeSettingsFrom(env: Env, options: VolumeOptions): VolumeSettings {
  const throttle = options.throttle === false ? 'off' : options.throttle ?? readEnv(ENV.throttle, env);
  const trace = options.traceBased === true ? 'on' : options.traceBased === false ? 'off' : options.traceBased ?? readEnv(ENV.traceBased, env);
  const location = options.sourceLocation === true ? 'on' : options.sourceLocation === false ? 'off'
    : options.sourceLocation ?? readEnv(ENV.sourceLocation, env);
  return {
    debugBuffer: debugBufferFrom(env, options.debugBuffer),
    throttle: must(parseThrottleRules(String(throttle)), 'throttle'),
    traceBased: must(parseTraceBasedRules(String(trace)), 'traceBased'),
    sourceLocation: must(parseLevelOrOff(String(location), 'source location level'), 'sourceLocation'),
  };
}

function debugBufferFrom(env: Env, option: VolumeOptions['debugBuffer']): DebugBufferSettings | undefined {
  if (option === false) return undefined;
  const o: DebugBufferOptions = typeof option === 'object' && option !== null ? option
    : typeof option === 'string' ? { level: option } : {};
  const level = must(parseLevelOrOff(String(o.level ?? (option === undefined ? readEnv(ENV.debugBuffer, env) : 'debug')),
    'debug buffer level'), 'debugBuffer.level');
  if (level === undefined) return undefined;
  const trigger = must(parseLevelOrOff(String(o.trigger ?? readEnv(ENV.debugBufferTrigger, env)), 'trigger'), 'debugBuffer.trigger');
  const settings = {
    level,
    trigger: trigger ?? SEVERITY.error,
    maxRecords: o.maxRecords ?? readEnv(ENV.debugBufferMaxRecords, env),
    maxBytes: o.maxBytes ?? readEnv(ENV.debugBufferMaxBytes, env),
    maxTotalBytes: o.maxTotalBytes ?? readEnv(ENV.debugBufferMaxTotalBytes, env),
  };
  for (const key of ['maxRecords', 'maxBytes', 'maxTotalBytes'] as const) {
    if (!Number.isInteger(settings[key]) || settings[key] < 1) {
      throw new LogbridgeError('LOGBRIDGE_ERR_INVALID_CONFIG', `debugBuffer.${key} must be a whole number >= 1`);
    }
  }
  return Object.freeze(settings);
}

function must<T>(parsed: Parsed<T>, option: string): T {
  if (!parsed.ok) throw new LogbridgeError('LOGBRIDGE_ERR_INVALID_CONFIG', `${option}: ${parsed.problem}`);
  return parsed.value;
}

/**
 * The controls of the runtime: the throttle and trace filter (pipeline
 * processors), the debug buffer and source location (the runtime's intake),
 * the base level rules and settings, and the live overlay over them.
 */
export class VolumeControls {
  readonly #runtime: Runtime;
  readonly throttle: Throttle;
  readonly traceFilter: TraceFilter;
  #baseRules: LevelRules;
  #base: VolumeSettings;
  #overlay: LiveOverlay = {};
  #live = false;

  constructor(runtime: Runtime) {
    this.#runtime = runtime;
    this.#baseRules = runtime.levelRules;
    this.#base = volumeSettingsFrom({}, {});
    const emit = (record: LogRecord): void => runtime.pipeline.emit(record);
    this.throttle = new Throttle(this.#base.throttle, emit);
    this.traceFilter = new TraceFilter(this.#base.traceBased);
  }

  /** Sets the base rules and settings (from `configure()`), the overlay staying on top; `live` keeps the processors in. */
  configure(rules: LevelRules | undefined, settings: VolumeSettings, live: boolean): void {
    if (rules !== undefined) this.#baseRules = rules;
    this.#base = settings;
    this.#live = live;
    this.#apply(this.#effective(this.#overlay));
  }

  /** Sets the base level rules (`setLevel()`); the live overlay stays on top. */
  setBaseRules(rules: LevelRules): void {
    this.#baseRules = rules;
    this.#apply(this.#effective(this.#overlay));
  }

  /**
   * Lays `overlay` over the base (a live source was read); when `announce`
   * and anything changed, logs one `logbridge.config.changed` event record.
   */
  setOverlay(overlay: LiveOverlay, source: string, announce: boolean): void {
    const before = this.describe();
    this.#overlay = overlay;
    this.#apply(this.#effective(overlay));
    const after = this.describe();
    if (announce && after !== before) this.#announce(source, before, after);
  }

  /** The pipeline processors the controls need: none when throttling and trace filtering are off and nothing is live. */
  processors(): Processor[] {
    const { throttle, traceBased } = this.#effective(this.#overlay).settings;
    const out: Processor[] = [];
    if (this.#live || !isOff(traceBased, 0)) out.push(this.traceFilter.processor);
    if (this.#live || !isOff(throttle, undefined)) out.push(this.throttle.processor);
    return out;
  }

  /** Everything in force, in text form (`level=info; throttle=off; ...`), for the change event and the docs. */
  describe(): string {
    const { rules, settings } = this.#effective(this.#overlay);
    const b = settings.debugBuffer;
    return `level=${rules}; throttle=${formatThrottleRules(settings.throttle)}; ` +
      `trace-based=${formatTraceBasedRules(settings.traceBased)}; ` +
      `debug-buffer=${b === undefined ? 'off' : `${formatLevelOrOff(b.level)}(trigger ${formatLevelOrOff(b.trigger)})`}; ` +
      `source-location=${formatLevelOrOff(settings.sourceLocation)}`;
  }

  /** The counters of every control. */
  stats(): VolumeStats {
    return { debugBuffer: debugBufferStats(), throttle: this.throttle.stats(), traceBased: { dropped: this.traceFilter.dropped } };
  }

  #effective(overlay: LiveOverlay): { rules: LevelRules; settings: VolumeSettings } {
    const base = this.#base;
    const rules = overlay.level === undefined ? this.#baseRules : parseLevelRules(`${this.#baseRules},${overlay.level}`).rules;
    const merge = <T>(text: string | undefined, current: T, format: (v: T) => string, parse: (t: string) => Parsed<T>): T => {
      if (text === undefined) return current;
      const parsed = parse(`${format(current)},${text}`);
      return parsed.ok ? parsed.value : current;
    };
    const buffer = overlay.debugBuffer === undefined ? base.debugBuffer : overlayBuffer(base.debugBuffer, overlay.debugBuffer);
    const location = overlay.sourceLocation === undefined ? base.sourceLocation
      : valueOr(parseLevelOrOff(overlay.sourceLocation, 'source location level'), base.sourceLocation);
    return {
      rules,
      settings: {
        debugBuffer: buffer,
        throttle: merge(overlay.throttle, base.throttle, formatThrottleRules, parseThrottleRules),
        traceBased: merge(overlay.traceBased, base.traceBased, formatTraceBasedRules, parseTraceBasedRules),
        sourceLocation: location,
      },
    };
  }

  #apply({ rules, settings }: { rules: LevelRules; settings: VolumeSettings }): void {
    const runtime = this.#runtime;
    const pipeline = runtime.pipeline;
    // Counted toward the request's canonical line when written (replayed included), not when buffered.
    setDebugBuffer(settings.debugBuffer, (record) => {
      tallyRecord(record);
      pipeline.emit(record);
    });
    runtime.setCaptureFloor(settings.debugBuffer?.level ?? OFF);
    runtime.setLevelRules(rules);
    this.throttle.setRules(settings.throttle);
    this.traceFilter.setRules(settings.traceBased);
    runtime.intake = createIntake(runtime, settings.debugBuffer !== undefined, settings.sourceLocation);
  }

  #announce(source: string, before: string, after: string): void {
    this.#runtime.ensureConfigured(); // a change before the first record still reaches the sinks
    this.#runtime.pipeline.emit({
      time: now(), severityNumber: SEVERITY.info, severityText: 'INFO', scope: 'logbridge',
      body: `logging configuration changed (${source})`, eventName: 'logbridge.config.changed',
      bindings: undefined, contextAttributes: undefined,
      attributes: Object.freeze({ 'logbridge.config.source': source, 'logbridge.config.old': before, 'logbridge.config.new': after }),
      exception: undefined, requestId: undefined, trace: undefined,
    });
  }
}

function overlayBuffer(base: DebugBufferSettings | undefined, text: string): DebugBufferSettings | undefined {
  const level = valueOr(parseLevelOrOff(text, 'debug buffer level'), base?.level);
  if (level === undefined) return undefined;
  return Object.freeze({ ...(base ?? volumeSettingsFrom({}, { debugBuffer: 'debug' }).debugBuffer!), level });
}

function valueOr<T>(parsed: Parsed<T>, fallback: T): T {
  return parsed.ok ? parsed.value : fallback;
}

function isOff<T>(rules: { readonly defaultValue: T; readonly overrides: ReadonlyArray<readonly [string, T]> }, off: T): boolean {
  return rules.defaultValue === off && rules.overrides.every(([, v]) => v === off);
}

/**
 * The runtime's intake for these settings, or `undefined` (records go
 * straight to the pipeline) when neither the debug buffer nor source
 * location is on: the hot path is then what it is without them.
 */
function createIntake(runtime: Runtime, buffer: boolean, sourceLevel: number | undefined): ((record: LogRecord) => void) | undefined {
  const pipeline = runtime.pipeline;
  if (!buffer) {
    if (sourceLevel === undefined) return undefined;
    return (record) => {
      tallyRecord(record);
      pipeline.emit(record.severityNumber >= sourceLevel ? withSourceLocation(record) : record);
    };
  }
  return (record) => {
    const rule = runtime.ruleThresholdFor(record.scope);
    // Made only because the buffer lowered the threshold, outside any request: what a disabled level would do.
    if (record.severityNumber < rule && currentRequestBuffer() === undefined) return;
    bufferOrEmit(sourceLevel !== undefined && record.severityNumber >= sourceLevel ? withSourceLocation(record) : record, rule);
  };
}
