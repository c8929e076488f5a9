import type { Processor } from './sink.ts';
import { PatternRules } from './logger-patterns.ts';

/**
 * Trace-based filtering, the OpenTelemetry LoggerConfig `trace_based` rule:
 * a record that belongs to a trace that is not sampled (trace flags bit 0
 * clear, from an active span or the caller's `traceparent`) is dropped when
 * its severity is below its logger's threshold, so log volume follows trace
 * sampling. Records with no trace context are never dropped. The threshold
 * per logger is a severity: 0 turns the rule off, 25 (`on`) drops every
 * level, 13 (`warn`) keeps warnings and errors of unsampled traces.
 */

/** Thresholds by logger pattern (see the module comment). */
export type TraceFilterRules = PatternRules<number>;

/** The trace-based filter of one configuration. */
export class TraceFilter {
  #rules: TraceFilterRules;
  #dropped = 0;

  constructor(rules: TraceFilterRules) {
    this.#rules = rules;
  }

  /** The rules in force. */
  get rules(): TraceFilterRules {
    return this.#rules;
  }

  /** Replaces the rules, for every record from now on. */
  setRules(rules: TraceFilterRules): void {
    this.#rules = rules;
  }

  /** Records dropped by the rule (not a loss: the configuration asked for it). */
  get dropped(): number {
    return this.#dropped;
  }

  /** The pipeline processor. Never throws. */
  readonly processor: Processor = (record) => {
    const trace = record.trace;
    if (trace === undefined || (trace.traceFlags & 1) === 1) return record;
    if (record.severityNumber >= this.#rules.valueFor(record.scope)) return record;
    this.#dropped++;
    return undefined;
  };
}
