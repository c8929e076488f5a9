import type { Processor, Sink } from './core/sink.ts';
import type { Logger } from './core/logger.ts';
import { runtime } from './core/runtime.ts';
import { LevelRules, parseLevelRules } from './core/level-rules.ts';
import { DEFAULT_LIMITS, type Limits } from './values/limits.ts';
import { createStdoutSink } from './sinks/stdout.ts';
import { createFormatEncoder } from './encoders/format.ts';
import { ENV, readEnv, type Env, type FormatChoice } from './config/env.ts';
import { LogbridgeError } from './core/errors.ts';
import { safeString } from './values/safe.ts';
import { createRedactor, type Redactor, type RedactOptions } from './redact/redactor.ts';
import { redactOptionsFromEnv } from './config/redact.ts';
import { hasCrashHandlers, installCrashHandlers, uninstallCrashHandlers, type CrashHandlerOptions } from './lifecycle/crash.ts';
import { installExitHooks } from './lifecycle/exit-hooks.ts';
import { addExitCloser } from './core/exit-tasks.ts';
import { reportAccounting } from './lifecycle/accounting.ts';
import { createOtlpSink, type CreateOtlpSinkOptions } from './sinks/on-demand.ts';
import { selectDefaultExporters } from './config/exporters.ts';
import { loadConfigFile, type FileConfiguration } from './config/config-file.ts';
import { createSpanEventBridge, spanEventBridgeFromEnv, type SpanEventBridgeOptions } from './otel/span-events.ts';
import { diagnoseAlways } from './core/diagnostics.ts';
import { VolumeControls, volumeSettingsFrom, type VolumeOptions, type VolumeSettings, type VolumeStats } from './config/volume-controls.ts';
import { LiveLevels, liveSourcesFrom } from './config/live-levels.ts';
import { onSignal } from './lifecycle/signal-hooks.ts';

/**
 * Configuration: the environment first, code second (code wins). Without
 * any, records at `info` and above go to stdout as JSON lines.
 */

/** Options for {@link configure}; anything left out comes from the environment. */
export interface ConfigureOptions extends VolumeOptions {
  /** Level rules, e.g. `'info,db=debug'` (default: `LOGBRIDGE_LEVEL`, else `info`). */
  readonly level?: string;
  /** The sinks, replacing the default ones (default: stdout, from the environment). */
  readonly sinks?: readonly Sink[];
  /**
   * Line format of the default stdout sink: `json`, `pretty`, `logfmt`,
   * `otlp-json` or `auto` (default: `LOGBRIDGE_FORMAT`, else `auto` —
   * `pretty` on a TTY outside `NODE_ENV=production`, otherwise `json`).
   * Ignored when `sinks` is given.
   */
  readonly format?: FormatChoice;
  /**
   * Write-through mode of the default stdout sink: every line written at
   * once, in order with `console.log` (default: `LOGBRIDGE_SYNC`, else
   * false: buffered). Ignored when `sinks` is given.
   */
  readonly sync?: boolean;
  /** Processors run before fan-out, in order. */
  readonly processors?: readonly Processor[];
  /** Value limits (defaults from `OTEL_LOGRECORD_ATTRIBUTE_*`). */
  readonly limits?: Partial<Limits>;
  /** The environment to read (default `process.env`); for tests and embedding. */
  readonly env?: Env;
  /**
   * Redaction of secrets (docs/security.md): options laid over the
   * `LOGBRIDGE_REDACT_*` environment, or `false` to turn it off. On by
   * default, with the default key list and every value pattern.
   */
  readonly redact?: RedactOptions | false;
  /**
   * Crash and signal handlers (docs/errors-and-crashes.md): `true` or
   * options installs them, `false` removes them (default: installed when
   * `LOGBRIDGE_CRASH_HANDLERS=true`, else left as they are).
   */
  readonly crashHandlers?: boolean | CrashHandlerOptions;
  /**
   * OTLP export (docs/configuration.md): options laid over the OTEL_*
   * environment (code wins) and OTLP turned on; `false` turns it off.
   * Default: from `OTEL_LOGS_EXPORTER` and the OTLP endpoint variables.
   * Ignored when `sinks` is given.
   */
  readonly otlp?: CreateOtlpSinkOptions | boolean;
  /**
   * Span events from log records (docs/logs-and-traces.md): `true` or
   * options turns the bridge on (event records, and records at `warn` and
   * above unless `level` says otherwise), `false` turns it off. Default:
   * from `LOGBRIDGE_SPAN_EVENTS` and an `event_to_span_event_bridge/development`
   * processor in `OTEL_CONFIG_FILE`. It runs after every processor,
   * redaction included; records still reach every sink.
   */
  readonly spanEvents?: boolean | SpanEventBridgeOptions;
  /** A live level file, watched (docs/volume-controls.md), or `false` for none (default: `LOGBRIDGE_LEVEL_FILE`). */
  readonly levelFile?: string | false;
  /** Re-read the level file and `OTEL_CONFIG_FILE` on SIGHUP, which then no longer ends the process (default: `LOGBRIDGE_RELOAD_ON_SIGHUP`). */
  readonly reloadOnSighup?: boolean;
}

