import type { LogRecord } from '../core/record.ts';
import { SEVERITY } from '../core/levels.ts';

/**
 * Batches in flight at once. One request at a time cannot keep up with a
 * busy process (each round trip takes several loop turns); four overlap the
 * network waits.
 */
export const MAX_CONCURRENT_BATCHES = 4;

/**
 * Batches in flight while more full batches wait than four carry (the
 * collector answers slower than records come: a busy collector, a process
 * descheduled on a loaded machine): the requests wait in socket buffers
 * rather than in the queue, so a collector slow for a moment does not
 * overflow it. Never while a batch is retried.
 */
export const MAX_BURST_BATCHES = 16;

/** One batch on its way: sent, or waiting for its next attempt. */
export interface Batch {
  readonly records: LogRecord[];
  readonly started: number;
  attempt: number;
  timer: NodeJS.Timeout | undefined;
  /** A request for it is out, unanswered. */
  inFlight: boolean;
  /** An earlier attempt may have arrived (no answer in time, connection cut). */
  maybeDelivered: boolean;
  /** An attempt failed in a way worth retrying; not delivered since. */
  retrying: boolean;
}

/**
 * The OTLP sink's records not yet settled: the bounded queue of records
 * waiting for a batch, and the batches on their way. A record at FATAL is
 * never refused by a full queue: the oldest record below FATAL (else the
 * oldest) is evicted for it.
 */
export class OtlpQueue {
  readonly batches = new Set<Batch>();
  #waiting: LogRecord[] = [];
  readonly #maxSize: number;

  constructor(maxSize: number) {
    this.#maxSize = maxSize;
  }

  /** Records waiting for a batch. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Records waiting or in a batch. */
  get pending(): number {
    let n = this.#waiting.length;
    for (const batch of this.batches) n += batch.records.length;
    return n;
  }

  isEmpty(): boolean {
    return this.#waiting.length === 0 && this.batches.size === 0;
  }

  /** Queues `record`: `'refused'` when the queue is full, `'evicted'` when an older record made room for a FATAL one. */
  add(record: LogRecord): 'added' | 'evicted' | 'refused' {
    let result: 'added' | 'evicted' = 'added';
    if (this.#waiting.length >= this.#maxSize) {
      if (record.severityNumber < SEVERITY.fatal) return 'refused';
      if (this.#waiting.length > 0) {
        const index = this.#waiting.findIndex((r) => r.severityNumber < SEVERITY.fatal);
        this.#waiting.splice(index === -1 ? 0 : index, 1);
        result = 'evicted';
      }
    }
    this.#waiting.push(record);
    return result;
  }

  /**
   * Whether another batch of `batchSize` may start: {@link MAX_CONCURRENT_BATCHES} in flight, or
   * {@link MAX_BURST_BATCHES} while more records wait than those carry.
   */
  hasRoom(batchSize: number): boolean {
    const limit = this.#waiting.length > MAX_CONCURRENT_BATCHES * batchSize ? MAX_BURST_BATCHES : MAX_CONCURRENT_BATCHES;
    return this.batches.size < limit;
  }

  /** Whether a batch is being retried: the collector is unwell, and no new batch should pile on. */
  get unwell(): boolean {
    for (const batch of this.batches) if (batch.retrying) return true;
    return false;
  }

  /** Whether `batch` is the oldest one on its way (a retry of a younger one would overtake it). */
  isOldest(batch: Batch): boolean {
    return this.batches.values().next().value === batch;
  }

  /** The oldest batch parked behind an older one's retry (being retried, yet neither sent nor timed), if any. */
  firstParked(): Batch | undefined {
    for (const batch of this.batches) if (batch.retrying && !batch.inFlight && batch.timer === undefined) return batch;
    return undefined;
  }

  /** Starts a batch of the oldest waiting records, at most `size`. */
  nextBatch(size: number): Batch {
    let records: LogRecord[];
    if (this.#waiting.length <= size) {
      // the whole queue: hand the array over (splice copied it, and then shifted nothing)
      records = this.#waiting;
      this.#waiting = [];
    } else records = this.#waiting.splice(0, size);
    const batch: Batch = {
      records,
      started: Date.now(), attempt: 0, timer: undefined, inFlight: false, maybeDelivered: false,
      retrying: false,
    };
    this.batches.add(batch);
    return batch;
  }

  /**
   * Empties the queue and forgets every batch (their late answers are then
   * ignored; with `keepInFlight`, batches with a request out stay); returns
   * their records, oldest first: `fresh` ones certainly not delivered,
   * `resent` ones sent before without an answer.
   */
  takeAll(keepInFlight = false): { fresh: LogRecord[]; resent: LogRecord[] } {
    const fresh: LogRecord[] = [];
    const resent: LogRecord[] = [];
    for (const batch of this.batches) {
      if (keepInFlight && batch.inFlight) continue;
      clearTimeout(batch.timer);
      (batch.inFlight || batch.maybeDelivered ? resent : fresh).push(...batch.records);
      this.batches.delete(batch);
    }
    fresh.push(...this.#waiting);
    this.#waiting = [];
    return { fresh, resent };
  }
}
