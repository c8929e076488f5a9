import type { AnyValue } from '@opentelemetry/api';
import type { LogRecord } from '../core/record.ts';
import type { Limits } from '../values/limits.ts';
import type { Env } from '../config/env.ts';
import type { OtlpConfig } from '../config/otlp.ts';
import { SEVERITY } from '../core/levels.ts';
import { mapRecord } from '../otel/mapping.ts';
import type { OtlpExporter } from '../otel/otlp/exporter.ts';
import { sendSync, type BatchOutcome } from '../otel/otlp/send-sync.ts';
import { findApplicationPackage } from '../config/app-package.ts';

/**
 * The OTLP sink's delivery at exit: what is left goes out synchronously
 * through the exit sender (send-sync.ts), in an order that puts the records
 * the collector needs most first (FATAL ones: the crash), and in requests
 * that keep apart the records already sent once without an answer, so the
 * accounting can tell "perhaps delivered twice" from "delivered".
 */

/**
 * How long, at exit, a collector that refuses connections is tried before
 * its records are counted as undelivered (ms from the start of the end).
 * A dead collector must not hold every CLI, job and test run for the whole
 * deadline; one that answers slowly may still use the rest of it.
 */
export const REFUSED_AT_EXIT_MS = 300;

/**
 * Least time worth starting the exit sender for, ms: its start-up alone
 * takes about that (0.1–0.3 s). With less left, what is left is counted
 * at once instead.
 */
export const MIN_EXIT_SEND_MS = 100;

/** One request of the exit delivery. */
export interface ExitRequest {
  readonly records: readonly LogRecord[];
  /** The records were sent before without an answer: they may arrive twice. */
  readonly resent: boolean;
}

/** What the exit sender needs besides the records. */
export interface ExitContext {
  readonly config: OtlpConfig;
  readonly limits: Limits;
  readonly env: Env;
  readonly instanceId: string;
  readonly exporter: OtlpExporter | undefined;
  readonly extraResource: Readonly<Record<string, AnyValue>> | undefined;
}

/**
 * The requests for `fresh` records (never sent) and `resent` ones (sent
 * without an answer), oldest first within each, FATAL records of `fresh`
 * first of all, then the rest of `fresh`, then `resent`.
 */
export function planExitRequests(fresh: readonly LogRecord[], resent: readonly LogRecord[], size: number): ExitRequest[] {
  const fatal = fresh.filter((r) => r.severityNumber >= SEVERITY.fatal);
  const rest = fatal.length === 0 ? fresh : fresh.filter((r) => r.severityNumber < SEVERITY.fatal);
  const out: ExitRequest[] = [];
  const add = (records: readonly LogRecord[], isResent: boolean): void => {
    for (let i = 0; i < records.length; i += size) out.push({ records: records.slice(i, i + size), resent: isResent });
  };
  add(fatal, false);
  add(rest, false);
  add(resent, true);
  return out;
}

/** What became of the records handed to {@link deliverAtExit}. */
export interface ExitDelivery {
  /** Acknowledged, partial-success rejections not included. */
  readonly exported: number;
  /** Of `exported`, those sent before without an answer: they may have arrived twice. */
  readonly duplicates: number;
  /** Rejected by a partial success. */
  readonly rejected: number;
  /** Not delivered, certainly. */
  readonly failed: number;
  /** Perhaps delivered: sent (now or before) without an answer. */
  readonly unconfirmed: number;
  /** Why some were not delivered ('' when all were). */
  readonly problem: string;
}

/**
 * Sends `fresh` records (never sent) and `resent` ones (sent before without
 * an answer) through the exit sender within `timeoutMs`, and counts what
 * became of them: exported + rejected + failed + unconfirmed = all of them.
 * Never throws.
 */
export function deliverAtExit(
  fresh: readonly LogRecord[], resent: readonly LogRecord[], context: ExitContext, timeoutMs: number,
): ExitDelivery {
  const requests = planExitRequests(fresh, resent, context.config.maxExportBatchSize);
  const outcome = sendAtExit(requests, context, timeoutMs);
  const counts = { exported: 0, duplicates: 0, rejected: 0, failed: 0, unconfirmed: 0 };
  outcome.batches.forEach((result, i) => {
    const wasSent = requests[i]!.resent;
    if (result.status === 'ok') {
      counts.exported += result.count - result.rejected;
      counts.rejected += result.rejected;
      if (wasSent) counts.duplicates += result.count;
    } else if (result.status === 'doubt' || wasSent) counts.unconfirmed += result.count;
    else counts.failed += result.count;
  });
  return { ...counts, problem: outcome.problem };
}

/** Sends `requests` through the exit sender within `timeoutMs`; one outcome per request, in order. Never throws. */
function sendAtExit(requests: readonly ExitRequest[], context: ExitContext, timeoutMs: number): { batches: readonly BatchOutcome[]; problem: string } {
  const exporter = context.exporter;
  // encoded here when the encoder is loaded: the child then only sends
  const bodies = exporter?.encode === undefined ? undefined
    : requests.map((r) => ({ body: exporter.encode!(r.records), count: r.records.length }));
  const batches = bodies === undefined ? requests.map((r) => r.records.map((record) => mapRecord(record, context.limits))) : [];
  return sendSync({
    bodies,
    contentType: exporter?.contentType,
    userAgent: exporter?.exitUserAgent,
    config: context.config,
    limits: context.limits,
    resource: exporter?.resource,
    extraResource: { ...processAttributes(), ...context.extraResource },
    instanceId: context.instanceId,
    env: pickEnv(context.env),
    batches,
    refusedBudgetMs: REFUSED_AT_EXIT_MS,
  }, timeoutMs);
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