/**
 * Configures logbridge for the whole process; loggers obtained earlier
 * follow. Throws a {@link LogbridgeError} (`LOGBRIDGE_ERR_INVALID_CONFIG`)
 * for an invalid option given in code, before it changes anything: the
 * configuration in force (or, before any call, the environment's) stays.
 * Invalid environment values are reported on stderr and replaced by
 * defaults instead.
 */
export function configure(options: ConfigureOptions = {}): void {
  const env = options.env ?? process.env;
  // Everything is validated and built before anything changes: an invalid
  // option throws here and the configuration in force stays as it was.
  const rules = options.level !== undefined ? validRules(options.level) : options.env !== undefined ? rulesFromEnv(env) : undefined;
  const limits = limitsFrom(env, options.limits);
  const redactor = redactorFrom(env, options.redact, limits, options.limits === undefined);
  // OTEL_CONFIG_FILE, when set and valid, replaces the OTEL_* variables (src/config/config-file.ts); read once
  const file = options.sinks === undefined || options.spanEvents === undefined ? loadConfigFile(env) : undefined;
  const sinks = options.sinks ?? defaultSinks(env, limits, file, options.format, options.otlp, options.sync);
  const bridge = options.spanEvents === undefined ? spanEventBridgeFromEnv(env, file?.spanEvents === true, limits)
    : options.spanEvents === false ? undefined
    : createSpanEventBridge({ limits, ...(options.spanEvents === true ? {} : options.spanEvents) });
  const volumeSettings = env === process.env && !hasVolumeOptions(options) ? envVolume : volumeSettingsFrom(env, options);
  const sighup = options.reloadOnSighup ?? readEnv(ENV.reloadOnSighup, env);
  if (typeof sighup !== 'boolean') throw new LogbridgeError('LOGBRIDGE_ERR_INVALID_CONFIG', 'reloadOnSighup must be a boolean');

  runtime.setAutoConfigure(undefined);
  const live = startLive(env, options.levelFile, sighup);
  volume.configure(rules, volumeSettings, live.active || sighup);
  live.reload('configure');
  runtime.limits = limits;
  runtime.bindingsProcessor = redactor === undefined ? undefined : (attributes) => redactor.redactAttributes(attributes);
  // Redaction runs last: it also sees what enrichers added, and costs nothing for sampled-out records.
  // The span-event bridge after it: a span event must not carry what a line may not.
  // Trace-based filtering and throttling run first (present only when on or live): what they drop costs nothing after.
  runtime.pipeline.configure(sinks, [...volume.processors(), ...(options.processors ?? []),
    ...(redactor === undefined ? [] : [redactor.processor]), ...(bridge === undefined ? [] : [bridge])]);
  installExitHooks();
  applyCrashHandlers(options.crashHandlers, env);
}

