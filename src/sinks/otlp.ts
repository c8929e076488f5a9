import type { AnyValue } from '@opentelemetry/api';
import type { Sink } from '../core/sink.ts';
import type { CreateOtlpSinkOptions, OtlpSink, OtlpSinkStats } from './otlp-types.ts';
import type { FlushOptions } from '../core/sink.ts';
import type { LogRecord } from '../core/record.ts';
import { DEFAULT_LIMITS, type Limits } from '../values/limits.ts';
import { ENV, readEnv, type Env } from '../config/env.ts';
import { describeError, diagnoseAlways } from '../core/diagnostics.ts';
import { resolveOtlpConfig, type OtlpConfig } from '../config/otlp.ts';
import { getRegisteredLoggerProvider } from '../otel/global-provider.ts';
import { processInstanceId } from '../otel/instance-id.ts';
import { createProviderSink } from '../otel/otlp/provider-sink.ts';
import { createSdkPipelineSink } from '../otel/otlp/sdk-pipeline-sink.ts';
import { backoffDelay } from '../otel/otlp/retry-policy.ts';
import type { ExportResult, OtlpExporter } from '../otel/otlp/exporter.ts';
import { exitStartedAt, exitTimeLeft, isProcessExiting } from '../core/exit-deadline.ts';
import { addExitTask } from '../core/exit-tasks.ts';
import { settleWithin } from '../core/settle-within.ts';
import { deliverAtExit, MIN_EXIT_SEND_MS, REFUSED_AT_EXIT_MS } from './otlp-exit.ts';
import { OtlpLedger } from './otlp-ledger.ts';
import { OtlpQueue, type Batch } from './otlp-queue.ts';

/**
 * The OTLP sink: records are queued as they are (immutable, so this costs a
 * push), and sent in batches off the caller's stack through the encoder
 * (the one mapping, then the protobuf or OTLP/JSON writer) and an OTLP
 * transport that load lazily on first use. Delivery is
 * ours, not the SDK batch processor's, so that every loss is counted:
 * a bounded queue (drops counted as `queue_full`), one batch in flight,
 * transient failures retried with backoff and jitter or after Retry-After
 * until `exportTimeoutMillis` (then `retry_timeout`), permanent failures
 * (`export_failed`) and partial-success rejections (`rejected`) counted.
 * At exit, what is left is sent synchronously (see `otlp-exit.ts`); the
 * natural end is covered by the lifecycle's 'beforeExit' hook calling
 * `flush()`, which sends directly. Nothing of ours keeps the process alive
 * (timers and sockets are unref'd), so the natural end, and its deadline,
 * come even while a request hangs.
 *
 * A record at FATAL is never refused by a full queue (otlp-queue.ts). What
 * became of each record is counted in otlp-ledger.ts: received = exported +
 * dropped + pending + unconfirmed (sent without an answer at the end), with
 * records sent twice at exit counted as `duplicates`.
 */

export type { CreateOtlpSinkOptions, OtlpSink, OtlpSinkStats } from './otlp-types.ts';

/**
 * Creates the OTLP sink. With a `loggerProvider` given, or one registered
 * globally, records go through it instead (one pipeline, no double export).
 * With `pipeline: 'sdk'` (`LOGBRIDGE_OTLP_PIPELINE=sdk`) they go through the
 * official SDK pipeline (`otel/otlp/sdk-pipeline.ts`), loaded on first use.
 * Never throws for bad environment values (they are reported and replaced).
 */
export function createOtlpSink(options: CreateOtlpSinkOptions = {}): Sink {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const provider = options.loggerProvider ??
    (options.useGlobalProvider === false ? undefined : getRegisteredLoggerProvider());
  if (provider !== undefined) return createProviderSink(provider, limits);
  const config = resolveOtlpConfig(options.env ?? process.env, options);
  // LOGBRIDGE_OTLP_PIPELINE=sdk: the official SDK pipeline, loaded on the first record
  if (config.pipeline === 'sdk') return createSdkPipelineSink(config, limits, options.env ?? process.env, options.resource);
  return new OtlpExportSink(config, limits, options);
}

