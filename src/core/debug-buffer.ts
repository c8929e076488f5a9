import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogRecord } from './record.ts';

/**
 * The per-request debug buffer ("debug on failure"). Inside a request scope,
 * records below the level rules' threshold but at or above the buffer's
 * level are kept in a bounded buffer of that request instead of being
 * dropped. A record at or above the trigger level (or an HTTP adapter that
 * sees a 5xx) replays them first — in order, as they were made, marked
 * `logbridge.replayed: true` — and from then on that request's records pass
 * straight through. A request that ends without a trigger discards its
 * buffer; that is not a loss, and is counted as `discarded`.
 */

/** Settings of the debug buffer (docs/volume-controls.md). */
export interface DebugBufferSettings {
  /** The lowest severity kept (default 5, `debug`). */
  readonly level: number;
  /** A record at or above this severity replays the buffer (default 17, `error`). */
  readonly trigger: number;
  /** Most records kept per request; the oldest goes first (default 200). */
  readonly maxRecords: number;
  /** Most estimated bytes kept per request (default 65,536). */
  readonly maxBytes: number;
  /** Most estimated bytes kept by all requests together (default 16 MiB). */
  readonly maxTotalBytes: number;
}

/** What the debug buffer did, since the process started. */
export interface DebugBufferStats {
  /** Records put in a request's buffer. */
  readonly buffered: number;
  /** Buffered records written because their request failed. */
  readonly replayed: number;
  /** Buffered records thrown away at the end of a request that did not fail (not a loss). */
  readonly discarded: number;
  /** Buffered records pushed out by a newer one when a bound was reached. */
  readonly evicted: number;
}

/** The attribute that marks a replayed record. */
export const REPLAYED_ATTRIBUTE = 'logbridge.replayed';

const counters = { buffered: 0, replayed: 0, discarded: 0, evicted: 0 };
let totalBytes = 0;
let settings: DebugBufferSettings | undefined;
let emitRecord: (record: LogRecord) => void = () => {};
const storage = new AsyncLocalStorage<RequestBuffer>();

/** One request's buffer. Made by {@link beginRequestBuffer}. */
export class RequestBuffer {
  // Oldest first from #head: eviction moves the head instead of shifting the arrays, which are compacted now and then.
  #records: LogRecord[] = [];
  #sizes: number[] = [];
  #head = 0;
  #bytes = 0;
  #evicted = 0;
  #passing = false;
  #ended = false;

  /** Whether the request failed and its records now pass straight through. */
  get passing(): boolean {
    return this.#passing;
  }

  /** @internal Keeps `record`, evicting the oldest past the bounds. */
  add(record: LogRecord, limits: DebugBufferSettings): void {
    if (this.#ended) {
      counters.discarded++; // a late record of a request that has ended without failing
      return;
    }
    const size = estimateSize(record);
    if (size > limits.maxBytes) {
      counters.evicted++;
      this.#evicted++;
      return;
    }
    while (this.#records.length > this.#head && (this.#records.length - this.#head >= limits.maxRecords ||
      this.#bytes + size > limits.maxBytes || totalBytes + size > limits.maxTotalBytes)) this.#evictOldest();
    if (totalBytes + size > limits.maxTotalBytes) {
      // The process-wide budget is spent by other requests: this one keeps nothing.
      counters.evicted++;
      this.#evicted++;
      return;
    }
    this.#records.push(record);
    this.#sizes.push(size);
    this.#bytes += size;
    totalBytes += size;
    counters.buffered++;
  }

  #evictOldest(): void {
    const size = this.#sizes[this.#head]!;
    this.#records[this.#head] = undefined as unknown as LogRecord; // let it be collected
    this.#head++;
    this.#release(size);
    counters.evicted++;
    this.#evicted++;
    if (this.#head >= 64 && this.#head * 2 >= this.#records.length) {
      this.#records = this.#records.slice(this.#head);
      this.#sizes = this.#sizes.slice(this.#head);
      this.#head = 0;
    }
  }

