import { randomUUID } from 'node:crypto';
import type { AnyValue, LoggerProvider } from '@opentelemetry/api';
import type { Sink, SinkStats } from '../core/sink.ts';
import type { LogRecord } from '../core/record.ts';
import { DEFAULT_LIMITS, type Limits } from '../values/limits.ts';
import { ENV, readEnv, type Env } from '../config/env.ts';
import { describeError, diagnose, diagnoseAlways } from '../core/diagnostics.ts';
import { resolveOtlpConfig, type OtlpConfig, type OtlpSinkOptions } from '../config/otlp.ts';
import { getRegisteredLoggerProvider } from '../otel/global-provider.ts';
import { createProviderSink } from '../otel/otlp/provider-sink.ts';
import { createSdkPipelineSink } from '../otel/otlp/sdk-pipeline-sink.ts';
import { backoffDelay } from '../otel/otlp/retry-policy.ts';
import { mapRecord } from '../otel/mapping.ts';
import type { ExportResult, OtlpExporter } from '../otel/otlp/exporter.ts';
import { sendSync } from '../otel/otlp/send-sync.ts';
import { findApplicationPackage } from '../config/app-package.ts';
import { exitTimeLeft } from '../core/exit-deadline.ts';

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
 * At exit, what is left is sent synchronously (see `send-sync.ts`); the
 * natural end is covered by the pipeline's 'beforeExit' hook calling
 * `flush()`, which sends directly (our timers are unref'd, so only the
 * request keeps the loop alive).
 */

/** Options of {@link createOtlpSink}: the OTLP settings (code wins over env) and how to find them. */
export interface CreateOtlpSinkOptions extends OtlpSinkOptions {
  /** Environment to read OTEL_* from (default `process.env`). */
  readonly env?: Env;
  /** Value limits (default: the configured ones). */
  readonly limits?: Limits;
  /** Emit through this provider instead of exporting ourselves (see docs/opentelemetry.md). */
  readonly loggerProvider?: LoggerProvider;
  /**
   * Use a LoggerProvider registered globally (`@opentelemetry/api` or
   * `@opentelemetry/api-logs`) when there is one, instead of a pipeline of
   * our own (default true).
   */
  readonly useGlobalProvider?: boolean;
  /** Resource attributes added to the detected ones (they win). */
  readonly resource?: Readonly<Record<string, AnyValue>>;
}

/** The OTLP sink's own counters, beyond {@link SinkStats}. */
export interface OtlpSinkStats extends SinkStats {
  /** Records the collector acknowledged (partial-success rejections not included). */
  readonly exported: number;
  /** Records waiting (queued or in flight). */
  readonly pending: number;
}

/** The OTLP sink; `flush()` takes an optional deadline. */
export interface OtlpSink extends Sink {
  /** Sends everything queued; settles when all is delivered or dropped, or after `timeoutMillis`. Never rejects. */
  flush(options?: { timeoutMillis?: number }): Promise<void>;
  /** Flushes within `timeoutMillis`, then stops; idempotent, never rejects. */
  shutdown(options?: { timeoutMillis?: number }): Promise<void>;
  /** Sends what is left synchronously at exit, within `timeoutMs`. Never throws. */
  flushSync(timeoutMs?: number): void;
  stats(): OtlpSinkStats;
}

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

type Dropped = Record<string, number>;

/** Set by the first 'exit' listener: from then on, flushSync() must deliver synchronously. */
let processExiting = false;
let exitWatched = false;

function watchExit(): void {
  if (exitWatched) return;
  exitWatched = true;
  process.prependListener('exit', () => {
    processExiting = true;
  });
}

/** One batch on its way: sent, or waiting for its next attempt. */
interface Batch {
  readonly records: LogRecord[];
  readonly started: number;
  attempt: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Batches in flight at once. One request at a time cannot keep up with a
 * busy process (each round trip takes several loop turns); four overlap the
 * network waits, and the agent's four sockets match.
 */
const MAX_CONCURRENT_BATCHES = 4;

class OtlpExportSink implements OtlpSink {
  readonly #config: OtlpConfig;
  readonly #limits: Limits;
  readonly #env: Env;
  readonly #extraResource: Readonly<Record<string, AnyValue>> | undefined;
  readonly #exitTimeoutMs: number;
  readonly #instanceId = randomUUID();
  #queue: LogRecord[] = [];
  #batches = new Set<Batch>();
  #exporter: OtlpExporter | undefined;
  #loading: Promise<void> | undefined;
  /** The schedule-delay timer (a partial batch waits for it). */
  #timer: NodeJS.Timeout | undefined;
  #urgent = 0;
  #closed = false;
  #shutdown: Promise<void> | undefined;
  #exitHooked = false;
  readonly #onExit = (): void => this.flushSync(exitTimeLeft());
  #idle: Array<() => void> = [];
  #received = 0;
  #exported = 0;
  #dropped: Dropped = {};

