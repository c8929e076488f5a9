import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  testEncoder, testSink, parseJsonLines, parseOtlpJsonLines, fromOtlpRecord, fromCapturedRecord, MemorySink,
  type ConformanceFailure, type RecordView,
} from '../../src/testing/index.ts';
import { createJsonEncoder } from '../../src/encoders/json.ts';
import { createLogfmtEncoder } from '../../src/encoders/logfmt.ts';
import { createPrettyEncoder } from '../../src/encoders/pretty.ts';
import { createOtlpJsonEncoder } from '../../src/encoders/otlp-json.ts';
import { createStdoutSink } from '../../src/sinks/stdout.ts';
import { createOtlpSink } from '../../src/sinks/otlp.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';
import type { Encoder, Sink } from '../../src/core/sink.ts';
import type { LogRecord } from '../../src/core/record.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { parseLogfmtLines, parsePrettyOutput } from './readers.ts';

/** Failures as lines, so a failing assertion shows what broke. */
function report(failures: readonly ConformanceFailure[]): string[] {
  return failures.map((f) => `${f.check} / ${f.case}: ${f.message}`);
}

describe('conformance suite over the built-in encoders', () => {
  // The encoders' own hostile-value diagnostics are not what this test is about.
  beforeEach(() => setDiagnosticSink(() => {}));
  afterEach(() => setDiagnosticSink(undefined));

  it('json: every check passes', () => {
    assert.deepEqual(report(testEncoder({ encode: createJsonEncoder(), parse: parseJsonLines })), []);
  });

  it('logfmt: every check passes', () => {
    assert.deepEqual(report(testEncoder({ encode: createLogfmtEncoder(), parse: parseLogfmtLines })), []);
  });

  it('otlp-json: every check passes', () => {
    assert.deepEqual(report(testEncoder({ encode: createOtlpJsonEncoder({ env: {} }), parse: parseOtlpJsonLines })), []);
  });

  it('pretty (ISO time, no colours): every check it can show passes', () => {
    const failures = testEncoder({ encode: createPrettyEncoder({ colors: false, time: 'iso' }), parse: parsePrettyOutput }, {
      skip: { trace: 'pretty shows the first 8 digits of the trace ID, no span ID' },
    });
    assert.deepEqual(report(failures), []);
  });
});

describe('conformance suite over the built-in sinks', function () {
  this.timeout(30_000);
  beforeEach(() => setDiagnosticSink(() => {}));
  afterEach(() => setDiagnosticSink(undefined));

  it('memory sink: every check passes', async () => {
    const failures = await testSink({
      create: () => new MemorySink(),
      results: (sink) => (sink as MemorySink).records.map(fromCapturedRecord),
    });
    assert.deepEqual(report(failures), []);
  });

  it('stdout sink writing to a file descriptor: every check passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logbridge-conformance-'));
    const files = new Map<Sink, string>();
    const fds: number[] = [];
    try {
      const failures = await testSink({
        create: () => {
          const file = join(dir, `${files.size}.log`);
          const fd = openSync(file, 'w');
          fds.push(fd);
          const sink = createStdoutSink({ fd });
          files.set(sink, file);
          return sink;
        },
        results: (sink) => parseJsonLines(readFileSync(files.get(sink)!, 'utf8')),
      });
      assert.deepEqual(report(failures), []);
    } finally {
      for (const fd of fds) closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('OTLP sink into an application\'s LoggerProvider: every check passes', async () => {
    const exporters = new Map<Sink, InMemoryLogRecordExporter>();
    const failures = await testSink({
      create: () => {
        const exporter = new InMemoryLogRecordExporter();
        const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
        const sink = createOtlpSink({ loggerProvider: provider, env: {} });
        exporters.set(sink, exporter);
        return sink;
      },
      results: (sink) => exporters.get(sink)!.getFinishedLogRecords().map(fromSdkRecord),
    });
    assert.deepEqual(report(failures), []);
  });

  describe('OTLP sink against a loopback receiver', () => {
    let receiver: OtlpReceiver;
    before(async () => {
      receiver = await startOtlpReceiver();
    });
    after(() => receiver.close());

    for (const [pipeline, protocol] of [['logbridge', 'http/protobuf'], ['logbridge', 'http/json'], ['sdk', 'http/protobuf'], ['sdk', 'http/json']] as const) {
      it(`${pipeline} pipeline, ${protocol}: every check passes, decoded by the receiver's own schema`, async () => {
        const failures = await testSink({
          create: () => {
            receiver.clear();
            return createOtlpSink({ url: receiver.logsUrl, protocol, pipeline, scheduleDelayMillis: 10, env: {}, useGlobalProvider: false });
          },
          results: () => receiver.records.map((r) => fromOtlpRecord({ ...r, scope: r.scope.name })),
        });
        assert.deepEqual(report(failures), []);
      });
    }
  });
});