const volume = new VolumeControls(runtime);
// At exit, what the throttle held back is summarised before the final flush writes it.
addExitCloser(() => volume.throttle.closeAll());
let live: LiveLevels | undefined;
let releaseSighup: (() => void) | undefined;

/** Replaces the live sources: the old watch and SIGHUP claim end, the new ones start. */
function startLive(env: Env, levelFile: string | false | undefined, sighup: boolean): LiveLevels {
  live?.close();
  releaseSighup?.();
  releaseSighup = undefined;
  const next = new LiveLevels(liveSourcesFrom(env, levelFile),
    (overlay, source) => volume.setOverlay(overlay, source, source !== 'configure'));
  live = next;
  next.watch();
  if (sighup) releaseSighup = onSignal('SIGHUP', () => next.reload('SIGHUP'));
  return next;
}

function hasVolumeOptions(o: VolumeOptions): boolean {
  return o.debugBuffer !== undefined || o.throttle !== undefined || o.traceBased !== undefined || o.sourceLocation !== undefined;
}

/**
 * What the volume controls did: records kept in and replayed from debug
 * buffers, discarded with requests that did not fail, throttled and
 * summarised, dropped by trace-based filtering. None of it is a loss.
 */
export function getVolumeStats(): VolumeStats {
  return volume.stats();
}

/** The environment's level rules; a bad part is reported on stderr and ignored. */
function rulesFromEnv(env: Env): LevelRules {
  const { rules, problems } = parseLevelRules(readEnv(ENV.level, env));
  for (const problem of problems) {
    diagnoseAlways('INVALID_ENV', `${ENV.level.name}: ${problem} ignored; level rules in use: ${rules}`);
  }
  return rules;
}

function validRules(text: string): LevelRules {
  const parsed = parseLevelRules(String(text));
  if (parsed.problems.length > 0) {
    throw new LogbridgeError('LOGBRIDGE_ERR_INVALID_LEVEL', `invalid level rules: ${parsed.problems.join('; ')}`);
  }
  return parsed.rules;
}

function applyCrashHandlers(option: boolean | CrashHandlerOptions | undefined, env: Env): void {
  if (option === false) uninstallCrashHandlers();
  else if (option !== undefined) installCrashHandlers(option === true ? {} : option);
  else if (!hasCrashHandlers() && readEnv(ENV.crashHandlers, env)) installCrashHandlers();
}

function limitsFrom(env: Env, overrides: Partial<Limits> | undefined): Limits {
  const limits: Limits = {
    ...DEFAULT_LIMITS,
    attributeCount: readEnv(ENV.attributeCountLimit, env),
    valueLength: readEnv(ENV.attributeValueLengthLimit, env),
    recordSize: readEnv(ENV.recordSizeLimit, env),
    ...overrides,
  };
  for (const [key, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !(value >= 0)) {
      throw new LogbridgeError('LOGBRIDGE_ERR_INVALID_CONFIG', `limits.${key} must be a number >= 0`);
    }
  }
  return Object.freeze(limits);
}

/**
 * The sinks the environment asks for: stdout lines (`LOGBRIDGE_FORMAT`, JSON
 * off a TTY) by default, plus OTLP per `OTEL_LOGS_EXPORTER` / the OTLP
 * endpoint variables (see selectDefaultExporters).
 */
function defaultSinks(env: Env, limits: Limits, file: FileConfiguration | undefined, format?: FormatChoice,
  otlp?: CreateOtlpSinkOptions | boolean, sync?: boolean): Sink[] {
  const chosen = file === undefined ? selectDefaultExporters(env) : { console: file.console, otlp: file.otlp !== false };
  const sinks: Sink[] = [];
  if (chosen.console) {
    sinks.push(createStdoutSink({
      encoder: createFormatEncoder(format ?? readEnv(ENV.format, env), { limits, env }),
      sync: sync ?? readEnv(ENV.sync, env),
    }));
  }
  if (otlp === undefined ? chosen.otlp : otlp !== false) {
    const fromFile = file === undefined ? {} : {
      ...(file.otlp === false ? {} : file.otlp), resource: file.resource, limits: { ...limits, ...file.limits },
    };
    sinks.push(createOtlpSink({ env, limits, ...fromFile, ...(typeof otlp === 'object' ? otlp : {}) }));
  }
  return sinks;
}

