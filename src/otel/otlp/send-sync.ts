import { fileURLToPath } from 'node:url';
import type { AnyValue } from '@opentelemetry/api';
import type { MappedRecord } from '../mapping.ts';
import type { Limits } from '../../values/limits.ts';
import type { OtlpConfig } from '../../config/otlp.ts';
import { ENV, readEnv } from '../../config/env.ts';
import { ownFile } from '../../core/on-demand.ts';

/**
 * Delivery at process exit, when no more event-loop turns are coming (the
 * 'exit' event, `process.exit()`): the remaining records go, as plain
 * data on stdin, to a short-lived Node child process that exports them
 * with the same encoder and transport, while this process waits for it
 * synchronously (`execFileSync`, bounded by a timeout). Chosen over a
 * worker thread + Atomics.wait because a worker cannot be started and
 * waited for from the 'exit' event, and over a hand-written synchronous
 * socket because TLS and gzip come for free. Cost: one Node start-up
 * (about 0.1–0.3 s), paid only when records are still pending at exit.
 */

/** What the child needs: settings, limits, resource, records. Structured-cloneable. */
export interface ExitPayload {
  readonly config: OtlpConfig;
  readonly limits: Limits;
  /** Resource attributes; `undefined` makes the child detect them (with `instanceId`, `extraResource`). */
  readonly resource: Readonly<Record<string, AnyValue>> | undefined;
  /** Attributes laid over what the child detects: the parent's own process attributes and code options. */
  readonly extraResource: Readonly<Record<string, AnyValue>>;
  readonly instanceId: string;
  /** Environment the child reads the resource from when `resource` is undefined. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The records, one array per request, when `bodies` is not given. */
  readonly batches: ReadonlyArray<readonly MappedRecord[]>;
  /**
   * The same records already encoded by this process (when its exporter is
   * loaded, HTTP only), one body per request: the child then only sends, and
   * loads no OpenTelemetry module (about 0.1 s of CPU instead of 0.5 s).
   */
  readonly bodies?: ReadonlyArray<{ readonly body: Uint8Array; readonly count: number }> | undefined;
  readonly contentType?: string | undefined;
  /** The User-Agent for `bodies` (the parent's exporter knows logbridge's version). */
  readonly userAgent?: string | undefined;
  /** How long a collector that refuses connections is tried, ms from the child's start. */
  readonly refusedBudgetMs: number;
  /** Deadline for the child, ms since the epoch. */
  readonly deadline: number;
}

/** What became of one request's records: delivered, certainly not delivered, or perhaps delivered. */
export interface BatchOutcome {
  readonly count: number;
  readonly status: 'ok' | 'failed' | 'doubt';
  /** Records the collector rejected in a partial success (status `ok`). */
  readonly rejected: number;
}

/** One outcome per request, in order, and why some were not delivered ('' when all were). */
export interface ExitOutcome {
  readonly batches: readonly BatchOutcome[];
  readonly problem: string;
}

// a file of its own, in src/ and in the build alike (an entry point of the bundle)
const CHILD = fileURLToPath(ownFile('otel/otlp/exit-sender.ts'));

/**
 * Runs the child and waits for it, at most `timeoutMs`. A request the child
 * had started when it was stopped counts as `doubt` (it may have arrived).
 * Never throws.
 */
export function sendSync(payload: Omit<ExitPayload, 'deadline'>, timeoutMs: number): ExitOutcome {
  const counts = payload.bodies?.map((b) => b.count) ?? payload.batches.map((b) => b.length);
  let stdout = '';
  let problem = '';
  try {
    // loaded here, not with the sink: node:child_process and node:v8 cost ~6 ms of CPU to load, and
    // most processes never need them (nothing is pending at exit)
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    const { serialize } = process.getBuiltinModule('node:v8');
    stdout = execFileSync(process.execPath, [CHILD], {
      input: serialize({ ...payload, deadline: Date.now() + timeoutMs - 50 }),
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      // a minimal environment: no NODE_OPTIONS (no `--import logbridge/register` in the child)
      env: { PATH: readEnv(ENV.path) },
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 1024 * 1024,
      windowsHide: true,
    }).toString('utf8');
  } catch (error) {
    const e = error as { stdout?: Buffer; code?: string; signal?: string };
    stdout = e.stdout?.toString('utf8') ?? '';
    problem = e.code === 'ETIMEDOUT' || e.signal === 'SIGKILL' ? `not finished within ${timeoutMs} ms` : 'the exit sender failed';
  }
  const tried = new Set<number>();
  const done = new Map<number, { status: 'ok' | 'failed' | 'doubt'; rejected: number }>();
  for (const line of stdout.split('\n')) {
    const [kind, i, n, ...rest] = line.split(' ');
    const index = Number(i);
    if (kind === 'try') tried.add(index);
    else if (kind === 'ok') done.set(index, { status: 'ok', rejected: 0 });
    else if (kind === 'rejected') done.set(index, { status: 'ok', rejected: Number(n) });
    else if (kind === 'fail' || kind === 'doubt') {
      done.set(index, { status: kind === 'fail' ? 'failed' : 'doubt', rejected: 0 });
      problem ||= rest.join(' ');
    }
  }
  const batches = counts.map((count, index): BatchOutcome => {
    const outcome = done.get(index) ?? { status: tried.has(index) ? 'doubt' : 'failed', rejected: 0 };
    return { count, status: outcome.status, rejected: Math.min(outcome.rejected, count) };
  });
  if (problem === '' && batches.some((b) => b.status !== 'ok')) problem = 'the exit sender stopped early';
  return { batches, problem };
}
