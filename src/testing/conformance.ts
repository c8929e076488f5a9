import type { Encoder, Sink } from '../core/sink.ts';
import { conformanceRecord, contractCases, type CheckName, type ConformanceCase } from './conformance-cases.ts';
import { forgingCases, hostileCases } from './hostile-cases.ts';
import type { RecordView } from './views.ts';

/**
 * The record contract as a suite anyone can run against a sink or an encoder
 * (like Go's `testing/slogtest`): required fields, precedence call > request
 * > bindings, attributes named like record fields kept apart, exception
 * mapping, one valid record for hostile values, no forged lines, and
 * idempotent flush/shutdown. It needs no test runner: it returns the
 * failures (an empty list: conforming). See docs/testing.md.
 */

export type { CheckName };

/** One way the subject breaks the contract. */
export interface ConformanceFailure {
  /** The check that failed (skip it by this name). */
  readonly check: CheckName;
  /** The case within the check (`precedence: call > request > bindings`). */
  readonly case: string;
  /** What was wrong: `level: want "WARN", got "INFO"`. */
  readonly message: string;
}

/** Options of {@link testEncoder} and {@link testSink}. */
export interface ConformanceOptions {
  /** Checks to leave out, each with the reason (a format that cannot show a field: `{ trace: 'shows 8 digits' }`). */
  readonly skip?: Readonly<Partial<Record<CheckName, string>>>;
  /** Longest wait for one `flush()` or `shutdown()` of a sink, in ms (default 10,000). Uses real timers. */
  readonly timeoutMs?: number;
}

/** An encoder and a reader of what it writes. */
export interface EncoderUnderTest {
  /** The encoder: one record in, its text out (newline-terminated). */
  readonly encode: Encoder;
  /** The records in the text `encode` returned for one record (`parseJsonLines` for JSON lines). May throw on bad output. */
  readonly parse: (output: string) => RecordView[];
}

/** How to make a sink and read what it delivered. */
export interface SinkUnderTest {
  /** A new, empty sink (called once per group of checks). */
  readonly create: () => Sink | Promise<Sink>;
  /** Everything `sink` delivered so far, oldest first; called after its `flush()` (and again after `shutdown()`). */
  readonly results: (sink: Sink) => RecordView[] | Promise<RecordView[]>;
}

function selected(options: ConformanceOptions): ConformanceCase[] {
  const skip = options.skip ?? {};
  return [...contractCases(), ...hostileCases(), ...forgingCases()].filter((c) => skip[c.check] === undefined);
}

/**
 * Runs every check against an encoder: each case's record is encoded, the
 * output parsed, and the one view compared with the record. Never throws
 * (a throwing encoder or parser is a failure).
 */
export function testEncoder(subject: EncoderUnderTest, options: ConformanceOptions = {}): ConformanceFailure[] {
  const failures: ConformanceFailure[] = [];
  for (const c of selected(options)) {
    const fail = (message: string): void => void failures.push({ check: c.check, case: c.name, message });
    let output: unknown;
    try {
      output = subject.encode(c.record);
    } catch (error) {
      fail(`encode() threw: ${describe(error)}`);
      continue;
    }
    if (typeof output !== 'string' || !output.endsWith('\n')) {
      fail(`encode() must return text ending in a newline, got ${typeof output === 'string' ? JSON.stringify(output.slice(-20)) : typeof output}`);
      continue;
    }
    const view = onlyView(() => subject.parse(output), fail);
    if (view !== undefined) for (const problem of c.expect(view)) fail(problem);
  }
  return failures;
}

/**
 * Runs every check against a sink: the records are emitted into one sink
 * and compared with what `results` reads back after `flush()`; then the
 * lifecycle is checked on a second sink (flush and shutdown settle, twice,
 * deliver nothing twice, and `emit` after `shutdown` does not throw).
 * Resolves with the failures; never rejects.
 */
export async function testSink(subject: SinkUnderTest, options: ConformanceOptions = {}): Promise<ConformanceFailure[]> {
  const failures: ConformanceFailure[] = [];
  const cases = selected(options).filter((c) => c.check !== 'lifecycle');
  const timeoutMs = options.timeoutMs ?? 10_000;
  try {
    await checkRecords(subject, cases, timeoutMs, failures);
  } catch (error) {
    failures.push({ check: 'fields', case: 'setup', message: `the sink could not be made or read: ${describe(error)}` });
  }
  if (options.skip?.lifecycle === undefined) {
    try {
      await checkLifecycle(subject, timeoutMs, failures);
    } catch (error) {
      failures.push({ check: 'lifecycle', case: 'setup', message: `the sink could not be made or read: ${describe(error)}` });
    }
  }
  return failures;
}

