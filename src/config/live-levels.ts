import { readFileSync, watchFile, unwatchFile, type Stats } from 'node:fs';
import { parseLevelRules } from '../core/level-rules.ts';
import { diagnoseAlways } from '../core/diagnostics.ts';
import { loadConfigFile, type LoggerConfiguratorModel } from './config-file.ts';
import { ENV, readEnv, type Env } from './env.ts';
import { parseLevelOrOff, parseThrottleRules, parseTraceBasedRules, type Parsed } from './volume-rules.ts';
import type { LiveOverlay } from './volume-controls.ts';

/**
 * Live levels: the level file (`LOGBRIDGE_LEVEL_FILE`) and the
 * `logger_configurator` section of `OTEL_CONFIG_FILE`, read at configuration,
 * watched (stat polling, so a Kubernetes ConfigMap's symlink swap is seen)
 * and, when the application turns it on, re-read on SIGHUP. A file that
 * cannot be read or has a bad line changes nothing and says why on stderr.
 *
 * The level file: one setting per line, `#` starts a comment. A bare line is
 * level rules; `level:`, `throttle:`, `trace-based:`, `debug-buffer:` and
 * `source-location:` lines set those controls, in the syntax of their
 * `LOGBRIDGE_*` variables:
 *
 * ```text
 * info,orders.db=debug
 * throttle: 20/1s
 * trace-based: warn
 * ```
 */

const KEYS: Readonly<Record<string, keyof LiveOverlay>> = {
  'level': 'level', 'throttle': 'throttle', 'trace-based': 'traceBased', 'debug-buffer': 'debugBuffer', 'source-location': 'sourceLocation',
};

/** Settings whose texts are rule lists, joined (later parts win); the others are single values, replaced. */
const JOINED: ReadonlySet<keyof LiveOverlay> = new Set(['level', 'throttle', 'traceBased']);

/** Parses the level file's text. Never throws. */
export function parseLevelFile(text: string): Parsed<LiveOverlay> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const m = /^([a-z-]+)\s*:\s*(.*)$/i.exec(line);
    const key = m === null ? 'level' : KEYS[m[1]!.toLowerCase()];
    const value = m === null ? line : m[2]!.trim();
    if (key === undefined) return { ok: false, problem: `line ${i + 1}: unknown setting ${JSON.stringify(m![1])}` };
    const problem = check(key, value);
    if (problem !== undefined) return { ok: false, problem: `line ${i + 1}: ${problem}` };
    out[key] = out[key] === undefined || !JOINED.has(key) ? value : `${out[key]},${value}`;
  }
  return { ok: true, value: out };
}

function check(key: keyof LiveOverlay, value: string): string | undefined {
  let parsed: Parsed<unknown>;
  switch (key) {
    case 'level': {
      const problems = parseLevelRules(value).problems;
      return problems.length > 0 ? problems.join('; ') : undefined;
    }
    case 'throttle': parsed = parseThrottleRules(value); break;
    case 'traceBased': parsed = parseTraceBasedRules(value); break;
    case 'debugBuffer': parsed = parseLevelOrOff(value, 'debug buffer level'); break;
    case 'sourceLocation': parsed = parseLevelOrOff(value, 'source location level'); break;
  }
  return parsed.ok ? undefined : parsed.problem;
}

/**
 * The overlay of an OpenTelemetry `logger_configurator/development` section:
 * `enabled: false` → `off`, `minimum_severity` → the level (a severity
 * between ours, `debug2`, rounds up to the next level: `info`), `trace_based`
 * → trace-based filtering on or off for the pattern. A logger config without
 * `minimum_severity` leaves its level to the other rules.
 */
export function fromLoggerConfigurator(model: LoggerConfiguratorModel | undefined): LiveOverlay {
  if (model == null) return {};
  const levels: string[] = [];
  const traces: string[] = [];
  const add = (name: string, config: LoggerConfiguratorModel['default_config']): void => {
    if (config == null) return;
    const prefix = name === '*' ? '' : `${name}=`;
    if (config.enabled === false) levels.push(`${prefix}off`);
    else if (config.minimum_severity != null) levels.push(`${prefix}${roundUp(config.minimum_severity)}`);
    if (config.trace_based != null) traces.push(`${prefix}${config.trace_based ? 'on' : 'off'}`);
  };
  add('*', model.default_config);
  for (const entry of model.loggers ?? []) add(entry.name, entry.config);
  return {
    ...(levels.length > 0 ? { level: levels.join(',') } : {}),
    ...(traces.length > 0 ? { traceBased: traces.join(',') } : {}),
  };
}

