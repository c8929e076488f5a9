import assert from 'node:assert/strict';
import { Pipeline } from '../../src/core/pipeline.ts';
import { MemorySink } from '../../src/testing/index.ts';
import type { LogRecord } from '../../src/core/record.ts';
import type { Sink } from '../../src/core/sink.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';

const record = { time: 0, severityNumber: 9, severityText: 'INFO', scope: 's', body: 'b' } as LogRecord;

describe('Pipeline', () => {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    setDiagnosticSink((line) => lines.push(line));
  });
  afterEach(() => setDiagnosticSink(undefined));

  describe('emit()', () => {
    it('runs processors in order before every sink', () => {
      const pipeline = new Pipeline();
      const a = new MemorySink();
      const b = new MemorySink();
      pipeline.configure([a, b], [(r) => ({ ...r, body: r.body + '1' }), (r) => ({ ...r, body: r.body + '2' })]);
      pipeline.emit(record);
      assert.equal(a.records[0]!.body, 'b12');
      assert.equal(b.records[0]!.body, 'b12');
    });

    it('drops a record when a processor returns undefined', () => {
      const pipeline = new Pipeline();
      const sink = new MemorySink();
      pipeline.configure([sink], [() => undefined]);
      pipeline.emit(record);
      assert.equal(sink.records.length, 0);
    });

    it('keeps the record when a processor throws, and reports it', () => {
      const pipeline = new Pipeline();
      const sink = new MemorySink();
      pipeline.configure([sink], [() => { throw new Error('bug'); }]);
      pipeline.emit(record);
      assert.equal(sink.records.length, 1);
      assert.match(lines[0]!, /PROCESSOR_FAILED/);
    });

    it('cuts off logging that recurses from inside a sink', () => {
      const pipeline = new Pipeline();
      let calls = 0;
      pipeline.configure([{ emit(r: LogRecord): void { calls++; pipeline.emit(r); } }], []);
      pipeline.emit(record);
      assert.equal(calls, 3);
      assert.equal(pipeline.recursionDrops, 1);
    });
  });

  describe('flush()', () => {
    it('settles when a sink rejects or never settles', async () => {
      const pipeline = new Pipeline();
      const failing: Sink = { emit() {}, flush: () => Promise.reject(new Error('down')) };
      const hanging: Sink = { emit() {}, flush: () => new Promise(() => {}) };
      pipeline.configure([failing, hanging], []);
      const started = Date.now();
      await pipeline.flush(200);
      assert.ok(Date.now() - started < 2000);
      assert.match(lines.join(''), /down/);
    });
  });

  describe('shutdown()', () => {
    it('is idempotent and drops later records, counting them', async () => {
      const pipeline = new Pipeline();
      let shutdowns = 0;
      const sink: Sink = { emit() {}, async shutdown() { shutdowns++; } };
      pipeline.configure([sink], []);
      const first = pipeline.shutdown();
      assert.equal(pipeline.shutdown(), first);
      await first;
      pipeline.emit(record);
      assert.equal(shutdowns, 1);
      assert.equal(pipeline.lateDrops, 1);
    });
  });

  describe('configure()', () => {
    it('flushes and shuts down sinks that are replaced', async () => {
      const pipeline = new Pipeline();
      const calls: string[] = [];
      const old: Sink = { emit() {}, flushSync: () => calls.push('flushSync'), shutdown: async () => { calls.push('shutdown'); } };
      pipeline.configure([old], []);
      pipeline.configure([new MemorySink()], []);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(calls, ['flushSync', 'shutdown']);
    });
  });
});