/** An SDK record as the suite's OTLP view reads it. */
function fromSdkRecord(r: ReadableLogRecord): RecordView {
  const sc = r.spanContext;
  return fromOtlpRecord({
    timeUnixNano: BigInt(r.hrTime[0]) * 1_000_000_000n + BigInt(r.hrTime[1]), severityNumber: r.severityNumber ?? 0,
    severityText: r.severityText ?? '', scope: r.instrumentationScope.name, body: r.body, eventName: r.eventName ?? '',
    traceId: sc?.traceId ?? '', spanId: sc?.spanId ?? '', flags: sc?.traceFlags ?? 0, attributes: r.attributes,
  });
}

describe('testEncoder()', () => {
  /** A naive encoder: JSON.stringify of fields and attributes in one object. */
  const naive: Encoder = (record: LogRecord) => JSON.stringify({
    timestamp: new Date(record.time).toISOString(), level: record.severityText, scope: record.scope, message: record.body,
    ...record.bindings?.attributes, ...record.attributes, ...record.contextAttributes,
  }) + '\n';

  it('finds the ways a naive JSON.stringify encoder breaks the contract', () => {
    const failed = new Set(testEncoder({ encode: naive, parse: parseJsonLines }).map((f) => f.check));
    for (const check of ['fields', 'precedence', 'field-clash', 'exception', 'hostile-values', 'request-id', 'trace'] as const) {
      assert.ok(failed.has(check), `${check} not reported`);
    }
  });

  it('reports an encoder that throws, a missing newline and more than one record per call', () => {
    const failures = testEncoder({ encode: () => { throw new Error('nope'); }, parse: parseJsonLines });
    assert.ok(failures.length > 0 && failures.every((f) => f.message === 'encode() threw: Error: nope'));
    assert.match(testEncoder({ encode: () => '{}', parse: parseJsonLines })[0]!.message, /ending in a newline/);
    const twice = testEncoder({ encode: (r) => createJsonEncoder()(r).repeat(2), parse: parseJsonLines });
    assert.match(twice[0]!.message, /one record gave 2 records/);
  });

  it('leaves out skipped checks', () => {
    const all = Object.fromEntries(['fields', 'event-name', 'trace', 'request-id', 'attributes', 'precedence', 'field-clash',
      'exception', 'hostile-values', 'line-forging', 'lifecycle'].map((c) => [c, 'testing skip']));
    assert.deepEqual(testEncoder({ encode: naive, parse: parseJsonLines }, { skip: all }), []);
  });
});

describe('testSink()', () => {
  /** A sink that delivers each record again at every flush and shutdown, and whose shutdown rejects the second time. */
  function leakySink(): { sink: Sink; views: RecordView[] } {
    const pending: LogRecord[] = [];
    const views: RecordView[] = [];
    let shutdowns = 0;
    const deliver = (): void => {
      for (const r of pending) views.push(parseJsonLines(createJsonEncoder()(r))[0]!);
    };
    const sink: Sink = {
      emit: (r) => void pending.push(r),
      flush: async () => deliver(),
      shutdown: async () => {
        if (++shutdowns > 1) throw new Error('already shut down');
        deliver();
      },
    };
    return { sink, views };
  }

  it('finds duplicate deliveries and a second shutdown() that rejects', async () => {
    const made = new Map<Sink, RecordView[]>();
    const failures = await testSink({
      create: () => {
        const { sink, views } = leakySink();
        made.set(sink, views);
        return sink;
      },
      results: (sink) => made.get(sink)!,
    });
    const lifecycle = report(failures.filter((f) => f.check === 'lifecycle'));
    assert.ok(lifecycle.some((l) => /delivered 2 times after flush/.test(l)), lifecycle.join('\n'));
    assert.ok(lifecycle.some((l) => /shutdown\(\) rejected: Error: already shut down/.test(l)), lifecycle.join('\n'));
  });

  it('reports a flush() that never settles, within the deadline', async () => {
    const failures = await testSink({
      create: () => ({ emit() {}, flush: () => new Promise<void>(() => {}) }),
      results: () => [],
    }, { timeoutMs: 50 });
    assert.ok(report(failures).some((l) => /flush\(\) did not settle within 50 ms/.test(l)));
  });

  it('reports an emit() that throws', async () => {
    const failures = await testSink({ create: () => ({ emit() { throw new Error('full'); } }), results: () => [] }, { skip: { lifecycle: 'n/a' } });
    assert.ok(failures.length > 0);
    assert.ok(failures.filter((f) => f.case !== 'delivery').every((f) => f.message === 'emit() threw: Error: full'), report(failures).join('\n'));
  });
});