const ORDER = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'off'];

function roundUp(severity: string): string {
  const m = /^([a-z]+)([2-4])?$/.exec(severity);
  if (m === null) return severity;
  const index = ORDER.indexOf(m[1]!);
  return m[2] === undefined || index === -1 ? m[1]! : ORDER[index + 1]!;
}

/** Where the live settings come from. */
export interface LiveSources {
  /** The level file, if any. */
  readonly levelFile: string | undefined;
  /** The environment naming `OTEL_CONFIG_FILE`, if one is named. */
  readonly configEnv: Env | undefined;
  /** Poll interval of the watch, in ms. */
  readonly intervalMs: number;
}

/** The live sources of the environment `env` (`LOGBRIDGE_LEVEL_FILE`, `OTEL_CONFIG_FILE`). */
export function liveSourcesFrom(env: Env, levelFile?: string | false): LiveSources {
  const file = levelFile === false ? '' : levelFile ?? readEnv(ENV.levelFile, env);
  return {
    levelFile: file === '' ? undefined : file,
    configEnv: readEnv(ENV.configFile, env) === '' ? undefined : env,
    intervalMs: readEnv(ENV.levelFileIntervalMs, env),
  };
}

/** Reads, watches and re-reads the live sources, handing each valid result to `apply`. */
export class LiveLevels {
  readonly #sources: LiveSources;
  readonly #apply: (overlay: LiveOverlay, source: string) => void;
  readonly #watched: string[] = [];
  readonly #listener = (current: Stats, previous: Stats): void => {
    if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size || current.ino !== previous.ino) this.reload('file change');
  };

  constructor(sources: LiveSources, apply: (overlay: LiveOverlay, source: string) => void) {
    this.#sources = sources;
    this.#apply = apply;
  }

  /** Whether there is anything to read. */
  get active(): boolean {
    return this.#sources.levelFile !== undefined || this.#sources.configEnv !== undefined;
  }

  /**
   * Reads every source and applies the result, or — when one cannot be read
   * or is invalid — writes why on stderr and keeps what is in force.
   * Returns whether it applied. Never throws.
   */
  reload(source: string): boolean {
    const { levelFile, configEnv } = this.#sources;
    let fromConfig: LiveOverlay = {};
    if (configEnv !== undefined) {
      const file = loadConfigFile(configEnv, 'the rules in force stay');
      if (file === undefined) return false;
      fromConfig = fromLoggerConfigurator(file.loggerConfigurator);
    }
    let fromFile: LiveOverlay = {};
    if (levelFile !== undefined) {
      let text: string;
      try {
        text = readFileSync(levelFile, 'utf8');
      } catch (error) {
        return this.#refuse(levelFile, (error as NodeJS.ErrnoException).code ?? 'cannot be read');
      }
      const parsed = parseLevelFile(text);
      if (!parsed.ok) return this.#refuse(levelFile, parsed.problem);
      fromFile = parsed.value;
    }
    this.#apply(mergeOverlays(fromConfig, fromFile), source === 'file change' ? `${source}: ${levelFile ?? 'OTEL_CONFIG_FILE'}` : source);
    return true;
  }

  #refuse(file: string, why: string): false {
    diagnoseAlways('INVALID_LEVEL_FILE', `${ENV.levelFile.name}=${JSON.stringify(file)} not applied (${why}); the rules in force stay`);
    return false;
  }

  /** Starts watching the files (unref'd: the watch never keeps the process alive). Idempotent. */
  watch(): void {
    if (this.#watched.length > 0) return;
    const paths = [this.#sources.levelFile, this.#sources.configEnv === undefined ? undefined : readEnv(ENV.configFile, this.#sources.configEnv)];
    for (const path of paths) {
      if (path === undefined) continue;
      watchFile(path, { interval: this.#sources.intervalMs, persistent: false }, this.#listener);
      this.#watched.push(path);
    }
  }

  /** Stops watching. */
  close(): void {
    for (const path of this.#watched.splice(0)) unwatchFile(path, this.#listener);
  }
}

function mergeOverlays(a: LiveOverlay, b: LiveOverlay): LiveOverlay {
  const out: Record<string, string> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    out[key] = out[key] === undefined || !JOINED.has(key as keyof LiveOverlay) ? value : `${out[key]},${value}`;
  }
  return out;
}
