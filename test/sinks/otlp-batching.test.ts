import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import sinon from 'sinon';
import { createOtlpSink, type OtlpSink } from '../../src/sinks/otlp.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';
import { makeRecord } from '../encoders/record-fixture.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';

/**
 * The OTLP sink's timing — the schedule delay, full batches, retries, their
 * back-off and the export-timeout budget — under sinon's fake timers. The
 * collector is real (a loopback receiver); what the clock controls is when
 * the sink decides to send. Two observations make that exact without sleeps:
 * the delays the sink asks `setTimeout` for, and the moment an HTTP request
 * starts (`http.Agent#addRequest`, called synchronously by `http.request`).
 */

const SCHEDULE_DELAY = 1000;
const REQUEST_TIMEOUT = 7777; // distinct from every delay the sink itself asks for

describe('createOtlpSink() timing (fake timers)', () => {
  let receiver: OtlpReceiver;
  let sink: OtlpSink;
  let clock: sinon.SinonFakeTimers;
  let delays: sinon.SinonSpy;
  let started: sinon.SinonSpy;
  let drops: string[];

  async function makeSink(options: Parameters<typeof createOtlpSink>[0] = {}): Promise<void> {
    sink = createOtlpSink({
      url: receiver.logsUrl, scheduleDelayMillis: SCHEDULE_DELAY, maxExportBatchSize: 3, timeoutMillis: REQUEST_TIMEOUT,
      exportTimeoutMillis: 60_000, env: {}, useGlobalProvider: false, ...options,
    }) as OtlpSink;
    // Load the exporter with real timers (a dynamic import), then hand the clock to the test.
    sink.emit(makeRecord({ body: 'warm-up' }));
    await sink.flush();
    receiver.clear();
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: Date.UTC(2026, 10, 28) });
    delays = sinon.spy(globalThis, 'setTimeout');
    // http.request() hands every request to its agent synchronously: the moment a send starts.
    started = sinon.spy(Agent.prototype as unknown as { addRequest: (...args: unknown[]) => void }, 'addRequest');
  }

  /** The delays, other than the transport's request timeout, asked for since the `mark`-th setTimeout call. */
  const scheduled = (mark = 0): number[] =>
    delays.getCalls().slice(mark).map((c) => c.args[1] as number).filter((d) => d !== REQUEST_TIMEOUT);

  /** Lets real I/O run (setImmediate is not faked) until `condition` holds; fails after many turns. */
  async function until(condition: () => boolean, what: string): Promise<void> {
    for (let turn = 0; turn < 200_000; turn++) {
      if (condition()) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.fail(`never happened: ${what}`);
  }

  const emit = (n: number, label = 'r'): void => {
    for (let i = 0; i < n; i++) sink.emit(makeRecord({ body: `${label}${i}` }));
  };

  /** A sink whose first batch (`first0`–`first2`) got a 503 and waits 125 ms (no jitter) for its retry. */
  async function firstBatchWaitingForRetry(): Promise<void> {
    await makeSink();
    sinon.stub(Math, 'random').returns(0);
    receiver.failNext({ status: 503 });
    emit(3, 'first');
    clock.tick(0);
    const mark = delays.callCount;
    await until(() => scheduled(mark).includes(125), 'the retry to be scheduled');
  }

  beforeEach(async () => {
    receiver = await startOtlpReceiver();
    drops = [];
    setDiagnosticSink((line) => drops.push(line));
  });

  afterEach(async () => {
    receiver.setDefaultFault(undefined);
    const done = sink.shutdown({ timeoutMillis: 1 });
    await clock.tickAsync(1);
    await done;
    sinon.restore();
    setDiagnosticSink(undefined);
    await receiver.close();
  });

  describe('schedule delay', () => {
    it('holds a partial batch for scheduleDelayMillis, then sends it in one request', async () => {
      await makeSink();
      emit(1, 'a');
      assert.deepEqual(scheduled(), [SCHEDULE_DELAY]);
      clock.tick(SCHEDULE_DELAY - 1);
      emit(1, 'b'); // joins the waiting batch
      assert.equal(started.callCount, 0, 'nothing is sent before the delay');
      clock.tick(1);
      assert.equal(started.callCount, 1);
      const records = await receiver.waitForRecords(2);
      assert.deepEqual(records.map((r) => r.body), ['a0', 'b0']);
      assert.equal(receiver.requests.length, 1);
    });

    it('sends a full batch at once, and a later partial one after the delay', async () => {
      await makeSink();
      emit(3);
      clock.tick(0);
      assert.equal(started.callCount, 1, 'the full batch goes without waiting');
      await until(() => receiver.requests.length === 1, 'the first request');
      assert.equal(receiver.requests[0]!.recordCount, 3);
      emit(1);
      clock.tick(SCHEDULE_DELAY - 1);
      assert.equal(started.callCount, 1, 'the fourth record waits for the delay');
      clock.tick(1);
      assert.equal(started.callCount, 2);
      await receiver.waitForRecords(4);
      assert.equal(receiver.requests[1]!.recordCount, 1);
    });

    it('flush() sends a partial batch without waiting for the delay', async () => {
      await makeSink();
      emit(1);
      const flushed = sink.flush();
      assert.equal(started.callCount, 1);
      await flushed;
      assert.equal(receiver.records.length, 1);
      assert.equal(clock.now - Date.UTC(2026, 10, 28), 0, 'no time had to pass');
    });
  });

  describe('batches in flight', () => {
    it('keeps at most 4 batches in flight while the records waiting fit in 4 more', async () => {
      await makeSink();
      receiver.setDefaultFault({ hang: true });
      emit(30); // 10 full batches of 3: after 6 start, 12 wait, which 4 batches carry
      clock.tick(0);
      assert.equal(started.callCount, 6);
      emit(3);
      clock.tick(0);
      assert.equal(started.callCount, 6, 'a full batch more waits: 15 records, 6 batches out');
    });

    it('sends up to 16 batches at once while more records wait than 4 batches carry', async () => {
      await makeSink();
      receiver.setDefaultFault({ hang: true });
      emit(90);
      clock.tick(0);
      assert.equal(started.callCount, 16);
      assert.equal(sink.stats().pending, 90, 'nothing is dropped or lost meanwhile');
    });

    it('starts no batch past the first while one waits for its retry, however long the backlog', async () => {
      await firstBatchWaitingForRetry();
      emit(90);
      clock.tick(0);
      assert.equal(started.callCount, 1);
    });
  });

  describe('retries', () => {
    for (const status of [429, 502, 503, 504]) {
      it(`retries HTTP ${status} after a back-off, and delivers`, async () => {
        await makeSink();
        sinon.stub(Math, 'random').returns(0); // the lowest jitter: half the ceiling
        receiver.failNext({ status });
        const exported = sink.stats().exported;
        emit(3);
        clock.tick(0);
        const mark = delays.callCount;
        await until(() => scheduled(mark).includes(125), 'the retry to be scheduled');
        clock.tick(124);
        assert.equal(started.callCount, 1, 'no retry before the back-off');
        clock.tick(1);
        assert.equal(started.callCount, 2);
        await receiver.waitForRecords(3);
        await until(() => sink.stats().exported === exported + 3, 'the delivery to be counted');
        assert.deepEqual(sink.stats().dropped, {});
      });
    }

    it('doubles the back-off ceiling per attempt, with jitter in [ceiling/2, ceiling]', async () => {
      await makeSink();
      sinon.stub(Math, 'random').returns(0.999);
      receiver.failNext({ status: 503 }, 3);
      emit(3);
      clock.tick(0);
      for (const [attempt, delay] of [[1, 250], [2, 500], [3, 1000]] as const) {
        const mark = delays.callCount - 1; // the attempt's own request timeout came just before
        await until(() => scheduled(mark).includes(delay), `retry ${attempt} to be scheduled after ${delay} ms`);
        clock.tick(delay - 1);
        assert.equal(started.callCount, attempt, `attempt ${attempt + 1} waits the whole ${delay} ms`);
        clock.tick(1);
      }
      await receiver.waitForRecords(3);
      assert.equal(receiver.requests.length, 4);
    });

    it('waits as long as Retry-After says instead of its own back-off', async () => {
      await makeSink();
      receiver.failNext({ status: 503, retryAfter: 2 });
      emit(3);
      clock.tick(0);
      const mark = delays.callCount;
      await until(() => scheduled(mark).includes(2000), 'the Retry-After wait');
      clock.tick(1999);
      assert.equal(started.callCount, 1);
      clock.tick(1);
      assert.equal(started.callCount, 2);
      await receiver.waitForRecords(3);
    });

    it('gives up when the next attempt would end past exportTimeoutMillis, and counts the batch', async () => {
      await makeSink({ exportTimeoutMillis: 1000 });
      sinon.stub(Math, 'random').returns(0.999); // back-offs 250, 500, then 1000: 250 + 500 + 1000 > 1000
      receiver.setDefaultFault({ status: 503 });
      emit(3);
      clock.tick(0);
      const mark = delays.callCount;
      for (const delay of [250, 500]) {
        await until(() => scheduled(mark).includes(delay), `the ${delay} ms retry`);
        clock.tick(delay);
      }
      await until(() => sink.stats().dropped.retry_timeout === 3, 'the batch to be dropped');
      assert.equal(started.callCount, 3);
      assert.deepEqual(scheduled(mark), [250, 500], 'no attempt past the budget is scheduled');
      assert.ok(drops.some((line) => /OTLP_DROPPED_RETRY_TIMEOUT/.test(line) && /HTTP 503/.test(line)), drops.join(''));
    });

    it('never retries a permanent failure (HTTP 400): the batch is counted as failed', async () => {
      await makeSink();
      receiver.failNext({ status: 400 });
      emit(3);
      clock.tick(0);
      const mark = delays.callCount;
      await until(() => sink.stats().dropped.export_failed === 3, 'the batch to be dropped');
      assert.equal(started.callCount, 1);
      assert.deepEqual(scheduled(mark), [], 'no retry is scheduled');
    });

    it('holds new batches while one waits for its retry, then sends them', async () => {
      await firstBatchWaitingForRetry();
      emit(3, 'second');
      clock.tick(0);
      assert.equal(started.callCount, 1, 'the collector is unwell: no new batch piles on');
      clock.tick(125);
      await receiver.waitForRecords(3);
      await until(() => receiver.records.length === 6, 'the held batch after the retry');
      assert.deepEqual(receiver.records.map((r) => r.body), ['first0', 'first1', 'first2', 'second0', 'second1', 'second2']);
    });
  });
});