  constructor(config: OtlpConfig, limits: Limits, options: CreateOtlpSinkOptions) {
    this.#config = config;
    this.#limits = limits;
    this.#env = options.env ?? process.env;
    this.#extraResource = options.resource;
    this.#exitTimeoutMs = options.exitTimeoutMillis ?? readEnv(ENV.exitTimeout, this.#env);
    watchExit();
  }

  emit(record: LogRecord): void {
    this.#received++;
    if (this.#closed) return this.#drop('shutdown', 1);
    if (this.#queue.length >= this.#config.maxQueueSize) return this.#drop('queue_full', 1);
    this.#queue.push(record);
    if (this.#queue.length === this.#config.maxExportBatchSize) this.#schedule(0);
    else if (this.#timer === undefined) this.#schedule(this.#config.scheduleDelayMillis);
  }

  async flush(options: { timeoutMillis?: number } = {}): Promise<void> {
    if (this.#isIdle()) return;
    this.#urgent++;
    try {
      const idle = new Promise<void>((resolve) => this.#idle.push(resolve));
      // directly, not through a timer: our timers are unref'd, and on 'beforeExit' only pending I/O keeps the loop alive
      this.#clearTimer();
      this.#pump();
      // someone awaits delivery: a retry wait must not let the loop end under them
      for (const batch of this.#batches) batch.timer?.ref();
      await withTimeout(idle, options.timeoutMillis ?? this.#config.exportTimeoutMillis);
    } finally {
      if (--this.#urgent === 0) for (const batch of this.#batches) batch.timer?.unref();
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
    if (!processExiting && timeoutMs === undefined && exitTimeLeft() === undefined) {
      // Not exiting: the sink is being replaced (configure() again), and shutdown() follows, which
      // delivers without blocking. Only if the process ends first are the records sent from here.
      if (!this.#exitHooked) {
        this.#exitHooked = true;
        process.once('exit', this.#onExit);
      }
      return;
    }
    const records = this.#takeAll();
    if (records.length === 0) return;
    const budget = timeoutMs ?? this.#exitTimeoutMs;
    if (budget <= 0) this.#drop('exit_undelivered', records.length, 'no time was left at exit');
    else this.#sendAtExit(records, budget);
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
    const left = this.#takeAll().length;
    if (left > 0) this.#drop('undelivered', left, 'records still pending at shutdown');
    this.#settleIdle();
    if (this.#exitHooked) process.off('exit', this.#onExit);
    await this.#exporter?.shutdown();
  }

  stats(): OtlpSinkStats {
    let pending = this.#queue.length;
    for (const batch of this.#batches) pending += batch.records.length;
    return { name: 'otlp', received: this.#received, exported: this.#exported, pending, dropped: { ...this.#dropped } };
  }

  /** Empties the queue and forgets every batch (their late answers are then ignored); returns their records, oldest first. */
  #takeAll(): LogRecord[] {
    const records: LogRecord[] = [];
    for (const batch of this.#batches) {
      clearTimeout(batch.timer);
      records.push(...batch.records);
    }
    records.push(...this.#queue);
    this.#batches.clear();
    this.#queue = [];
    this.#clearTimer();
    return records;
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

  /** Starts batches while there is room, unless one waits for a retry (the collector is unwell: do not pile on). */
  #pump(): void {
    if (this.#exporter === undefined) {
      this.#loading ??= this.#load();
      return;
    }
    for (const batch of this.#batches) if (batch.timer !== undefined) return;
    while (this.#queue.length > 0 && this.#batches.size < MAX_CONCURRENT_BATCHES) {
      const batch: Batch = {
        records: this.#queue.splice(0, this.#config.maxExportBatchSize), started: Date.now(), attempt: 0, timer: undefined,
      };
      this.#batches.add(batch);
      this.#send(batch);
    }
    if (this.#isIdle()) this.#settleIdle();
  }

  #send(batch: Batch): void {
    batch.timer = undefined;
    this.#exporter!.send(batch.records).then(
      (result) => this.#handle(batch, result),
      (error: unknown) => this.#handle(batch, { kind: 'retry', reason: describeError(error) }),
    );
  }

  #handle(batch: Batch, result: ExportResult): void {
    if (!this.#batches.has(batch)) return; // taken over by flushSync() or shutdown()
    const n = batch.records.length;
    if (result.kind === 'retry') {
      const delay = result.retryAfterMs ?? backoffDelay(++batch.attempt);
      if (Date.now() + delay - batch.started <= this.#config.exportTimeoutMillis) {
        batch.timer = setTimeout(() => this.#send(batch), delay);
        if (this.#urgent === 0) batch.timer.unref();
        return;
      }
      this.#drop('retry_timeout', n, `collector unavailable for ${this.#config.exportTimeoutMillis} ms (last: ${result.reason})`);
    } else if (result.kind === 'fail') {
      this.#drop('export_failed', n, `the collector refused a batch permanently (${result.reason})`);
    } else {
      const rejected = Math.min(result.partial?.rejected ?? 0, n);
      this.#exported += n - rejected;
      if (rejected > 0) this.#drop('rejected', rejected, `the collector rejected records (${result.partial?.message ?? ''})`);
    }
    this.#batches.delete(batch);
    if (this.#urgent > 0 || this.#queue.length >= this.#config.maxExportBatchSize) this.#pump();
    else if (this.#queue.length > 0) this.#schedule(this.#config.scheduleDelayMillis);
    else if (this.#isIdle()) this.#settleIdle();
  }

  async #load(): Promise<void> {
    try {
      const { createOtlpExporter } = await import('../otel/otlp/exporter.ts');
      this.#exporter = await createOtlpExporter(this.#config, this.#limits, this.#env, this.#instanceId, { extra: this.#extraResource });
    } catch (error) {
      const n = this.#takeAll().length;
      this.#closed = true;
      diagnoseAlways('OTLP_UNAVAILABLE', `the OTLP exporter could not start (${describeError(error)}); ${n} records dropped, later ones too`);
      this.#dropped.export_failed = (this.#dropped.export_failed ?? 0) + n;
      this.#settleIdle();
      return;
    }
    if (this.#urgent > 0) this.#pump();
    else this.#schedule(0);
  }

  #isIdle(): boolean {
    return this.#queue.length === 0 && this.#batches.size === 0;
  }

  #settleIdle(): void {
    const waiters = this.#idle;
    this.#idle = [];
    for (const resolve of waiters) resolve();
  }

  #drop(reason: string, n: number, why?: string): void {
    this.#dropped[reason] = (this.#dropped[reason] ?? 0) + n;
    const total = this.#dropped[reason];
    const text = why ?? (reason === 'queue_full'
      ? `the OTLP queue is full (${this.#config.maxQueueSize} records; OTEL_BLRP_MAX_QUEUE_SIZE)`
      : 'records logged after shutdown');
    diagnose(`OTLP_DROPPED_${reason.toUpperCase()}`, `${text}; ${total} records dropped so far (${reason})`);
  }

  #sendAtExit(records: LogRecord[], timeoutMs: number): void {
    const exporter = this.#exporter;
    let bodies: Array<{ body: Uint8Array; count: number }> | undefined;
    if (exporter?.encode !== undefined) {
      // encoded here (the encoder is loaded): the child only sends
      bodies = [];
      for (let i = 0; i < records.length; i += this.#config.maxExportBatchSize) {
        const batch = records.slice(i, i + this.#config.maxExportBatchSize);
        bodies.push({ body: exporter.encode(batch), count: batch.length });
      }
    }
    const prepared = bodies === undefined ? records.map((record) => mapRecord(record, this.#limits)) : [];
    const outcome = sendSync({
      bodies,
      contentType: exporter?.contentType,
      config: this.#config,
      limits: this.#limits,
      resource: this.#exporter?.resource,
      extraResource: { ...processAttributes(), ...this.#extraResource },
      instanceId: this.#instanceId,
      env: pickEnv(this.#env),
      records: prepared,
    }, timeoutMs);
    this.#exported += outcome.exported - outcome.rejected;
    if (outcome.rejected > 0) this.#drop('rejected', outcome.rejected, 'the collector rejected records at exit');
    if (outcome.failed > 0) this.#drop('exit_undelivered', outcome.failed, `records not delivered at exit (${outcome.problem})`);
  }
}

/** This process's own attributes, which the exit child would otherwise detect as its own. */
function processAttributes(): Record<string, AnyValue> {
  return {
    'process.pid': process.pid,
    'process.executable.name': process.title,
    'process.executable.path': process.execPath,
    'process.command': process.argv[1] ?? '',
  };
}

/** The variables the exit child needs to rebuild the resource (it gets no other environment). */
function pickEnv(env: Env): Record<string, string | undefined> {
  const app = findApplicationPackage(env);
  const out: Record<string, string | undefined> = { npm_package_name: app?.name, npm_package_version: app?.version };
  for (const [key, value] of Object.entries(env)) if (key.startsWith('OTEL_') || key.startsWith('npm_package_')) out[key] = value;
  return out;
}

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