  #release(size: number): void {
    this.#bytes -= size;
    totalBytes -= size;
  }

  /**
   * Replays what is buffered (in order, marked) and lets later records of the
   * request through. The first replayed record carries
   * `logbridge.replayed.evicted` when older ones were evicted. Idempotent.
   */
  trigger(): void {
    if (this.#passing || this.#ended) return;
    this.#passing = true;
    const records = this.#records.slice(this.#head);
    const evicted = this.#evicted;
    this.#clear();
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const marker: Record<string, unknown> = i === 0 && evicted > 0
        ? { [REPLAYED_ATTRIBUTE]: true, 'logbridge.replayed.evicted': evicted } : { [REPLAYED_ATTRIBUTE]: true };
      counters.replayed++;
      emitRecord({ ...record, attributes: { ...record.attributes, ...marker } as LogRecord['attributes'] });
    }
  }

  /** Ends the request: what is still buffered is discarded (and counted). Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    counters.discarded += this.#records.length - this.#head;
    this.#clear();
  }

  #clear(): void {
    this.#records = [];
    this.#sizes = [];
    this.#head = 0;
    this.#release(this.#bytes);
  }
}

/**
 * Turns the buffer on with `options` (or off with `undefined`); replayed
 * records go to `emit` (the pipeline). Requests already in flight keep the
 * buffer they have.
 */
export function setDebugBuffer(options: DebugBufferSettings | undefined, emit?: (record: LogRecord) => void): void {
  settings = options;
  if (emit !== undefined) emitRecord = emit;
}

/** The settings in force, or `undefined` when the buffer is off. */
export function getDebugBuffer(): DebugBufferSettings | undefined {
  return settings;
}

/** A new buffer for a request about to start, or `undefined` when the feature is off. */
export function beginRequestBuffer(): RequestBuffer | undefined {
  return settings === undefined ? undefined : new RequestBuffer();
}

/** The buffer of the current request, if any. */
export function currentRequestBuffer(): RequestBuffer | undefined {
  return storage.getStore();
}

/** Runs `fn` with `buffer` as the current request's buffer (as is, when `buffer` is undefined). */
export function runWithRequestBuffer<T>(buffer: RequestBuffer | undefined, fn: () => T): T {
  return buffer === undefined ? fn() : storage.run(buffer, fn);
}

/**
 * Runs `fn` in a buffer of its own when the feature is on and no buffer is
 * current, ending it when `fn` returns or, for a promise, settles (the unit
 * of work of `withRequestContext`).
 */
export function runInOwnBuffer<T>(fn: () => T): T {
  if (settings === undefined || storage.getStore() !== undefined) return fn();
  const buffer = new RequestBuffer();
  let result: T;
  try {
    result = storage.run(buffer, fn);
  } catch (error) {
    buffer.end();
    throw error;
  }
  try {
    if (isPromiseLike(result)) result.then(() => buffer.end(), () => buffer.end());
    else buffer.end();
  } catch {
    buffer.end(); // a thenable whose then() throws: the unit of work is over as far as we can tell
  }
  return result;
}

/**
 * Decides, on the caller's stack, what becomes of `record` given the level
 * rules' threshold for its logger: below it, buffered (or passed through,
 * after a failure); at or above the trigger, replays the buffer first.
 * Records nobody buffers are dropped, as a disabled level would have.
 */
export function bufferOrEmit(record: LogRecord, ruleThreshold: number): void {
  const options = settings;
  const severity = record.severityNumber;
  if (options === undefined) {
    if (severity >= ruleThreshold) emitRecord(record);
    return;
  }
  if (severity < ruleThreshold) {
    const buffer = storage.getStore();
    if (buffer === undefined || severity < options.level) return;
    if (buffer.passing) emitRecord(record);
    else buffer.add(record, options);
    return;
  }
  if (severity >= options.trigger) storage.getStore()?.trigger();
  emitRecord(record);
}

/** The counters (see {@link DebugBufferStats}). */
export function debugBufferStats(): DebugBufferStats {
  return { ...counters };
}

/** An estimate of a record's encoded size, cheap enough to run per buffered record. */
function estimateSize(record: LogRecord): number {
  let size = 160 + record.body.length;
  const attributes = record.attributes;
  if (attributes !== undefined) {
    for (const key in attributes) {
      const value = attributes[key];
      size += key.length + 4 + (typeof value === 'string' ? value.length : 16);
    }
  }
  if (record.exception !== undefined) size += (record.exception.stacktrace?.length ?? 0) + 128;
  return size;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