async function checkRecords(subject: SinkUnderTest, cases: ConformanceCase[], timeoutMs: number, failures: ConformanceFailure[]): Promise<void> {
  const sink = await subject.create();
  const emitted: ConformanceCase[] = [];
  for (const c of cases) {
    try {
      sink.emit(c.record);
      emitted.push(c);
    } catch (error) {
      failures.push({ check: c.check, case: c.name, message: `emit() threw: ${describe(error)}` });
    }
  }
  await settle(sink, 'flush', timeoutMs, 'fields', failures);
  const views = await subject.results(sink);
  if (views.length !== emitted.length) {
    failures.push({ check: 'fields', case: 'delivery', message: `${emitted.length} records emitted, ${views.length} delivered` });
  }
  const unmatched = new Set(views);
  for (const c of emitted) {
    // By the message, unique per case (batches may arrive out of order); by its start for one not meant to survive intact.
    const view = take(unmatched, (v) => v.message === c.record.body) ??
      take(unmatched, (v) => v.message?.startsWith(c.record.body.slice(0, 16)) === true);
    if (view === undefined) failures.push({ check: c.check, case: c.name, message: 'not delivered' });
    else for (const problem of c.expect(view)) failures.push({ check: c.check, case: c.name, message: problem });
  }
  await settle(sink, 'shutdown', timeoutMs, 'lifecycle', failures);
}

async function checkLifecycle(subject: SinkUnderTest, timeoutMs: number, failures: ConformanceFailure[]): Promise<void> {
  const fail = (name: string, message: string): void => void failures.push({ check: 'lifecycle', case: name, message });
  const sink = await subject.create();
  await settle(sink, 'flush', timeoutMs, 'lifecycle', failures, 'flush() with nothing emitted');
  const record = conformanceRecord('lifecycle: delivered once');
  sink.emit(record);
  await Promise.all([settle(sink, 'flush', timeoutMs, 'lifecycle', failures, 'two flush() calls at once'),
    settle(sink, 'flush', timeoutMs, 'lifecycle', failures, 'two flush() calls at once')]);
  const once = (views: RecordView[]): number => views.filter((v) => v.message === record.body).length;
  const afterFlush = once(await subject.results(sink));
  if (afterFlush !== 1) fail('flush() delivers', `the record was delivered ${afterFlush} times after flush()`);
  await settle(sink, 'shutdown', timeoutMs, 'lifecycle', failures, 'shutdown()');
  await settle(sink, 'shutdown', timeoutMs, 'lifecycle', failures, 'shutdown() again');
  try {
    sink.emit(conformanceRecord('lifecycle: after shutdown'));
  } catch (error) {
    fail('emit() after shutdown()', `threw: ${describe(error)}`);
  }
  await settle(sink, 'flush', timeoutMs, 'lifecycle', failures, 'flush() after shutdown()');
  const afterShutdown = once(await subject.results(sink));
  if (afterShutdown !== 1) fail('shutdown() twice', `the record was delivered ${afterShutdown} times after two shutdown() calls`);
}

/** Calls `sink[method]()` if it has one and waits for it, within the deadline; a rejection or a hang is a failure. */
async function settle(sink: Sink, method: 'flush' | 'shutdown', timeoutMs: number, check: CheckName,
  failures: ConformanceFailure[], name: string = `${method}()`): Promise<void> {
  const fn = sink[method];
  if (fn === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref();
  });
  try {
    const outcome = await Promise.race([Promise.resolve().then(() => fn.call(sink)), deadline]);
    if (outcome === 'timeout') failures.push({ check, case: name, message: `${method}() did not settle within ${timeoutMs} ms` });
  } catch (error) {
    failures.push({ check, case: name, message: `${method}() rejected: ${describe(error)}` });
  } finally {
    clearTimeout(timer);
  }
}

function take(views: Set<RecordView>, match: (view: RecordView) => boolean): RecordView | undefined {
  for (const view of views) {
    if (match(view)) {
      views.delete(view);
      return view;
    }
  }
  return undefined;
}

function onlyView(parse: () => RecordView[], fail: (message: string) => void): RecordView | undefined {
  let views: RecordView[];
  try {
    views = parse();
  } catch (error) {
    fail(`the output is not valid: ${describe(error)}`);
    return undefined;
  }
  if (views.length !== 1) {
    fail(`one record gave ${views.length} records in the output`);
    return undefined;
  }
  return views[0];
}

function describe(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return 'an unprintable value';
  }
}

