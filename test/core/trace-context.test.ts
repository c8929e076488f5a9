import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { getLogger } from '../../src/index.ts';
import { captureLogs } from '../../src/testing/index.ts';
import { runNode, parseLines, SRC_INDEX } from '../helpers/run-node.ts';

describe('trace correlation', () => {
  before(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(new TracerProvider());
  });
  after(() => {
    trace.disable();
    context.disable();
  });

  it('gives records made inside an active span its trace ID, span ID and flags', async () => {
    const tracer = trace.getTracer('test');
    let ids: { traceId: string; spanId: string } | undefined;
    const sink = await captureLogs(() => tracer.startActiveSpan('op', async (span) => {
      ids = span.spanContext();
      await new Promise((resolve) => setTimeout(resolve, 1));
      getLogger('t').info('inside');
      span.end();
    }));
    assert.ok(ids);
    assert.equal(sink.records[0]!.trace?.traceId, ids.traceId);
    assert.equal(sink.records[0]!.trace?.spanId, ids.spanId);
    assert.equal(sink.records[0]!.trace?.traceFlags, 1);
  });

  it('gives records outside any span no trace context', async () => {
    const sink = await captureLogs(() => getLogger('t').info('outside'));
    assert.equal(sink.records[0]!.trace, undefined);
  });

  it('writes trace_id, span_id and trace_flags on stdout lines (child process)', async () => {
    const { stdout, stderr, code } = await runNode(`
      import { context, trace } from '@opentelemetry/api';
      import { TracerProvider } from '@opentelemetry/sdk-trace';
      import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
      import { log } from ${JSON.stringify(SRC_INDEX)};
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      trace.setGlobalTracerProvider(new TracerProvider());
      trace.getTracer('demo').startActiveSpan('work', (span) => {
        const { traceId, spanId } = span.spanContext();
        log.info('in span', { expectedTrace: traceId, expectedSpan: spanId });
        span.end();
      });
      log.info('after span');
    `);
    assert.equal(code, 0, stderr);
    const [inside, after] = parseLines(stdout);
    assert.equal(inside!.trace_id, inside!.expectedTrace);
    assert.equal(inside!.span_id, inside!.expectedSpan);
    assert.equal(inside!.trace_flags, '01');
    assert.match(String(inside!.trace_id), /^[0-9a-f]{32}$/);
    assert.equal(after!.trace_id, undefined);
  });
});
