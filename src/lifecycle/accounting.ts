import type { SinkStats } from '../core/sink.ts';
import { diagnoseAlways } from '../core/diagnostics.ts';

/**
 * The final accounting: at shutdown or process exit, one stderr line that
 * says how many records were emitted and what became of them, sink by sink,
 * whenever anything was dropped, left undelivered, or is in doubt (sent
 * without an answer: `unconfirmed`; sent twice: `possibly duplicated`).
 * Silent when all is well: a healthy process ends without a word from
 * logbridge. Per sink: received = delivered + dropped + undelivered +
 * unconfirmed, exactly.
 *
 * ```text
 * logbridge: ACCOUNTING: 1200 records emitted, 2 dropped before the sinks (recursion: 2);
 *   sink "stdout": 1198 received; sink "otlp": 1198 received, 950 exported, 200 dropped (queue_full: 200), 48 undelivered
 * ```
 * (one line in reality).
 */

/** The counters the accounting reads; `Pipeline` provides them. */
export interface AccountingSource {
  /** Records handed to the pipeline. */
  readonly emitted: number;
  /** Records dropped before reaching the sinks, by reason. */
  readonly pipelineDrops: Readonly<Record<string, number>>;
  /** Each sink's counters. */
  stats(): SinkStats[];
}

/** One sink's counters, as far as the sink reports them. */
export interface SinkAccount {
  readonly name: string;
  readonly received: number;
  /** Records the sink confirmed delivered (OTLP: exported), when it says. */
  readonly delivered: number | undefined;
  readonly dropped: Readonly<Record<string, number>>;
  /** Records accepted but neither delivered nor dropped (still queued at exit). */
  readonly undelivered: number;
  /** Records sent without an answer: they may or may not have arrived. */
  readonly unconfirmed: number;
  /** Delivered records that had been sent before without an answer: they may have arrived twice. */
  readonly duplicates: number;
}

/** What happened to the records of this process. */
export interface Accounting {
  readonly emitted: number;
  readonly pipelineDrops: Readonly<Record<string, number>>;
  readonly sinks: readonly SinkAccount[];
  /** Whether anything was dropped or left undelivered. */
  readonly lossy: boolean;
}

/** Reads the counters now. Never throws. */
export function takeAccounting(source: AccountingSource): Accounting {
  let stats: SinkStats[] = [];
  try {
    stats = source.stats();
  } catch {
    // a broken stats() must not break shutdown
  }
  const sinks = stats.map((s, i) => toAccount(s, i));
  const pipelineDrops = positive(source.pipelineDrops);
  const lossy = total(pipelineDrops) > 0 ||
    sinks.some((s) => total(s.dropped) > 0 || s.undelivered > 0 || s.unconfirmed > 0 || s.duplicates > 0);
  return { emitted: source.emitted, pipelineDrops, sinks, lossy };
}

/** The accounting line (no trailing newline), or `undefined` when nothing was lost. */
export function formatAccounting(accounting: Accounting): string | undefined {
  if (!accounting.lossy) return undefined;
  let line = `${accounting.emitted} record${accounting.emitted === 1 ? '' : 's'} emitted`;
  const before = total(accounting.pipelineDrops);
  if (before > 0) line += `, ${before} dropped before the sinks (${reasons(accounting.pipelineDrops)})`;
  for (const sink of accounting.sinks) {
    line += `; sink ${JSON.stringify(sink.name)}: ${sink.received} received`;
    if (sink.delivered !== undefined) line += `, ${sink.delivered} delivered`;
    const dropped = total(sink.dropped);
    if (dropped > 0) line += `, ${dropped} dropped (${reasons(sink.dropped)})`;
    if (sink.undelivered > 0) line += `, ${sink.undelivered} undelivered`;
    if (sink.unconfirmed > 0) line += `, ${sink.unconfirmed} unconfirmed (sent, no answer: may have arrived)`;
    if (sink.duplicates > 0) line += `, ${sink.duplicates} possibly duplicated (sent again at exit)`;
  }
  return line;
}

let reported = false;

/**
 * Writes the accounting line to stderr once per process, if anything was
 * lost; later calls do nothing. Never throws.
 */
export function reportAccounting(source: AccountingSource): void {
  if (reported) return;
  try {
    const line = formatAccounting(takeAccounting(source));
    if (line === undefined) return;
    reported = true;
    diagnoseAlways('ACCOUNTING', line);
  } catch {
    // accounting is a courtesy: never let it break an exit
  }
}

/** Test hook: allow the next {@link reportAccounting} to write again. */
export function resetAccounting(): void {
  reported = false;
}

function toAccount(stats: SinkStats, index: number): SinkAccount {
  const loose = stats as unknown as Record<string, unknown>;
  const name = typeof loose.name === 'string' && loose.name !== '' ? loose.name : `sink ${index}`;
  const delivered = firstNumber(loose, ['exported', 'delivered', 'written']);
  const dropped = positive(stats.dropped);
  const unconfirmed = firstNumber(loose, ['unconfirmed']) ?? 0;
  const duplicates = firstNumber(loose, ['duplicates']) ?? 0;
  let undelivered = firstNumber(loose, ['pending', 'queued', 'undelivered']);
  if (undelivered === undefined && delivered !== undefined) {
    undelivered = Math.max(0, stats.received - delivered - total(dropped) - unconfirmed);
  }
  return { name, received: stats.received, delivered, dropped, undelivered: undelivered ?? 0, unconfirmed, duplicates };
}

function firstNumber(object: Record<string, unknown>, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const value = object[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

function positive(counts: Readonly<Record<string, number>> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [reason, n] of Object.entries(counts ?? {})) if (typeof n === 'number' && n > 0) out[reason] = n;
  return out;
}

function total(counts: Readonly<Record<string, number>>): number {
  let n = 0;
  for (const value of Object.values(counts)) n += value;
  return n;
}

function reasons(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts).map(([reason, n]) => `${reason}: ${n}`).join(', ');
}