class OtlpExportSink implements OtlpSink {
  readonly #config: OtlpConfig;
  readonly #limits: Limits;
  readonly #env: Env;
  readonly #extraResource: Readonly<Record<string, AnyValue>> | undefined;
  readonly #exitTimeoutMs: number;
  readonly #queue: OtlpQueue;
  #exporter: OtlpExporter | undefined;
  #loading: Promise<void> | undefined;
  /** The schedule-delay timer (a partial batch waits for it). */
  #timer: NodeJS.Timeout | undefined;
  #urgent = 0;
  #closed = false;
  #shutdown: Promise<void> | undefined;
  #removeExitTask: (() => void) | undefined;
  /** When the last attempt found the collector refusing connections (epoch ms), else undefined. */
  #refusedAt: number | undefined;
  /** Flushes in progress that hold the process open (retry timers ref'd). */
  #holding = 0;
  readonly #ledger: OtlpLedger;

  constructor(config: OtlpConfig, limits: Limits, options: CreateOtlpSinkOptions) {
    this.#config = config;
    this.#limits = limits;
    this.#env = options.env ?? process.env;
    this.#extraResource = options.resource;
    this.#exitTimeoutMs = options.exitTimeoutMillis ?? readEnv(ENV.exitTimeout, this.#env);
    this.#ledger = new OtlpLedger(config.maxQueueSize);
    this.#queue = new OtlpQueue(config.maxQueueSize);
  }

