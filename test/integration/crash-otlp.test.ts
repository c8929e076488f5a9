import assert from 'node:assert/strict';
import { describeRun, linesOf, runChild, type ChildOptions, type ChildResult } from '../helpers/crash-child.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';

/**
 * Crashes, exits and signals with the OTLP sink on: the records must be at
 * a real loopback OTLP receiver (decoded by the test's own protobuf schema)
 * by the time the child has ended, and a collector that is down or hangs
 * must not hold the child past the exit deadline.
 */

const CRASH = `
log.info('starting', { port: 8080 });
setTimeout(() => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  process.stderr.write('MARK_AT ' + Date.now() + '\\n');
  throw Object.assign(new TypeError('checkout failed', { cause: new AggregateError([refused], 'no database') }),
    { statusCode: 503 });
}, 5);
`;

const REJECT = `
log.info('starting');
setTimeout(() => { Promise.reject(new Error('lookup failed', { cause: new Error('dns timeout') })); }, 5);
`;

const SERVICE = `
log.info('listening', { port: 8080 });
log.warn('second line');
setInterval(() => {}, 1000);
setTimeout(() => process.stderr.write('READY\\n'), 20);
`;

const FATAL_STACK = /^TypeError: checkout failed\n {4}at [\s\S]*\nCaused by: AggregateError: no database\n {4}at [\s\S]*\n {4}\[errors\]\[0\]: Error: connect ECONNREFUSED 127\.0\.0\.1:5432\n {8}at /;

/** Time from the moment the child marked (`MARK_AT` on stderr: the crash, the end of its code) to its end, in ms. */
function crashToExit(run: ChildResult, closedAt: number): number {
  const at = Number(/MARK_AT (\d+)/.exec(run.stderr)?.[1]);
  assert.ok(at > 0, 'the child marked the moment');
  return closedAt - at;
}

