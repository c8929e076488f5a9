import assert from 'node:assert/strict';
import { formatAccounting, reportAccounting, resetAccounting, takeAccounting, type AccountingSource } from '../../src/lifecycle/accounting.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';
import { Pipeline } from '../../src/core/pipeline.ts';
import type { SinkStats } from '../../src/core/sink.ts';

function source(emitted: number, stats: unknown[], drops: Record<string, number> = {}): AccountingSource {
  return { emitted, pipelineDrops: drops, stats: () => stats as SinkStats[] };
}

describe('formatAccounting()', () => {
  it('is silent when every record was delivered', () => {
    const accounting = takeAccounting(source(10, [
      { received: 10, dropped: {} },
      { name: 'otlp', received: 10, exported: 10, dropped: { queue_full: 0 } },
    ], { recursion: 0 }));
    assert.equal(accounting.lossy, false);
    assert.equal(formatAccounting(accounting), undefined);
  });

  it('names each sink\'s drops by reason', () => {
    const line = formatAccounting(takeAccounting(source(1200, [
      { received: 1200, dropped: {} },
      { name: 'otlp', received: 1200, exported: 950, dropped: { queue_full: 200, export_failed: 2 } },
    ])));
    assert.equal(line, '1200 records emitted; sink "sink 0": 1200 received; ' +
      'sink "otlp": 1200 received, 950 delivered, 202 dropped (queue_full: 200, export_failed: 2), 48 undelivered');
  });

  it('counts records still queued as undelivered, from pending when the sink says', () => {
    const line = formatAccounting(takeAccounting(source(5, [{ name: 'x', received: 5, dropped: {}, pending: 3 }])));
    assert.equal(line, '5 records emitted; sink "x": 5 received, 3 undelivered');
  });

  it('reports drops before the sinks (recursion, after shutdown)', () => {
    const line = formatAccounting(takeAccounting(source(7, [{ received: 5, dropped: {} }],
      { recursion: 0, after_shutdown: 2 })));
    assert.equal(line, '7 records emitted, 2 dropped before the sinks (after_shutdown: 2); sink "sink 0": 5 received');
  });

  it('survives a stats() that throws', () => {
    const broken: AccountingSource = { emitted: 1, pipelineDrops: {}, stats: () => { throw new Error('x'); } };
    assert.equal(formatAccounting(takeAccounting(broken)), undefined);
  });
});

describe('reportAccounting()', () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    resetAccounting();
    setDiagnosticSink((line) => lines.push(line));
  });
  afterEach(() => {
    setDiagnosticSink(undefined);
    resetAccounting();
  });

  it('writes one ACCOUNTING line to stderr, once per process', () => {
    const lossy = source(3, [{ received: 3, dropped: { stdout_unwritable: 1 } }]);
    reportAccounting(lossy);
    reportAccounting(lossy);
    assert.deepEqual(lines, [
      'logbridge: ACCOUNTING: 3 records emitted; sink "sink 0": 3 received, 1 dropped (stdout_unwritable: 1)\n',
    ]);
  });

  it('writes nothing when all is well', () => {
    reportAccounting(source(3, [{ received: 3, dropped: {} }]));
    assert.deepEqual(lines, []);
  });

  it('reads a real Pipeline\'s counters', () => {
    const pipeline = new Pipeline();
    pipeline.configure([{ emit() {}, stats: () => ({ received: 1, dropped: { queue_full: 1 } }) }], []);
    void pipeline.shutdown();
    pipeline.emit({} as never);
    reportAccounting(pipeline);
    assert.deepEqual(lines, ['logbridge: ACCOUNTING: 1 record emitted, 1 dropped before the sinks (after_shutdown: 1); ' +
      'sink "sink 0": 1 received, 1 dropped (queue_full: 1)\n']);
  });
});
