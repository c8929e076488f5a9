import { diagnose } from '../core/diagnostics.ts';
import type { OtlpSinkStats } from './otlp-types.ts';

/**
 * What became of every record the OTLP sink received: exported, dropped
 * (by reason), unconfirmed (sent without an answer when the process ended),
 * or sent twice (`duplicates`); the rest is pending. Flushes wait here until
 * the records received before them are settled, so an application that
 * keeps logging cannot keep a flush from ending.
 */
export class OtlpLedger {
  received = 0;
  exported = 0;
  unconfirmed = 0;
  duplicates = 0;
  readonly #dropped: Record<string, number> = {};
  readonly #maxQueueSize: number;
  #waiters: Array<{ readonly target: number; readonly resolve: () => void }> = [];

  constructor(maxQueueSize: number) {
    this.#maxQueueSize = maxQueueSize;
  }

  /** Counts `n` records lost for `reason`, without a diagnostic. */
  count(reason: string, n: number): void {
    this.#dropped[reason] = (this.#dropped[reason] ?? 0) + n;
  }

  /** Counts `n` records lost for `reason` and says so on stderr (rate-limited by the diagnostic code). */
  drop(reason: string, n: number, why?: string): void {
    this.count(reason, n);
    const text = why ?? (reason === 'queue_full'
      ? `the OTLP queue is full (${this.#maxQueueSize} records; OTEL_BLRP_MAX_QUEUE_SIZE)`
      : 'records logged after shutdown');
    diagnose(`OTLP_DROPPED_${reason.toUpperCase()}`, `${text}; ${this.#dropped[reason]} records dropped so far (${reason})`);
  }

  /** A promise that resolves once `target` records (by count received) are settled, or the sink is idle. */
  settledUpTo(target: number): Promise<void> {
    return new Promise<void>((resolve) => this.#waiters.push({ target, resolve }));
  }

  /** Resolves the waiters whose records are all settled (all of them when `idle`). */
  settle(idle: boolean): void {
    if (this.#waiters.length === 0) return;
    let settled = this.exported + this.unconfirmed;
    for (const n of Object.values(this.#dropped)) settled += n;
    const keep = [];
    for (const waiter of this.#waiters) {
      if (idle || settled >= waiter.target) waiter.resolve();
      else keep.push(waiter);
    }
    this.#waiters = keep;
  }

  stats(pending: number): OtlpSinkStats {
    return {
      name: 'otlp', received: this.received, exported: this.exported, pending, dropped: { ...this.#dropped },
      unconfirmed: this.unconfirmed, duplicates: this.duplicates,
    };
  }
}
