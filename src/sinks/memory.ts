import type { Sink, SinkStats } from '../core/sink.ts';
import type { LogRecord } from '../core/record.ts';
import { recordAttributes } from '../core/attributes.ts';

/** A record as the memory sink keeps it: the record plus its merged attributes. */
export interface CapturedRecord extends LogRecord {
  /** Every attribute of the record merged by precedence (bindings, exception, request, call). */
  readonly allAttributes: Readonly<Record<string, unknown>>;
}

/**
 * A sink that keeps records in memory, for tests: assert on `records`,
 * filter with `find()`, empty with `clear()`. Unbounded by design; use it
 * only in tests.
 */
export class MemorySink implements Sink {
  /** Every record received, oldest first. */
  readonly records: CapturedRecord[] = [];

  emit(record: LogRecord): void {
    this.records.push({ ...record, allAttributes: recordAttributes(record) });
  }

  /** Records whose message, event name or scope matches, or that satisfy a predicate. */
  find(match: string | RegExp | ((record: CapturedRecord) => boolean)): CapturedRecord[] {
    const test = typeof match === 'function' ? match
      : (r: CapturedRecord) => [r.body, r.eventName, r.scope].some((v) => v !== undefined &&
        (typeof match === 'string' ? v === match : match.test(v)));
    return this.records.filter(test);
  }

  /** Forgets every record received so far. */
  clear(): void {
    this.records.length = 0;
  }

  async flush(): Promise<void> {}

  async shutdown(): Promise<void> {}

  stats(): SinkStats {
    return { received: this.records.length, dropped: {} };
  }
}
