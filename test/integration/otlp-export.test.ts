import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode, ROOT, SRC_INDEX } from '../helpers/run-node.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

// Small apps configured only through the environment, run as child
// processes, delivering to the loopback receiver.

const FAST = { OTEL_BLRP_SCHEDULE_DELAY: '20', OTEL_SERVICE_NAME: 'checkout' };

describe('OTLP export from the environment', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => receiver.close());

  for (const protocol of ['http/protobuf', 'http/json']) {
    it(`delivers records with the active span's trace context and the logger name as scope (${protocol}, gzip)`, async () => {
      const result = await runNode(`
        import { context, trace } from '@opentelemetry/api';
        import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
        import { TracerProvider } from '@opentelemetry/sdk-trace';
        import { getLogger } from ${JSON.stringify(SRC_INDEX)};
        context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
        trace.setGlobalTracerProvider(new TracerProvider());
        const log = getLogger('payments.api');
        trace.getTracer('t').startActiveSpan('charge', (span) => {
          const sc = span.spanContext();
          console.error('SPAN ' + sc.traceId + ' ' + sc.spanId);
          log.warn('charged', { amount: 12.5, card: { last4: '4242' } });
          span.end();
        });
      `, { env: { ...FAST, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' } });
      assert.equal(result.code, 0, result.stderr);
      const [, traceId, spanId] = /SPAN (\w+) (\w+)/.exec(result.stderr)!;
      const [rec] = await receiver.waitForRecords(1);
      assert.equal(receiver.requests[0]!.contentEncoding, 'gzip');
      assert.equal(rec!.encoding, protocol === 'http/json' ? 'json' : 'protobuf');
      assert.deepEqual([rec!.traceId, rec!.spanId, rec!.flags], [traceId, spanId, 1]);
      assert.equal(rec!.scope.name, 'payments.api');
      assert.equal(rec!.resource['service.name'], 'checkout');
      assert.deepEqual(rec!.attributes, { amount: 12.5, card: { last4: '4242' } });
      assert.equal(rec!.body, 'charged');
      assert.equal(rec!.severityText, 'WARN');
      assert.match(result.stdout, /"message":"charged"/); // stdout stays on
    });
  }

  it('names each process with its own v4 UUID, and exports without loading node:crypto, node:child_process or node:v8', async () => {
    const app = `
      import { getLogger, flush } from ${JSON.stringify(SRC_INDEX)};
      getLogger('instance').info('hello');
      await flush();
      console.log(JSON.stringify(process.moduleLoadList.filter((m) => /^NativeModule (crypto|child_process|v8)$/.test(m))));
    `;
    const env = { ...FAST, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'otlp' };
    const [first, second] = [await runNode(app, { env }), await runNode(app, { env })];
    for (const result of [first, second]) assert.equal(result.code, 0, result.stderr);
    // on Linux the UUID is the kernel's; elsewhere node:crypto makes it
    if (process.platform === 'linux') assert.deepEqual(JSON.parse(first.stdout), []);
    const ids = receiver.records.map((r) => r.resource['service.instance.id']);
    assert.equal(ids.length, 2);
    for (const id of ids) assert.match(String(id), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(ids[0], ids[1]);
  });

  it('loses nothing on process.exit() right after logging', async () => {
    const result = await runNode(`
      import { getLogger } from ${JSON.stringify(SRC_INDEX)};
      const log = getLogger('exit.test');
      for (let i = 0; i < 300; i++) log.info('line', { i });
      process.exit(3);
    `, { env: { ...FAST, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'otlp' } });
    assert.equal(result.code, 3, result.stderr);
    assert.equal(result.stdout, ''); // OTEL_LOGS_EXPORTER=otlp alone: no stdout sink
    assert.equal(receiver.counts.accepted, 300);
    assert.deepEqual(receiver.records.map((r) => r.attributes.i), [...Array(300).keys()]);
    assert.equal(receiver.records[0]!.resource['process.command']?.toString().includes('script-'), true);
  });

  it('loses nothing on process.exit() once the exporter is running (the exit child only sends)', async () => {
    receiver.failNext({ status: 200 });
    receiver.failNext({ rejected: 2, message: 'too old' });
    const result = await runNode(`
      import { getLogger, flush } from ${JSON.stringify(SRC_INDEX)};
      const log = getLogger('exit.loaded');
      log.info('first');
      await flush();
      for (let i = 0; i < 700; i++) log.info('line', { i });
      process.exit(0);
    `, { env: { ...FAST, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'otlp', OTEL_BLRP_SCHEDULE_DELAY: '60000' } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(receiver.counts.accepted, 701);
    // the version is package.json's, in the exporter's requests and the exit child's
    assert.equal(receiver.requests[0]!.headers['user-agent'], `logbridge/${VERSION} (OTLP logs)`);
    assert.equal(receiver.requests.at(-1)!.headers['user-agent'], `logbridge/${VERSION} (OTLP logs; exit)`);
    assert.match(result.stderr, /rejected: 2/); // the partial success at exit is counted in the final accounting
  });

  it('loses nothing at the natural end of the program', async () => {
    const result = await runNode(`
      import { getLogger } from ${JSON.stringify(SRC_INDEX)};
      const log = getLogger('natural');
      for (let i = 0; i < 1200; i++) log.info('line', { i });
      setTimeout(() => log.info('last'), 10);
    `, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'otlp' } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(receiver.counts.accepted, 1201);
    assert.equal(receiver.records.at(-1)!.body, 'last');
    assert.equal(result.stderr, '');
  });

  it('delivers records queued while a collector answers 503 with Retry-After, then exits', async () => {
    receiver.failNext({ status: 503, retryAfter: 1 });
    const result = await runNode(`
      import { getLogger, flush } from ${JSON.stringify(SRC_INDEX)};
      getLogger('retry').info('one');
      await flush();
      console.error('flushed');
    `, { env: { ...FAST, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'otlp' } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(receiver.counts.accepted, 1);
    assert.equal(receiver.counts.requests, 2);
  });

  it('loses nothing at a modest rate while the collector is down for a few seconds, with the default queue', async function () {
    this.timeout(30_000);
    const child = runNode(`
      import { getLogger } from ${JSON.stringify(SRC_INDEX)};
      const log = getLogger('outage');
      let i = 0;
      const timer = setInterval(() => {
        for (let k = 0; k < 10; k++) log.info('tick', { i: i++ });
        if (i >= 400) clearInterval(timer);
      }, 100);
    `, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'otlp' } });
    await new Promise((r) => setTimeout(r, 1500));
    await receiver.down();
    await new Promise((r) => setTimeout(r, 2500));
    await receiver.up();
    const result = await child;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.equal(new Set(receiver.records.map((r) => r.attributes.i)).size, 400);
  });

  it('does not let a hanging collector hold process.exit() past the exit deadline, and counts the loss', async () => {
    receiver.setDefaultFault({ hang: true });
    const result = await runNode(`
      import { getLogger } from ${JSON.stringify(SRC_INDEX)};
      getLogger('hang').info('stuck');
      process.exit(0);
    `, { env: { ...FAST, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'otlp', LOGBRIDGE_EXIT_TIMEOUT_MS: '1500' } });
    assert.equal(result.code, 0);
    assert.ok(result.ms < 6000, `took ${result.ms} ms`);
    // the exit sender's request reached the collector, which never answered: in doubt, not lost
    assert.match(result.stderr, /sink "otlp": 1 received, 0 delivered, 1 unconfirmed /);
  });

  it('delivers the records of a replaced OTLP sink asynchronously, not through the exit child', async () => {
    const result = await runNode(`
      import { configure, getLogger } from ${JSON.stringify(SRC_INDEX)};
      configure({ otlp: { url: '${receiver.logsUrl}', scheduleDelayMillis: 60000 }, sinks: undefined });
      getLogger('re').info('before');
      configure({ otlp: { url: '${receiver.logsUrl}', scheduleDelayMillis: 20 } });
      getLogger('re').info('after');
    `, { env: { OTEL_LOGS_EXPORTER: 'none' } });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(receiver.records.map((r) => r.body).sort(), ['after', 'before']);
    // delivered by the replaced sink's asynchronous shutdown, not by a synchronous exit child
    assert.ok(receiver.requests.every((r) => !String(r.headers['user-agent']).includes('exit')));
  });

  it('reports bad env values on stderr, names the variable, hides header values, and still delivers', async () => {
    const result = await runNode(`
      import { getLogger } from ${JSON.stringify(SRC_INDEX)};
      getLogger('bad.env').info('still here');
    `, {
      env: {
        ...FAST, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BLRP_MAX_QUEUE_SIZE: 'lots',
        OTEL_EXPORTER_OTLP_TIMEOUT: '-5', OTEL_EXPORTER_OTLP_HEADERS: 'broken-TOPSECRET', OTEL_RESOURCE_ATTRIBUTES: 'nokey',
      },
    });
    assert.equal(result.code, 0);
    assert.match(result.stderr, /OTEL_BLRP_MAX_QUEUE_SIZE="lots" is not valid; using the default 65536/);
    assert.match(result.stderr, /OTEL_EXPORTER_OTLP_TIMEOUT="-5" is not valid; using the default 10000/);
    assert.match(result.stderr, /OTEL_EXPORTER_OTLP_HEADERS=\(value hidden\) is not valid/);
    assert.match(result.stderr, /OTEL_RESOURCE_ATTRIBUTES="nokey" is not valid/);
    assert.ok(!result.stderr.includes('TOPSECRET'));
    assert.equal(receiver.counts.accepted, 1);
  });

  it('counts and reports records refused with 400 at exit', async () => {
    receiver.setDefaultFault({ status: 400 });
    const result = await runNode(`
      import { getLogger, flush } from ${JSON.stringify(SRC_INDEX)};
      getLogger('refused').info('a');
      getLogger('refused').info('b');
      await flush();
    `, { env: { ...FAST, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'otlp' } });
    assert.equal(result.code, 0);
    assert.match(result.stderr, /HTTP 400/);
    assert.match(result.stderr, /export_failed/);
  });

  it('starts from `node --import logbridge/register` with no code', async () => {
    const result = await runNode(`
      import { getLogger } from ${JSON.stringify(SRC_INDEX)};
      getLogger('registered').info('zero code');
    `, {
      nodeArgs: ['--import', join(ROOT, 'src/register.ts')],
      env: { ...FAST, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: receiver.logsUrl },
    });
    assert.equal(result.code, 0, result.stderr);
    const [rec] = await receiver.waitForRecords(1);
    assert.equal(rec!.body, 'zero code');
  });

  it('takes the exporter, resource and batch settings from OTEL_CONFIG_FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logbridge-otlp-file-'));
    const path = join(dir, 'otel.yaml');
    writeFileSync(path, [
      'file_format: "1.0"',
      'resource:', '  attributes:', '    - name: service.name', '      value: from-file',
      'logger_provider:', '  processors:', '    - batch:', '        schedule_delay: 20', '        exporter:',
      '          otlp_http:', '            endpoint: ${RECEIVER}/v1/logs', '            encoding: json', '',
    ].join('\n'));
    const result = await runNode(`
      import { getLogger } from ${JSON.stringify(SRC_INDEX)};
      getLogger('filed').info('from a file');
    `, { env: { OTEL_CONFIG_FILE: path, RECEIVER: receiver.url, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, ''); // the file's logger provider has no console exporter
    const [rec] = await receiver.waitForRecords(1);
    assert.deepEqual([rec!.encoding, rec!.body, rec!.resource['service.name']], ['json', 'from a file', 'from-file']);
  });

  it('emits through @opentelemetry/sdk-node\'s provider when the SDK started first: each record exported once', async () => {
    const result = await runNode(`
      import { NodeSDK } from '@opentelemetry/sdk-node';
      const sdk = new NodeSDK({ traceExporter: undefined, metricReaders: [] });
      sdk.start();
      const { getLogger, flush } = await import(${JSON.stringify(SRC_INDEX)});
      getLogger('with.sdk').info('once', { n: 1 });
      await flush();
      await sdk.shutdown();
    `, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'sdk-app', OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none', OTEL_BLRP_SCHEDULE_DELAY: '20' } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /"message":"once"/); // logbridge's stdout lines stay
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(receiver.counts.accepted, 1);
    const [rec] = receiver.records;
    assert.equal(rec!.scope.name, 'with.sdk');
    assert.equal(rec!.resource['service.name'], 'sdk-app');
    assert.equal(receiver.requests[0]!.headers['user-agent']?.toString().startsWith('OTel-OTLP-Exporter-JavaScript'), true);
  });

  for (const [name, env] of [
    ['a stdout-only app', {}],
    ['an app with OTEL_SDK_DISABLED=true and an endpoint', { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' }],
  ] as const) {
    it(`never loads the OpenTelemetry SDK for ${name}`, async () => {
      const result = await runNode(`
        import { registerHooks } from 'node:module';
        const loaded = [];
        registerHooks({ resolve(specifier, ctx, next) { const r = next(specifier, ctx); loaded.push(r.url); return r; } });
        const { getLogger, flush } = await import(${JSON.stringify(SRC_INDEX)});
        getLogger('plain').info('hello');
        await flush();
        console.error(JSON.stringify(loaded.filter((u) => /sdk-logs|otlp-transformer|exporter-logs|@opentelemetry\\/resources/.test(u))));
      `, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: undefined, OTEL_LOGS_EXPORTER: undefined, ...env } });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /"message":"hello"/);
      assert.equal(result.stderr.trim(), '[]');
    });
  }
});
