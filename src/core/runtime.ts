import type { Attributes, Bindings, LogRecord } from './record.ts';
import { createLevelState, type Logger, type LoggerLevel } from './logger.ts';
import { LevelRules, parseLevelRules } from './level-rules.ts';
import { Pipeline } from './pipeline.ts';
import { DEFAULT_LIMITS, type Limits } from '../values/limits.ts';
import { mergeAttributes } from './attributes.ts';
import { tallyRecord } from './request-tally.ts';
import { OFF } from './levels.ts';

/**
 * The process-wide state behind the public functions: loggers by name, the
 * level rules and each name's threshold, the limits and the pipeline.
 * Loggers hold a reference to it, so loggers made at module load follow
 * configuration made later.
 */
export class Runtime {
  readonly pipeline = new Pipeline();
  limits: Limits = DEFAULT_LIMITS;
  /** Applied to child bindings once, when the child is made (redaction hooks in here). */
  bindingsProcessor: ((attributes: Attributes) => Attributes) | undefined;
  /**
   * Where records go before the pipeline, on the caller's stack, when a
   * volume control needs that (debug buffer, source location); `undefined`
   * (the default) sends them straight to the pipeline.
   */
  intake: ((record: LogRecord) => void) | undefined;
  #rules: LevelRules;
  /** The lowest severity made whatever the rules say (the debug buffer's level); OFF when none. */
  #floor = OFF;
  readonly #ruleThresholds = new Map<string, number>();
  readonly #levels = new Map<string, LoggerLevel>();
  readonly #loggers = new Map<string, Logger>();
  #autoConfigure: (() => void) | undefined;

  constructor(rules: LevelRules) {
    this.#rules = rules;
  }

  /** Hands a record to the pipeline, configuring from the environment first if nobody has. */
  emit(record: LogRecord): void {
    if (this.#autoConfigure !== undefined) this.#runAutoConfigure();
    const intake = this.intake;
    if (intake === undefined) {
      tallyRecord(record);
      this.pipeline.emit(record);
    } else {
      intake(record); // it tallies what it writes: a buffered record that is discarded was never a line
    }
  }

  /** Registers the environment-driven default configuration, run before the first record. */
  setAutoConfigure(fn: (() => void) | undefined): void {
    this.#autoConfigure = fn;
  }

  #runAutoConfigure(): void {
    const fn = this.#autoConfigure;
    this.#autoConfigure = undefined;
    fn?.();
  }

  /** Configures now if nothing has been configured yet (used before flush/shutdown). */
  ensureConfigured(): void {
    if (this.#autoConfigure !== undefined) this.#runAutoConfigure();
  }

  /** The cached logger for `name`. */
  getLogger(name: string): Logger {
    let logger = this.#loggers.get(name);
    if (logger === undefined) {
      const state = this.#levelState(name);
      logger = new state.loggerClass(name, state, this);
      this.#loggers.set(name, logger);
    }
    return logger;
  }

  #levelState(name: string): LoggerLevel {
    let state = this.#levels.get(name);
    if (state === undefined) {
      const rule = this.#rules.thresholdFor(name);
      this.#ruleThresholds.set(name, rule);
      state = createLevelState(this.#effective(rule));
      this.#levels.set(name, state);
    }
    return state;
  }

  get levelRules(): LevelRules {
    return this.#rules;
  }

  /** Replaces the level rules; every existing logger and child follows at once. */
  setLevelRules(rules: LevelRules): void {
    this.#rules = rules;
    for (const [name, state] of this.#levels) {
      const rule = rules.thresholdFor(name);
      this.#ruleThresholds.set(name, rule);
      state.threshold = this.#effective(rule);
    }
  }

  /** The level rules' threshold for `name`, before any capture floor. */
  ruleThresholdFor(name: string): number {
    return this.#ruleThresholds.get(name) ?? this.#rules.thresholdFor(name);
  }

  /**
   * Makes records from `severity` up even where the rules disable them (a
   * logger that is `off` stays off), so the intake can buffer them; `OFF`
   * ends that. The level methods are swapped as for a rules change.
   */
  setCaptureFloor(severity: number): void {
    this.#floor = severity;
    this.setLevelRules(this.#rules);
  }

  #effective(rule: number): number {
    return rule >= OFF ? rule : Math.min(rule, this.#floor);
  }

  /** Delivers every record made so far, configuring first if nobody has. Settles, never rejects. */
  flush(): Promise<void> {
    this.ensureConfigured();
    return this.pipeline.flush();
  }

  /** Merges `attributes` over `parent`, once, when a child is made. */
  bind(parent: Bindings | undefined, attributes: Attributes): Bindings {
    const own = this.bindingsProcessor === undefined ? attributes : this.bindingsProcessor(attributes);
    const merged = mergeAttributes(parent?.attributes, own);
    return Object.freeze({ attributes: Object.freeze(merged), keys: new Set(Object.keys(merged)) });
  }
}

/** The one runtime of this copy of logbridge; configure.ts gives it the environment's level rules. */
export const runtime = new Runtime(parseLevelRules('info').rules);