/**
 * Sets the level rules (`'info,db=debug,http.client=warn'`); every logger,
 * including children made earlier, follows at once. Throws a
 * {@link LogbridgeError} (`LOGBRIDGE_ERR_INVALID_LEVEL`) when a part of the
 * text is not valid; nothing changes then.
 */
export function setLevel(rules: string): void {
  // The base under the live overlay: a level file in force still wins for what it names.
  volume.setBaseRules(validRules(rules));
}

/** The level rules in force, in text form (`info,db=debug`). */
export function getLevel(): string {
  return runtime.levelRules.toString();
}

/**
 * The logger called `name` (a dotted name such as `orders.db`; default
 * `default`). The same name always gives the same logger.
 */
export function getLogger(name = 'default'): Logger {
  return runtime.getLogger(typeof name === 'string' ? name : safeString(() => String(name)) || 'default');
}

/** Delivers every record logged so far, in every sink. Settles, never rejects. */
export function flush(): Promise<void> {
  runtime.ensureConfigured();
  volume.throttle.closeAll(); // what was held back so far is summarised now, not lost with the process
  return runtime.pipeline.flush();
}

const accounted = new WeakMap<Promise<void>, Promise<void>>();

/**
 * Flushes and shuts down every sink, then writes the final accounting line
 * to stderr if anything was dropped or left undelivered. Idempotent: later
 * calls return the same promise. Records logged afterwards are dropped and
 * counted. Never rejects.
 */
export function shutdown(): Promise<void> {
  runtime.ensureConfigured();
  volume.throttle.closeAll();
  const done = runtime.pipeline.shutdown();
  let reported = accounted.get(done);
  if (reported === undefined) {
    reported = done.then(() => reportAccounting(runtime.pipeline));
    accounted.set(done, reported);
  }
  return reported;
}

/** The redactor the process environment asks for, made once at load (so early children are redacted too). */
let envRedactor: Redactor | undefined;
let envRedactorMade = false;

function redactorFrom(env: Env, code: RedactOptions | false | undefined, limits: Limits, envLimits: boolean): Redactor | undefined {
  if (code === false) return undefined;
  if (code === undefined && env === process.env && envLimits && envRedactorMade) return envRedactor;
  const fromEnv = redactOptionsFromEnv(env);
  if (fromEnv === undefined && code === undefined) return undefined;
  // The walk stops where the encoders would: the same attribute count and entry limits.
  const bounds = { attributeCount: limits.attributeCount, collectionEntries: limits.collectionEntries };
  return createRedactor({ ...bounds, ...fromEnv, ...code }, (attributes) => runtime.bind(undefined, attributes));
}

// Read at load, so a logger's disabled methods already follow LOGBRIDGE_DEBUG_BUFFER before the first record.
const envVolume: VolumeSettings = volumeSettingsFrom(process.env, {});
volume.configure(rulesFromEnv(process.env), envVolume, false);
// A level file, OTEL_CONFIG_FILE or the SIGHUP reload apply from the start, not from the first record.
if (readEnv(ENV.levelFile) !== '' || readEnv(ENV.configFile) !== '' || readEnv(ENV.reloadOnSighup)) {
  const early = startLive(process.env, undefined, readEnv(ENV.reloadOnSighup));
  volume.configure(undefined, envVolume, true);
  early.reload('configure');
}
envRedactor = redactorFrom(process.env, undefined, limitsFrom(process.env, undefined), true);
envRedactorMade = true;
runtime.bindingsProcessor = envRedactor === undefined ? undefined : (attributes) => envRedactor!.redactAttributes(attributes);
runtime.setAutoConfigure(() => configure());
// Installed at load, not at the first record, so a crash before any logging is still reported.
if (readEnv(ENV.crashHandlers)) installCrashHandlers();
