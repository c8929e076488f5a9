import type { LogRecord } from './record.ts';
import type { Processor } from './sink.ts';
import { PatternRules } from './logger-patterns.ts';

/**
 * Throttling with summaries: at most `limit` records per key in each window
 * of `windowMs`, where the key is the logger, level and message (or the
 * event name, for event records). The first record of a key in a window
 * always passes; FATAL records are never held back. When a window in which
 * records were held back closes, one summary record says how many
 * ("suppressed 41 records like \"db timeout\" in 1000 ms"), with the count in
 * `logbridge.throttle.suppressed`. Windows are timed with unref'd timers.
 */

/** A limit of records per window. */
export interface ThrottleLimit {
  /** Records that pass per key in one window (at least 1). */
  readonly limit: number;
  /** The window, in milliseconds. */
  readonly windowMs: number;
}

/** Throttle rules by logger pattern; `undefined` leaves a logger unthrottled. */
export type ThrottleRules = PatternRules<ThrottleLimit | undefined>;

/** What the throttle did, since the process started. */
export interface ThrottleStats {
  /** Records held back (a rule, not a loss: each is summarised). */
  readonly suppressed: number;
  /** Summary records written. */
  readonly summaries: number;
}

interface Window {
  readonly start: number;
  readonly windowMs: number;
  count: number;
  suppressed: number;
  readonly sample: LogRecord;
  timer: NodeJS.Timeout | undefined;
}

/** Most keys tracked at once; past it, new keys pass untracked (a bound on memory, not a loss). */
const MAX_KEYS = 10_000;
const FATAL = 21;

/** The throttle of one configuration: its processor, its live rules and its counters. */
export class Throttle {
  #rules: ThrottleRules;
  readonly #emit: (record: LogRecord) => void;
  /**
   * Open windows by logger, then severity, then message or event name: three
   * lookups on strings the caller already has (their hashes are cached),
   * where one joined key cost a new string per record (~300 ns measured).
   */
  readonly #windows = new Map<string, Map<string, Window>[]>();
  #size = 0;
  readonly #summaries = new WeakSet<LogRecord>();
  #suppressed = 0;
  #summaryCount = 0;

  /** `emit` receives the summary records (the pipeline, so they are redacted and reach every sink). */
  constructor(rules: ThrottleRules, emit: (record: LogRecord) => void) {
    this.#rules = rules;
    this.#emit = emit;
  }

  /** The rules in force. */
  get rules(): ThrottleRules {
    return this.#rules;
  }

  /** Replaces the rules; open windows run to their end under the rule they started with. */
  setRules(rules: ThrottleRules): void {
    this.#rules = rules;
  }

  /** The pipeline processor: the record, or `undefined` when it is held back. Never throws. */
  readonly processor: Processor = (record) => {
    if (record.severityNumber >= FATAL || this.#summaries.has(record)) return record;
    const limit = this.#rules.valueFor(record.scope);
    if (limit === undefined) return record;
    const keys = this.#keysOf(record);
    const key = record.eventName ?? record.body;
    const now = Date.now();
    const window = keys.get(key);
    if (window === undefined || now - window.start >= window.windowMs) {
      if (window !== undefined) this.#close(keys, key, window);
      if (this.#size >= MAX_KEYS && !this.#sweep(now)) return record;
      keys.set(key, { start: now, windowMs: limit.windowMs, count: 1, suppressed: 0, sample: record, timer: undefined });
      this.#size++;
      return record;
    }
    if (++window.count <= limit.limit) return record;
    window.suppressed++;
    this.#suppressed++;
    if (window.timer === undefined) {
      window.timer = setTimeout(() => this.#close(keys, key, window), Math.max(0, window.start + window.windowMs - now));
      window.timer.unref();
    }
    return undefined;
  };

  /** The windows of the record's logger and severity (event records apart: slot 0). */
  #keysOf(record: LogRecord): Map<string, Window> {
    let bySeverity = this.#windows.get(record.scope);
    if (bySeverity === undefined) {
      bySeverity = [];
      this.#windows.set(record.scope, bySeverity);
    }
    const slot = record.eventName !== undefined ? 0 : Math.min(Math.max(record.severityNumber | 0, 1), 24);
    let keys = bySeverity[slot];
    if (keys === undefined) {
      keys = new Map();
      bySeverity[slot] = keys;
    }
    return keys;
  }

  /** Ends `window`: forgets it and writes its summary if anything was held back. */
  #close(keys: Map<string, Window>, key: string, window: Window): void {
    if (keys.get(key) === window) {
      keys.delete(key);
      this.#size--;
    }
    if (window.timer !== undefined) clearTimeout(window.timer);
    window.timer = undefined;
    const n = window.suppressed;
    if (n === 0) return;
    window.suppressed = 0;
    const sample = window.sample;
    const like = sample.eventName ?? sample.body;
    const summary: LogRecord = {
      time: Date.now(),
      severityNumber: sample.severityNumber,
      severityText: sample.severityText,
      scope: sample.scope,
      body: `suppressed ${n} record${n === 1 ? '' : 's'} like ${JSON.stringify(like.length > 200 ? `${like.slice(0, 200)}…` : like)} in ${window.windowMs} ms`,
      eventName: undefined,
      bindings: undefined,
      contextAttributes: undefined,
      attributes: Object.freeze({
        'logbridge.throttle.suppressed': n,
        'logbridge.throttle.window_ms': window.windowMs,
        ...(sample.eventName !== undefined ? { 'logbridge.throttle.event_name': sample.eventName } : {}),
      }),
      exception: undefined,
      requestId: undefined,
      trace: undefined,
    };
    this.#summaries.add(summary);
    this.#summaryCount++;
    this.#emit(summary);
  }

  /** Forgets windows that have run out with nothing held back; whether there is room now. */
  #sweep(now: number): boolean {
    this.#each((keys, key, window) => {
      if (window.timer === undefined && now - window.start >= window.windowMs) this.#close(keys, key, window);
    });
    return this.#size < MAX_KEYS;
  }

  /** Writes the summary of every open window now (flush, shutdown). */
  closeAll(): void {
    this.#each((keys, key, window) => this.#close(keys, key, window));
  }

  #each(fn: (keys: Map<string, Window>, key: string, window: Window) => void): void {
    for (const bySeverity of this.#windows.values()) {
      for (const keys of bySeverity) if (keys !== undefined) for (const [key, window] of [...keys]) fn(keys, key, window);
    }
  }

  /** The counters (see {@link ThrottleStats}). */
  stats(): ThrottleStats {
    return { suppressed: this.#suppressed, summaries: this.#summaryCount };
  }
}
