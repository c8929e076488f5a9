import assert from 'node:assert/strict';
import { SpanKind } from '@opentelemetry/api';
import { MemorySink, type CapturedRecord } from '../../src/testing/index.ts';
import { runtime } from '../../src/core/runtime.ts';
import type { Sink } from '../../src/core/sink.ts';
import { WORK_ROUTE, startApp, type Framework, type RunningApp } from '../helpers/http-apps.ts';
import { installTracing } from '../helpers/tracing.ts';

/**
 * The canonical line (`canonicalLine: true`), for every adapter, against a
 * real server of each framework on 127.0.0.1: exactly one wide record per
 * request, however the request ends.
 */

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` (no timing assertion: it only bounds a hang). */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** A small seeded generator, so a failing mix can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function lines(sink: MemorySink): CapturedRecord[] {
  return sink.find('http.server.request');
}

/** What the app's `work()` reports as it goes: which requests' handlers started and finished. */
interface Progress {
  readonly started: Set<number>;
  readonly ended: Set<number>;
}

/**
 * Runs `fn` against a fresh app with the canonical line on, every record
 * going to a MemorySink (watched live for the handlers' progress).
 */
async function withCanonicalApp(framework: Framework, fn: (app: RunningApp, progress: Progress) => Promise<void>,
  options: Parameters<typeof startApp>[1] = { canonicalLine: true }): Promise<MemorySink> {
  runtime.ensureConfigured();
  const memory = new MemorySink();
  const progress: Progress = { started: new Set(), ended: new Set() };
  const watcher: Sink = {
    emit(record) {
      memory.emit(record);
      const n = record.attributes?.n;
      if (typeof n !== 'number') return;
      if (record.body === 'start') progress.started.add(n);
      else if (record.body === 'end') progress.ended.add(n);
    },
  };
  const [sinks, processors] = runtime.pipeline.swap([watcher], runtime.pipeline.processors);
  try {
    const app = await startApp(framework, options);
    try {
      await fn(app, progress);
    } finally {
      await app.close();
    }
    await sleep(5); // the close listeners of the last connections
  } finally {
    runtime.pipeline.swap(sinks, processors);
  }
  return memory;
}

type Kind = 'ok' | 'fail' | 'abort';

export function describeCanonicalLine(framework: Framework): void {
  describe('canonical line', () => {
    it('writes one wide record per request with the OpenTelemetry HTTP names, counts and added attributes', async () => {
      const sink = await withCanonicalApp(framework, async (app) => {
        await (await fetch(`${app.url}/work/41?delay=1&token=secret`, { headers: { 'x-request-id': 'wide-1' } })).arrayBuffer();
      });
      const all = lines(sink);
      assert.equal(all.length, 1);
      const line = all[0]!;
      const a = line.allAttributes;
      assert.equal(line.scope, 'http.server');
      assert.equal(line.requestId, 'wide-1');
      assert.equal(line.body, `GET ${WORK_ROUTE} 200`);
      assert.equal(a['http.request.method'], 'GET');
      assert.equal(a['http.route'], WORK_ROUTE);
      assert.equal(a['http.response.status_code'], 200);
      assert.equal(typeof a['http.server.request.duration'], 'number');
      assert.equal(a['logbridge.records.info'], 7);
      assert.equal(a['logbridge.records.error'], undefined);
      assert.equal(a['app.n'], 41, 'added with addRequestAttributes');
      assert.equal(a['app.user'], 'u-41', 'bound with setRequestAttributes during the request');
      assert.equal(sink.records.filter((r) => r.allAttributes['app.n'] !== undefined).length, 1,
        'addRequestAttributes reaches the canonical line only');
    });

    it('replaces the access-log record when both are asked for', async () => {
      const sink = await withCanonicalApp(framework, async (app) => {
        await (await fetch(`${app.url}/work/1?delay=0`)).arrayBuffer();
      }, { canonicalLine: true, accessLog: true });
      assert.equal(lines(sink).length, 1);
      assert.equal(lines(sink)[0]!.allAttributes['logbridge.records.info'], 7);
    });

    it('carries the trace ID of the server span', async () => {
      const tracing = installTracing();
      try {
        const sink = await withCanonicalApp(framework, async (app) => {
          await (await fetch(`${app.url}/work/2?delay=0`)).arrayBuffer();
        });
        const [span] = tracing.exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER);
        assert.ok(span);
        assert.equal(lines(sink)[0]?.trace?.traceId, span.spanContext().traceId);
      } finally {
        await tracing.uninstall();
      }
    });

    it('gives exactly one line to each of 500 concurrent requests, ending well, failing or aborted', async function () {
      this.timeout(60_000);
      const next = random(framework.length * 7919);
      const kinds: Kind[] = Array.from({ length: 500 }, () => {
        const r = next();
        return r < 0.15 ? 'fail' : r < 0.3 ? 'abort' : 'ok';
      });
      const sink = await withCanonicalApp(framework, async (app, { started, ended }) => {
        await Promise.all(kinds.map(async (kind, n) => {
          const headers = { 'x-request-id': `k-${n}` };
          if (kind === 'fail') {
            await (await fetch(`${app.url}/fail`, { headers })).arrayBuffer();
            return;
          }
          if (kind === 'ok') {
            await (await fetch(`${app.url}/work/${n}?delay=${Math.floor(next() * 8)}`, { headers })).arrayBuffer();
            return;
          }
          const controller = new AbortController();
          const request = fetch(`${app.url}/work/${n}?delay=60`, { headers, signal: controller.signal }).then((r) => r.arrayBuffer());
          // Abort once the handler runs (its first record is made), before the response.
          await waitFor(() => started.has(n), `request ${n} to start`);
          controller.abort();
          await request.then(() => assert.fail(`request ${n} was not aborted`), (error: Error) => assert.equal(error.name, 'AbortError'));
        }));
        // An aborted request's handler runs on; the app closes only when every handler is done.
        await waitFor(() => ended.size === kinds.filter((k) => k !== 'fail').length, 'every handler to finish');
      });
      const byId = new Map<string, CapturedRecord[]>();
      for (const line of lines(sink)) {
        const list = byId.get(String(line.requestId)) ?? [];
        list.push(line);
        byId.set(String(line.requestId), list);
      }
      kinds.forEach((kind, n) => {
        const found = byId.get(`k-${n}`) ?? [];
        assert.equal(found.length, 1, `request ${n} (${kind}) has ${found.length} lines`);
        const line = found[0]!;
        const a = line.allAttributes;
        assert.equal(typeof a['http.server.request.duration'], 'number');
        assert.equal(String(line.body).includes(`/work/${n}`), false, 'the raw path is not in the message');
        if (kind === 'ok') {
          assert.equal(a['http.response.status_code'], 200, `request ${n}`);
          assert.equal(a['http.route'], WORK_ROUTE);
          assert.equal(a['logbridge.records.info'], 7);
          assert.equal(a['app.n'], n);
          assert.equal(a['error.type'], undefined);
        } else if (kind === 'fail') {
          assert.equal(a['http.response.status_code'], 500, `request ${n}`);
          assert.equal(line.severityText, 'ERROR');
          assert.equal(a['logbridge.first_error.type'], 'Error', `request ${n}`); // Express: with captureErrors()
          assert.equal(a['logbridge.first_error.message'], 'boom');
          assert.equal(a['error.type'], 'Error');
        } else {
          assert.equal(a['error.type'], 'aborted', `request ${n}`);
          assert.equal(a['http.response.status_code'], undefined, 'no status went out');
          assert.equal(a['http.route'], WORK_ROUTE);
          assert.equal(line.body, `GET ${WORK_ROUTE} aborted`);
          assert.ok(Number(a['logbridge.records.info']) >= 1);
        }
      });
      assert.equal(lines(sink).length, kinds.length);
    });
  });
}
