import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serialize } from 'node:v8';
import type { AnyValue } from '@opentelemetry/api';
import type { MappedRecord } from '../mapping.ts';
import type { Limits } from '../../values/limits.ts';
import type { OtlpConfig } from '../../config/otlp.ts';
import { ENV, readEnv } from '../../config/env.ts';

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
  readonly records: readonly MappedRecord[];
  /**
   * The same records already encoded by this process (when its exporter is
   * loaded, HTTP only), one body per batch: the child then only sends, and
   * loads no OpenTelemetry module (about 0.1 s of CPU instead of 0.5 s).
   */
  readonly bodies?: ReadonlyArray<{ readonly body: Uint8Array; readonly count: number }> | undefined;
  readonly contentType?: string | undefined;
  /** Deadline for the child, ms since the epoch. */
  readonly deadline: number;
}

/** How many records the child reported delivered, rejected (permanently) or not delivered. */
export interface ExitOutcome {
  readonly exported: number;
  readonly failed: number;
  readonly rejected: number;
  /** Why some were not delivered ('' when all were). */
  readonly problem: string;
}

const CHILD = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './exit-sender.ts' : './exit-sender.js', import.meta.url));

/** Runs the child and waits for it, at most `timeoutMs`. Never throws. */
export function sendSync(payload: Omit<ExitPayload, 'deadline'>, timeoutMs: number): ExitOutcome {
  const total = payload.bodies === undefined ? payload.records.length : payload.bodies.reduce((n, b) => n + b.count, 0);
  let stdout = '';
  let problem = '';
  try {
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
  let exported = 0;
  let failed = 0;
  let rejected = 0;
  for (const line of stdout.split('\n')) {
    const [kind, n, ...rest] = line.split(' ');
    if (kind === 'ok') exported += Number(n);
    else if (kind === 'fail') {
      failed += Number(n);
      problem ||= rest.join(' ');
    } else if (kind === 'rejected') rejected += Number(n);
  }
  if (exported + failed < total && problem === '') problem = 'the exit sender stopped early';
  return { exported, failed: total - exported, rejected, problem: failed > 0 || exported < total ? problem : '' };
}