  emit(record: LogRecord): void {
    this.#ledger.received++;
    if (this.#closed) return this.#drop('shutdown', 1);
    const evicted = this.#queue.add(record);
    if (evicted === 'refused') return this.#drop('queue_full', 1);
    if (evicted === 'evicted') this.#drop('queue_full', 1, 'the OTLP queue is full: the oldest record was evicted for a FATAL one');
    // the OTLP half starts loading with the first record, not the first batch: records pile up while it loads
    if (this.#exporter === undefined) this.#loading ??= this.#load();
    if (this.#queue.waiting === this.#config.maxExportBatchSize) this.#schedule(0);
    else if (this.#timer === undefined) this.#schedule(this.#config.scheduleDelayMillis);
  }

  async flush(options: FlushOptions = {}): Promise<void> {
    if (this.#queue.isEmpty()) return;
    const hold = options.holdProcess !== false;
    this.#urgent++;
    if (hold) this.#holding++;
    try {
      // Settles when the records received so far are settled, not when the queue is empty: an
      // application that keeps logging must not keep a flush (a signal's, an exit's) from ending.
      const settled = this.#ledger.settledUpTo(this.#ledger.received);
      // directly, not through a timer: our timers are unref'd, and on 'beforeExit' only pending I/O keeps the loop alive
      this.#clearTimer();
      this.#pump();
      // someone awaits delivery: a retry wait must not let the loop end under them
      if (hold) for (const batch of this.#queue.batches) batch.timer?.ref();
      await settleWithin(settled, options.timeoutMillis ?? this.#config.exportTimeoutMillis);
    } finally {
      this.#urgent--;
      if (hold && --this.#holding === 0) for (const batch of this.#queue.batches) batch.timer?.unref();
    }
  }

  /**
   * Sends what is left (queued, and batches in flight or waiting for a
   * retry, which may then arrive twice: at-least-once beats losing them)
   * through a child process, waiting at most `timeoutMs` (default: the
   * `exitTimeoutMillis` option, else `LOGBRIDGE_EXIT_TIMEOUT_MS`). Never throws.
   */
  flushSync(timeoutMs?: number): void {
    // Exiting: the 'exit' event came, or an exit deadline runs (signal and crash paths end without 'exit'),
    // or the caller gave a deadline. Otherwise this is configure() replacing the sink.
    if (!isProcessExiting() && timeoutMs === undefined && exitTimeLeft() === undefined) {
      // Not exiting: the sink is being replaced (configure() again), and shutdown() follows, which
      // delivers without blocking. Only if the process ends first are the records sent from here.
      this.#removeExitTask ??= addExitTask(() => this.flushSync(exitTimeLeft() ?? this.#exitTimeoutMs));
      return;
    }
    const { fresh, resent } = this.#takeAll();
    if (fresh.length + resent.length === 0) return;
    const budget = timeoutMs ?? this.#exitTimeoutMs;
    if (budget < MIN_EXIT_SEND_MS) this.#leaveAtExit(fresh, resent, 'no time was left at exit');
    else if (this.#refusingAtExit()) this.#leaveAtExit(fresh, resent, 'the collector refused connections at exit');
    else this.#deliverAtExit(fresh, resent, budget);
  }

  /**
   * Flushes (within `timeoutMillis`, default `exportTimeoutMillis`), then
   * stops: what is still pending is counted as `undelivered`, later records
   * as `shutdown`. Idempotent; never rejects.
   */
  shutdown(options: { timeoutMillis?: number } = {}): Promise<void> {
    this.#shutdown ??= this.#doShutdown(options.timeoutMillis);
    return this.#shutdown;
  }

  async #doShutdown(timeoutMillis: number | undefined): Promise<void> {
    await this.flush(timeoutMillis === undefined ? {} : { timeoutMillis });
    this.#closed = true;
    // requests still in flight are ignored when they settle: they are counted here
    const { fresh, resent } = this.#takeAll();
    if (fresh.length > 0) this.#drop('undelivered', fresh.length, 'records still pending at shutdown');
    this.#ledger.unconfirmed += resent.length;
    this.#settleIdle();
    this.#removeExitTask?.();
    await this.#exporter?.shutdown();
  }

  stats(): OtlpSinkStats {
    return this.#ledger.stats(this.#queue.pending);
  }

  /** Takes every record out of the queue and its batches (see OtlpQueue.takeAll), and stops the timer. */
  #takeAll(keepInFlight = false): { fresh: LogRecord[]; resent: LogRecord[] } {
    this.#clearTimer();
    return this.#queue.takeAll(keepInFlight);
  }

  /** Whether the process is ending and the collector has refused connections since long enough ago. */
  #refusingAtExit(): boolean {
    const start = exitStartedAt();
    return start !== undefined && this.#refusedAt !== undefined && Date.now() - start >= REFUSED_AT_EXIT_MS;
  }

  /** Counts records left at exit: never sent ones as `exit_undelivered`, unanswered ones as unconfirmed. */
  #leaveAtExit(fresh: readonly LogRecord[], resent: readonly LogRecord[], why: string): void {
    if (fresh.length > 0) this.#drop('exit_undelivered', fresh.length, why);
    this.#ledger.unconfirmed += resent.length;
  }

  #schedule(delayMs: number): void {
    if (this.#timer !== undefined) {
      if (delayMs > 0) return;
      clearTimeout(this.#timer);
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, delayMs);
    this.#timer.unref(); // never hold the process open: exit paths flush instead
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Starts batches while there is room, unless one is being retried (the collector is unwell: do not pile on). */
  #pump(): void {
    if (this.#exporter === undefined) {
      this.#loading ??= this.#load();
      return;
    }
    if (this.#queue.unwell) return;
    const size = this.#config.maxExportBatchSize;
    while (this.#queue.waiting > 0 && this.#queue.hasRoom(size)) {
      this.#send(this.#queue.nextBatch(size));
    }
    if (this.#queue.isEmpty()) this.#settleIdle();
  }

  #send(batch: Batch): void {
    batch.timer = undefined;
    batch.inFlight = true;
    this.#exporter!.send(batch.records).then(
      (result) => this.#handle(batch, result),
      (error: unknown) => this.#handle(batch, { kind: 'retry', reason: describeError(error) }),
    );
  }

  #handle(batch: Batch, result: ExportResult): void {
    if (!this.#queue.batches.has(batch)) return; // taken over by flushSync() or shutdown()
    batch.inFlight = false;
    const n = batch.records.length;
    this.#refusedAt = result.kind === 'retry' && result.refused === true ? Date.now() : undefined;
    if (result.kind === 'retry') {
      if (result.ambiguous === true) batch.maybeDelivered = true;
      batch.retrying = true;
      // an older batch is still on its way: retry after it, so records arrive in the order they were logged
      if (!this.#queue.isOldest(batch)) return; // parked: no timer, sent when the older ones settle
      let delay = result.retryAfterMs ?? backoffDelay(++batch.attempt);
      const exitStart = exitStartedAt();
      if (result.refused === true && exitStart !== undefined) {
        // Ending, and the collector is down: a short try (REFUSED_AT_EXIT_MS), not the whole deadline.
        const graceLeft = exitStart + REFUSED_AT_EXIT_MS - Date.now();
        if (graceLeft <= 0) return this.#giveUpRefused();
        delay = Math.min(delay, graceLeft);
      }
      if (Date.now() + delay - batch.started <= this.#config.exportTimeoutMillis) {
        batch.timer = setTimeout(() => this.#send(batch), delay);
        if (this.#holding === 0) batch.timer.unref();
        return;
      }
      this.#drop('retry_timeout', n, `collector unavailable for ${this.#config.exportTimeoutMillis} ms (last: ${result.reason})`);
    } else if (result.kind === 'fail') {
      this.#drop('export_failed', n, `the collector refused a batch permanently (${result.reason})`);
    } else {
      const rejected = Math.min(result.partial?.rejected ?? 0, n);
      this.#ledger.exported += n - rejected;
      if (rejected > 0) this.#drop('rejected', rejected, `the collector rejected records (${result.partial?.message ?? ''})`);
    }
    this.#queue.batches.delete(batch);
    const next = this.#queue.firstParked();
    if (next !== undefined) this.#send(next);
    if (this.#urgent > 0 || this.#queue.waiting >= this.#config.maxExportBatchSize) this.#pump();
    else if (this.#queue.waiting > 0) this.#schedule(this.#config.scheduleDelayMillis);
    this.#settleIdle();
  }

  async #load(): Promise<void> {
    try {
      const { createOtlpExporter } = await import('../otel/otlp/exporter.ts');
      this.#exporter = await createOtlpExporter(this.#config, this.#limits, this.#env, processInstanceId(), { extra: this.#extraResource });
    } catch (error) {
      const { fresh, resent } = this.#takeAll();
      const n = fresh.length + resent.length;
      this.#closed = true;
      diagnoseAlways('OTLP_UNAVAILABLE', `the OTLP exporter could not start (${describeError(error)}); ${n} records dropped, later ones too`);
      this.#ledger.count('export_failed', n);
      this.#settleIdle();
      return;
    }
    // a full batch waits, or a flush: send now; a partial one waits for its schedule delay (at once if that passed)
    if (this.#urgent > 0 || this.#queue.waiting >= this.#config.maxExportBatchSize) this.#pump();
    else if (this.#queue.waiting > 0 && this.#timer === undefined) this.#schedule(0);
  }

  /** The collector refused connections past REFUSED_AT_EXIT_MS at exit: everything not in flight is left. */
  #giveUpRefused(): void {
    const { fresh, resent } = this.#takeAll(true);
    this.#leaveAtExit(fresh, resent, 'the collector refused connections at exit');
    if (this.#queue.isEmpty()) this.#settleIdle();
  }

  /** Resolves the flushes whose records are all settled (or every one, when nothing is left). */
  #settleIdle(): void {
    this.#ledger.settle(this.#queue.isEmpty());
  }

  #drop(reason: string, n: number, why?: string): void {
    this.#ledger.drop(reason, n, why);
  }

  /** Sends what is left through the exit sender, within `timeoutMs`, and counts each request's outcome. */
  #deliverAtExit(fresh: LogRecord[], resent: LogRecord[], timeoutMs: number): void {
    const result = deliverAtExit(fresh, resent, {
      config: this.#config, limits: this.#limits, env: this.#env, instanceId: processInstanceId(),
      exporter: this.#exporter, extraResource: this.#extraResource,
    }, timeoutMs);
    this.#ledger.exported += result.exported;
    this.#ledger.duplicates += result.duplicates;
    this.#ledger.unconfirmed += result.unconfirmed;
    if (result.rejected > 0) this.#drop('rejected', result.rejected, 'the collector rejected records at exit');
    if (result.failed > 0) this.#drop('exit_undelivered', result.failed, `records not delivered at exit (${result.problem})`);
  }
}
