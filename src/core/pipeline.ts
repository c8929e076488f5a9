import type { LogRecord } from './record.ts';
import { ABSORB, canAbsorb, type Processor, type Sink, type SinkStats } from './sink.ts';
import { describeError, diagnose } from './diagnostics.ts';
import { exitTimeLeft } from './exit-deadline.ts';
import { settleWithin } from './settle-within.ts';

/**
 * The fan-out: processors run once per record, in order, then every sink
 * receives the result. Each sink is isolated: one that throws is reported on
 * stderr (rate-limited) and the others still get the record. Logging from
 * inside a sink or a processor is cut off after a few levels of nesting.
 */
export class Pipeline {
  #sinks: readonly Sink[] = [];
  #processors: readonly Processor[] = [];
  /** The processors `emit` runs: all of them, or all but the last when the only sink absorbed it (sink.ts, ABSORB). */
  #running: readonly Processor[] = [];
  #depth = 0;
  #shutdown: Promise<void> | undefined;
  /** Records dropped because logging recursed (a getter or sink that logs). */
  recursionDrops = 0;
  /** Records dropped after shutdown. */
  lateDrops = 0;
  /** Records handed to `emit()`, for the final accounting. */
  emitted = 0;
  /**
   * Called after each record reached the sinks, when set: once the process
   * is exiting, the exit hooks make every later record (from an `exit`
   * listener that runs after ours) go out synchronously.
   */
  afterEmit: (() => void) | undefined;

  /** Records dropped before reaching any sink, by reason (processors' filtering is not a loss). */
  get pipelineDrops(): Record<string, number> {
    return { recursion: this.recursionDrops, after_shutdown: this.lateDrops };
  }

  get sinks(): readonly Sink[] {
    return this.#sinks;
  }

  get processors(): readonly Processor[] {
    return this.#processors;
  }

  /**
   * Replaces sinks and processors. Sinks that are no longer used are flushed
   * synchronously (so their lines keep their order) and shut down.
   */
  configure(sinks: readonly Sink[], processors: readonly Processor[]): void {
    const old = this.#sinks.filter((s) => !sinks.includes(s));
    this.#sinks = sinks;
    this.#processors = processors;
    this.#running = this.#absorb();
    this.#shutdown = undefined;
    for (const sink of old) {
      guard('flushSync', () => sink.flushSync?.());
      void settle(sink.shutdown?.());
    }
  }

  /**
   * Swaps sinks and processors without flushing or shutting down the old
   * ones (test capture); returns them so they can be swapped back.
   */
  swap(sinks: readonly Sink[], processors: readonly Processor[]): [readonly Sink[], readonly Processor[]] {
    const previous: [readonly Sink[], readonly Processor[]] = [this.#sinks, this.#processors];
    this.#sinks = sinks;
    this.#processors = processors;
    this.#running = this.#absorb();
    return previous;
  }

  /** Offers the last processor to a sink that is the only one; the processors left to run. */
  #absorb(): readonly Processor[] {
    const processors = this.#processors;
    const last = this.#sinks.length === 1 ? processors.at(-1) : undefined;
    let absorbed = false;
    for (const sink of this.#sinks) {
      if (canAbsorb(sink) && sink[ABSORB](last) && last !== undefined) absorbed = true;
    }
    return absorbed ? processors.slice(0, -1) : processors;
  }

  /** Runs the processors and hands the record to every sink. Never throws. */
  emit(record: LogRecord): void {
    this.emitted++;
    if (this.#shutdown !== undefined) {
      this.lateDrops++;
      return;
    }
    if (this.#depth > 2) {
      this.recursionDrops++;
      diagnose('RECURSION', 'a log call was made while logging (from a getter, toJSON or sink); it was dropped');
      return;
    }
    this.#depth++;
    try {
      let current: LogRecord | undefined = record;
      for (const processor of this.#running) {
        try {
          current = processor(current);
        } catch (error) {
          diagnose('PROCESSOR_FAILED', `a processor threw (${describeError(error)}); the record went on unchanged`);
        }
        if (current === undefined) return;
      }
      for (const sink of this.#sinks) {
        try {
          sink.emit(current);
        } catch (error) {
          diagnose('SINK_FAILED', `a sink threw (${describeError(error)}); the other sinks still got the record`);
        }
      }
      this.afterEmit?.();
    } finally {
      this.#depth--;
    }
  }

  /**
   * Flushes every sink, each told the deadline; settles when all have
   * settled or `timeoutMs` passed. `holdProcess: false`: see `Sink.flush`.
   */
  async flush(timeoutMs = 30_000, holdProcess = true): Promise<void> {
    const options = { timeoutMillis: timeoutMs, holdProcess };
    await settleWithin(Promise.allSettled(this.#sinks.map((s) => settle(s.flush?.(options)))), timeoutMs);
  }

  /**
   * Synchronous best-effort flush of every sink (exit, crash). While the
   * exit deadline runs, the sinks share what is left of it: each in turn
   * gets a fair part (what is left divided by the sinks still to go), so a
   * stdout reader that does not read cannot take the time of the OTLP
   * sink, and a sink that needs no time leaves it to the next. Without a
   * deadline each sink gets `timeoutMs` (see `Sink.flushSync`). Never throws.
   */
  flushSync(timeoutMs?: number): void {
    const sinks = this.#sinks;
    for (let i = 0; i < sinks.length; i++) {
      const left = exitTimeLeft();
      const share = left === undefined ? timeoutMs : Math.floor(left / (sinks.length - i));
      guard('flushSync', () => sinks[i]!.flushSync?.(share));
    }
  }

  /**
   * Flushes and shuts down every sink, once: later calls return the same
   * promise, and records logged afterwards are dropped and counted.
   */
  shutdown(timeoutMs = 30_000): Promise<void> {
    this.#shutdown ??= settleWithin(
      Promise.allSettled(this.#sinks.map((s) => settle(s.shutdown?.() ?? s.flush?.()))),
      timeoutMs,
    );
    return this.#shutdown;
  }

  /** Each sink's counters, for the final accounting. */
  stats(): SinkStats[] {
    const out: SinkStats[] = [];
    for (const sink of this.#sinks) {
      try {
        if (sink.stats) out.push(sink.stats());
      } catch {
        // a broken stats() must not break shutdown
      }
    }
    return out;
  }
}

function guard(what: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    diagnose('SINK_FAILED', `a sink's ${what}() threw (${describeError(error)})`);
  }
}

/** A promise that resolves when `p` settles, reporting a rejection instead of passing it on. */
function settle(p: Promise<unknown> | undefined): Promise<void> {
  if (p === undefined) return Promise.resolve();
  return p.then(
    () => undefined,
    (error: unknown) => diagnose('SINK_FAILED', `a sink failed to flush (${describeError(error)})`),
  );
}