describe('crash handlers with OTLP export (child processes, loopback receiver)', function () {
  this.timeout(40_000);
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => receiver.close());

  /** Runs `app` with logbridge exporting to the receiver, and as plain Node; asserts both end alike. */
  async function run(app: string, options: ChildOptions = {}): Promise<ChildResult> {
    const [result, plain] = await Promise.all([withOtlp(app, options), runChild(app, { ...options, logbridge: false })]);
    assert.deepEqual([result.code, result.signal], [plain.code, plain.signal],
      `ended unlike plain Node:\n${describeRun(result)}\n=== plain\n${describeRun(plain)}`);
    return result;
  }

  function withOtlp(app: string, options: ChildOptions = {}): Promise<ChildResult> {
    return runChild(app, {
      ...options,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'crash-test',
        ...options.env,
      },
    });
  }

  it('an uncaught exception: the FATAL record with its cause chain is at the receiver before exit, code 1', async () => {
    const result = await run(CRASH);
    const received = receiver.records.map((r) => [r.severityText, r.body, r.scope.name]);
    assert.equal(result.code, 1, describeRun(result));
    assert.deepEqual(received, [
      ['INFO', 'starting', 'app'],
      ['FATAL', 'Uncaught exception: TypeError: checkout failed', 'process'],
    ]);
    const fatal = receiver.records[1]!;
    assert.equal(fatal.severityNumber, 21);
    assert.equal(fatal.attributes['exception.type'], 'TypeError');
    assert.equal(fatal.attributes['exception.message'], 'checkout failed');
    assert.equal(fatal.attributes['exception.statusCode'], 503);
    assert.match(String(fatal.attributes['exception.stacktrace']), FATAL_STACK);
    assert.equal(fatal.resource['service.name'], 'crash-test');
    const lines = linesOf(result);
    assert.deepEqual(lines.map((l) => l.message), ['starting', 'Uncaught exception: TypeError: checkout failed']);
    assert.equal(lines[1]!['exception.stacktrace'], fatal.attributes['exception.stacktrace'], 'same stack on stdout and OTLP');
    assert.doesNotMatch(result.stderr, /logbridge: ACCOUNTING/);
  });

  it('a crash during a burst that fills the queue: the FATAL record still reaches the collector, the evictions counted', async () => {
    const burst = `setImmediate(() => {\n  for (let i = 0; i < 5000; i++) log.info('burst', { i });\n  throw new Error('crashed mid-burst');\n});`;
    const result = await run(burst, { env: { OTEL_BLRP_MAX_QUEUE_SIZE: '512', OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '256' } });
    assert.equal(result.code, 1, describeRun(result).slice(0, 2000));
    const fatal = receiver.records.filter((r) => r.severityText === 'FATAL');
    assert.deepEqual(fatal.map((r) => r.body), ['Uncaught exception: Error: crashed mid-burst']);
    const line = /sink "otlp": 5001 received, (\d+) delivered, (\d+) dropped \(queue_full: (\d+)\)$/m.exec(result.stderr);
    assert.ok(line, result.stderr);
    assert.equal(Number(line[1]), receiver.records.length);
    assert.equal(Number(line[1]) + Number(line[2]), 5001);
  });

  it('an unhandled rejection: FATAL record at the receiver, code 1', async () => {
    const result = await run(REJECT);
    assert.equal(result.code, 1, describeRun(result));
    assert.deepEqual(receiver.records.map((r) => r.body), ['starting', 'Unhandled rejection: Error: lookup failed']);
    assert.match(String(receiver.records[1]!.attributes['exception.stacktrace']),
      /^Error: lookup failed\n[\s\S]*\nCaused by: Error: dns timeout\n/);
  });

  it('an expected error: the same exception.* attributes on stdout and at the receiver, delivered at the natural end', async () => {
    const app = `
      const declined = Object.assign(new Error('card expired'), { code: 'CARD_EXPIRED', statusCode: 402 });
      log.expected('payment declined', declined, { 'order.id': 'A-17' });
    `;
    const result = await run(app);
    assert.equal(result.code, 0, describeRun(result));
    const expected = {
      'exception.type': 'Error', 'exception.message': 'card expired', 'exception.code': 'CARD_EXPIRED',
      'exception.statusCode': 402, 'exception.expected': true, 'order.id': 'A-17',
    };
    assert.equal(receiver.records.length, 1);
    const record = receiver.records[0]!;
    assert.deepEqual([record.severityText, record.body], ['WARN', 'payment declined']);
    assert.deepEqual(record.attributes, expected);
    const { level, message, severity_number: severity, scope, ...attributes } = linesOf(result)[0]!;
    assert.deepEqual([level, message, severity, scope], ['WARN', 'payment declined', 13, 'app']);
    assert.deepEqual(attributes, expected);
  });

  it('process.exit(): every record is at the receiver, exit code kept', async () => {
    const result = await run(`for (let i = 0; i < 300; i++) log.info('line', { i });\nprocess.exit(3);`);
    assert.equal(result.code, 3, describeRun(result));
    assert.equal(receiver.records.length, 300);
    assert.deepEqual(receiver.records.map((r) => r.attributes.i), Array.from({ length: 300 }, (_, i) => i));
    assert.equal(linesOf(result).length, 300);
  });

  it('SIGTERM: every record is at the receiver, then the process ends by the signal', async () => {
    const result = await run(SERVICE, { signal: 'SIGTERM' });
    assert.equal(result.signal, 'SIGTERM', describeRun(result));
    assert.deepEqual(receiver.records.map((r) => [r.severityText, r.body]), [['INFO', 'listening'], ['WARN', 'second line']]);
    assert.deepEqual(linesOf(result).map((l) => l.message), ['listening', 'second line']);
  });

  it('SIGTERM with the receiver down: tries briefly, ends by the signal well before the deadline, accounts for the loss', async () => {
    await receiver.down();
    const result = await run(SERVICE, { signal: 'SIGTERM', env: { LOGBRIDGE_EXIT_TIMEOUT_MS: '5000' } });
    assert.equal(result.signal, 'SIGTERM', describeRun(result));
    assert.deepEqual(linesOf(result).map((l) => l.message), ['listening', 'second line']);
    assert.match(result.stderr, /logbridge: ACCOUNTING: 2 records emitted; .*sink "otlp": 2 received, 0 delivered, 2 dropped \(exit_undelivered: 2\)$/m);
    // A refused connection at exit is tried for REFUSED_AT_EXIT_MS (300 ms), not for the 5 s deadline.
    const ms = result.afterSignalMs!;
    assert.ok(ms < 4000, `signal to exit took ${ms} ms (deadline 5000 ms, refusals tried 300 ms)`);
  });

  it('SIGTERM with the receiver hanging: ends by the signal within the deadline', async () => {
    receiver.setDefaultFault({ hang: true });
    const result = await run(SERVICE, { signal: 'SIGTERM', env: { LOGBRIDGE_EXIT_TIMEOUT_MS: '1000' } });
    assert.equal(result.signal, 'SIGTERM', describeRun(result));
    assert.deepEqual(linesOf(result).map((l) => l.message), ['listening', 'second line']);
    assert.ok(receiver.requests.length >= 1, 'the export was tried');
    assert.equal(receiver.records.length, 0);
    // sent, never answered: not counted as lost, nor as delivered
    assert.match(result.stderr, /logbridge: ACCOUNTING: .*sink "otlp": 2 received, 0 delivered, 2 unconfirmed \(sent, no answer: may have arrived\)$/m);
    const ms = result.afterSignalMs!;
    assert.ok(ms >= 900 && ms < 6000, `signal to exit took ${ms} ms (deadline 1000 ms)`);
  });

  it('the natural end with the receiver hanging: ends within the deadline, exit code kept', async () => {
    receiver.setDefaultFault({ hang: true });
    let closedAt = 0;
    const result = await run(`log.info('one'); log.info('two'); process.exitCode = 6;
      process.stderr.write('MARK_AT ' + Date.now() + '\\n');`, { env: { LOGBRIDGE_EXIT_TIMEOUT_MS: '1000' } })
      .then((r) => {
        closedAt = Date.now();
        return r;
      });
    assert.equal(result.code, 6, describeRun(result));
    assert.deepEqual(linesOf(result).map((l) => l.message), ['one', 'two']);
    assert.ok(receiver.requests.length >= 1, 'the export was tried');
    assert.match(result.stderr, /logbridge: ACCOUNTING: .*sink "otlp": 2 received, 0 delivered, 2 unconfirmed /);
    const ms = crashToExit(result, closedAt);
    assert.ok(ms >= 900 && ms < 6000, `end of code to exit took ${ms} ms (deadline 1000 ms)`);
  });

  it('an uncaught exception with the receiver hanging: exit code 1 within the deadline', async () => {
    receiver.setDefaultFault({ hang: true });
    let closedAt = 0;
    const result = await withOtlp(CRASH, { env: { LOGBRIDGE_EXIT_TIMEOUT_MS: '1000' } }).then((r) => {
      closedAt = Date.now();
      return r;
    });
    assert.equal(result.code, 1, describeRun(result));
    assert.deepEqual(linesOf(result).map((l) => l.level), ['INFO', 'FATAL']);
    const ms = crashToExit(result, closedAt);
    assert.ok(ms >= 900 && ms < 6000, `crash to exit took ${ms} ms (deadline 1000 ms)`);
  });
});
