import { exitTaskCount } from '../src/core/exit-tasks.ts';
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { StdoutLogRecordExporter } from '../src/otel.ts';
import { ExportLogsServiceRequest } from './helpers/otlp-schema.ts';
import { parseLines, runNode, SRC_INDEX, ROOT } from './helpers/run-node.ts';
import type { FormatChoice } from '../src/config/env.ts';

const SPAN = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };

/** An SDK LoggerProvider whose records go through the exporter into a temporary file. */
function setup(format: FormatChoice) {
  const file = join(mkdtempSync(join(tmpdir(), 'logbridge-otel-')), 'out.log');
  const fd = openSync(file, 'w');
  const exporter = new StdoutLogRecordExporter({ format, fd, env: { NO_COLOR: '1' } });
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.version': '1.2.3' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  return {
    exporter,
    logger: provider.getLogger('payments', '2.0.0'),
    async read(): Promise<string> {
      await provider.forceFlush();
      await provider.shutdown();
      closeSync(fd);
      return readFileSync(file, 'utf8');
    },
  };
}

const inSpan = () => trace.setSpanContext(context.active(), SPAN);

describe('StdoutLogRecordExporter', () => {
  describe('export()', () => {
    it('writes SDK records as logbridge JSON lines, lifting request.id and exception.* into their fields', async () => {
      const { logger, read } = setup('json');
      logger.emit({
        severityNumber: 17, severityText: 'ERROR', body: 'charge failed', context: inSpan(),
        attributes: { 'request.id': 'r-7', 'exception.type': 'CardError', 'exception.message': 'declined', amount: 12.5, level: 'user' },
      });
      const [line] = parseLines(await read());
      assert.deepEqual(Object.keys(line!), [
        'timestamp', 'level', 'severity_number', 'scope', 'message', 'trace_id', 'span_id', 'trace_flags',
        'request.id', 'exception.type', 'exception.message', 'amount', 'attr.level',
      ]);
      assert.equal(line!.scope, 'payments');
      assert.equal(line!.message, 'charge failed');
      assert.equal(line!.trace_id, SPAN.traceId);
      assert.equal(line!.trace_flags, '01');
      assert.equal(line!['request.id'], 'r-7');
      assert.equal(line!['exception.type'], 'CardError');
      assert.match(line!.timestamp as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    });

    it('names a missing severity text after the number and writes a structured body as JSON text', async () => {
      const { logger, read } = setup('json');
      logger.emit({ severityNumber: 10, body: { order: 42, items: ['a'] } });
      logger.emit({ eventName: 'cart.viewed' });
      const [a, b] = parseLines(await read());
      assert.equal(a!.level, 'INFO2');
      assert.equal(a!.message, '{"order":42,"items":["a"]}');
      assert.equal(b!.level, 'UNSPECIFIED');
      assert.equal(b!.event_name, 'cart.viewed');
    });

    it('writes pretty lines', async () => {
      const { logger, read } = setup('pretty');
      logger.emit({ severityNumber: 13, severityText: 'WARN', body: 'low stock', attributes: { sku: 7 }, context: inSpan() });
      assert.match(await read(), /^\d\d:\d\d:\d\d\.\d{3} WARN  payments: low stock sku=7 trace=0af76519\n$/);
    });

    it('writes logfmt lines', async () => {
      const { logger, read } = setup('logfmt');
      logger.emit({ severityNumber: 9, severityText: 'INFO', body: 'paid', attributes: { 'request.id': 'r-1' } });
      assert.match(await read(), /^timestamp=\S+ level=INFO scope=payments message=paid request\.id=r-1\n$/);
    });

    it('writes otlp-json lines that keep resource, scope version, structured body and observed time', async () => {
      const { logger, read } = setup('otlp-json');
      logger.emit({ severityNumber: 9, severityText: 'INFO', body: { order: 42 }, attributes: { big: 2 ** 40, bytes: new Uint8Array([1]) }, context: inSpan() });
      const text = await read();
      const json = JSON.parse(text) as Record<string, unknown>;
      const forProto = JSON.parse(text, (key, v: unknown) =>
        (key === 'traceId' || key === 'spanId') && typeof v === 'string' ? Buffer.from(v, 'hex').toString('base64') : v) as object;
      const decoded = ExportLogsServiceRequest.toObject(
        ExportLogsServiceRequest.decode(ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(forProto)).finish()),
        { longs: String, bytes: String }) as { resourceLogs: Array<Record<string, any>> };
      const rl = decoded.resourceLogs[0]!;
      const resource = Object.fromEntries((rl.resource.attributes as Array<{ key: string; value: { stringValue?: string } }>).map((kv) => [kv.key, kv.value.stringValue]));
      assert.equal(resource['service.name'], 'checkout');
      assert.equal(resource['service.version'], '1.2.3');
      assert.deepEqual(rl.scopeLogs[0].scope, { name: 'payments', version: '2.0.0' });
      const record = rl.scopeLogs[0].logRecords[0];
      assert.deepEqual(record.body, { kvlistValue: { values: [{ key: 'order', value: { intValue: '42' } }] } });
      assert.deepEqual(record.attributes, [
        { key: 'big', value: { intValue: String(2 ** 40) } },
        { key: 'bytes', value: { bytesValue: 'AQ==' } },
      ]);
      assert.match(record.observedTimeUnixNano, /^\d{19}$/);
      assert.equal(record.flags, 1);
      assert.equal(((json.resourceLogs as any[])[0].scopeLogs[0].logRecords[0]).traceId, SPAN.traceId);
    });

    it('reports failure for records exported after shutdown', async () => {
      const { exporter, read } = setup('json');
      await read();
      const result = await new Promise<{ code: number }>((resolve) => exporter.export([], resolve));
      assert.equal(result.code, 1);
    });
  });

  describe('shutdown()', () => {
    it('is idempotent: a second call writes nothing again and removes its exit task once', async () => {
      // the exporter does not listen to the process itself: the lifecycle runs its exit task
      const tasks = exitTaskCount();
      const { exporter, logger, read } = setup('json');
      assert.equal(exitTaskCount(), tasks + 1);
      logger.emit({ severityNumber: 9, body: 'once' });
      await exporter.shutdown();
      await exporter.shutdown();
      assert.equal(exitTaskCount(), tasks);
      const lines = parseLines(await read()); // read() shuts the provider down: a third call
      assert.deepEqual(lines.map((l) => l.message), ['once']);
      assert.equal(exitTaskCount(), tasks);
    });
  });

  describe('(child process)', () => {
    it('gives records of another OTel log bridge (winston-transport) the logbridge JSON line', async () => {
      const dir = join(ROOT, '.test-scripts');
      mkdirSync(dir, { recursive: true });
      const result = await runNode(`
        import { logs } from '@opentelemetry/api-logs';
        import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
        import winston from 'winston';
        import { OpenTelemetryTransportV3 } from '@opentelemetry/winston-transport';
        import { StdoutLogRecordExporter } from ${JSON.stringify(join(ROOT, 'src/otel.ts'))};
        const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: new StdoutLogRecordExporter({ format: 'json' }) })] });
        logs.setGlobalLoggerProvider(provider);
        winston.createLogger({ transports: [new OpenTelemetryTransportV3()] }).warn('from winston', { orderId: 7 });
        await provider.shutdown();
      `, { cwd: dir });
      assert.equal(result.code, 0, result.stderr);
      const [line] = parseLines(result.stdout);
      assert.equal(line!.level, 'WARN');
      assert.equal(line!.severity_number, 13);
      assert.equal(line!.message, 'from winston');
      assert.equal(line!.orderId, 7);
    });


    it('gives OTel SDK records and logbridge records one stdout format, flushed at exit', async () => {
      const result = await runNode(`
        import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
        import { StdoutLogRecordExporter } from ${JSON.stringify(join(ROOT, 'src/otel.ts'))};
        import { getLogger } from ${JSON.stringify(SRC_INDEX)};
        const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: new StdoutLogRecordExporter() })] });
        provider.getLogger('thirdparty').emit({ severityNumber: 9, severityText: 'INFO', body: 'from the OTel SDK', attributes: { k: 1 } });
        getLogger('app').info('from logbridge', { k: 1 });
      `, { env: { LOGBRIDGE_FORMAT: 'json' } });
      assert.equal(result.code, 0, result.stderr);
      const lines = parseLines(result.stdout);
      assert.equal(lines.length, 2);
      const byScope = Object.fromEntries(lines.map((l) => [l.scope, l]));
      assert.deepEqual(Object.keys(byScope.thirdparty!), Object.keys(byScope.app!));
      assert.equal(byScope.thirdparty!.message, 'from the OTel SDK');
    });
  });
});
