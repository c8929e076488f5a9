import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { configure, getLogger } from '../../src/index.ts';
import { captureLogs } from '../../src/testing/index.ts';
import { createRedactor, redactionCheckOf } from '../../src/redact/redactor.ts';
import { createJsonEncoder, fuseRedaction } from '../../src/encoders/json.ts';
import { createStdoutSink } from '../../src/sinks/stdout.ts';
import { MemorySink } from '../../src/sinks/memory.ts';
import { hostileCases } from '../../src/testing/hostile-cases.ts';
import type { Attributes, Bindings, LogRecord } from '../../src/core/record.ts';
import { SECRET_SHAPES } from './secret-corpus.ts';

const base: LogRecord = {
  time: 1_760_000_000_123, severityNumber: 9, severityText: 'INFO', scope: 'shop', body: 'order placed',
  eventName: undefined, bindings: undefined, contextAttributes: undefined, attributes: undefined,
  exception: undefined, requestId: undefined, trace: undefined,
};

function bound(attributes: Attributes): Bindings {
  return { attributes, keys: new Set(Object.keys(attributes)) };
}

/** Records with a secret (or a hostile value) in every place a record can hold one, and clean ones between them. */
function corpus(): LogRecord[] {
  const records: LogRecord[] = [];
  const clean = (i: number): LogRecord => ({ ...base, bindings: bound({ service: 'checkout' }), attributes: { orderId: i, sku: 'SKU-1234', qty: 3 } });
  for (const [, text] of SECRET_SHAPES) {
    records.push(
      clean(records.length),
      { ...base, body: text },
      { ...base, attributes: { orderId: 1, sku: 'SKU-1234', note: text } },
      { ...base, attributes: { note: text, orderId: 1 } },
      { ...base, attributes: { order: { id: 1, notes: ['fine', text] } } },
      { ...base, bindings: bound({ note: text }), attributes: { orderId: 1 } },
      { ...base, contextAttributes: Object.freeze({ 'http.route': '/orders', note: text }), attributes: { orderId: 1 } },
      { ...base, exception: { type: 'Error', message: text, stacktrace: `Error: ${text}\n    at x (y.js:1:1)` } },
      { ...base, exception: { type: 'Error', message: 'failed', attributes: { note: text } } },
    );
  }
  records.push(
    clean(1),
    { ...base, attributes: { orderId: 1, password: 'hunter2', sku: 'SKU-1234' } },
    { ...base, attributes: { 'x-api-key': 'k-123', qty: 2 } },
    { ...base, attributes: { user: { name: 'ann', passwordHash: 'h' } } },
    { ...base, attributes: { card: 4111111111111111, sku: 'SKU-1234' } },
    { ...base, attributes: { card: '4111 1111 1111 1111' } },
    { ...base, attributes: { 1: 'first', note: 'Bearer abc.def-ghi_12345' } },
    { ...base, attributes: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i === 150 ? 'Bearer abc.def-ghi_12345' : i])) },
    { ...base, attributes: { orderId: 1 }, droppedAttributes: 3 },
    { ...base, attributes: { ok: true, missing: undefined, nothing: null, big: 12n } },
    clean(2),
  );
  for (const c of hostileCases()) records.push(c.record, clean(3));
  return records;
}

describe('redaction fused into the JSON encoder', () => {
  afterEach(() => configure({ env: {}, sinks: [] }));

  it('writes the line the processor and then the encoder write, for secrets anywhere and hostile values', () => {
    const records = corpus();
    const redactor = createRedactor();
    const encode = createJsonEncoder();
    const fused = fuseRedaction(createJsonEncoder(), redactionCheckOf(createRedactor().processor)!)!;
    // Three rounds, the second backwards: both paths' positional caches see the same history.
    for (let round = 0; round < 3; round++) {
      for (const record of round === 1 ? [...records].reverse() : records) {
        assert.equal(fused(record), encode(redactor.processor(record)!), `${round}: ${String(record.body).slice(0, 60)}`);
      }
    }
  });

  it('is offered only for a redactor without paths, and only to encoders made by createJsonEncoder', () => {
    assert.equal(redactionCheckOf(createRedactor({ paths: ['user.ssn'] }).processor), undefined);
    assert.equal(redactionCheckOf((record) => record), undefined);
    const check = redactionCheckOf(createRedactor().processor)!;
    assert.equal(fuseRedaction((record) => `${record.body}\n`, check), undefined);
    assert.equal(typeof fuseRedaction(createJsonEncoder(), check), 'function');
  });

  it('keeps the check\'s caches of logged values off the redactor an application can inspect', () => {
    const redactor = createRedactor();
    const fused = fuseRedaction(createJsonEncoder(), redactionCheckOf(redactor.processor)!)!;
    fused({ ...base, attributes: { email: 'ann@example.com' } });
    assert.equal(redactionCheckOf(redactor.processor)!.values[0], 'ann@example.com');
    assert.ok(!inspect(redactor, { showHidden: true, depth: 5 }).includes('ann@example.com'));
    assert.deepEqual(Object.keys(redactor), ['description', 'processor']);
  });

  it('checks the value it writes: a getter cannot show the check a clean value and the line a secret', () => {
    const secret = 'Bearer abc.def-ghi_12345';
    let reads = 0;
    const attributes = { orderId: 7 };
    Object.defineProperty(attributes, 'note', { enumerable: true, get: () => (++reads === 1 ? 'fine' : secret) });
    const fused = fuseRedaction(createJsonEncoder(), redactionCheckOf(createRedactor().processor)!)!;
    const line = fused({ ...base, attributes });
    assert.equal(reads, 1);
    assert.match(line, /"note":"fine"/);
    assert.ok(!line.includes('abc.def'));
  });

  describe('in the pipeline', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'logbridge-fused-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** Logs one record whose `note` getter counts its reads, through `sinks`; the stdout file's text and the reads. */
    function logCounted(withMemory: boolean): { text: string; reads: number; memory: MemorySink } {
      const file = join(dir, 'out.jsonl');
      const stdout = createStdoutSink({ fd: openSync(file, 'w') });
      const memory = new MemorySink();
      configure({ env: {}, sinks: withMemory ? [stdout, memory] : [stdout] });
      let reads = 0;
      const attributes = { password: 'hunter2', orderId: 1 };
      Object.defineProperty(attributes, 'note', { enumerable: true, get: () => (reads++, 'call me, token=abcdef123456') });
      getLogger('fused').info('order placed', attributes);
      stdout.flushSync?.();
      return { text: readFileSync(file, 'utf8'), reads, memory };
    }

    it('redacts in the stdout sink when it is the only sink', () => {
      const { text, reads } = logCounted(false);
      assert.ok(!text.includes('hunter2') && !text.includes('abcdef123456'), text);
      assert.match(text, /"password":"\[REDACTED\]"/);
      assert.match(text, /"note":"call me, token=\[REDACTED\]"/);
      assert.ok(reads >= 1);
    });

    it('reads a clean record once in all when stdout is the only sink, twice or more with a second sink', () => {
      for (const withMemory of [false, true]) {
        const file = join(dir, `clean-${withMemory}.jsonl`);
        const stdout = createStdoutSink({ fd: openSync(file, 'w') });
        configure({ env: {}, sinks: withMemory ? [stdout, new MemorySink()] : [stdout] });
        let reads = 0;
        const attributes = { orderId: 1 };
        Object.defineProperty(attributes, 'sku', { enumerable: true, get: () => (reads++, 'SKU-1234') });
        getLogger('fused').info('order placed', attributes);
        stdout.flushSync?.();
        assert.match(readFileSync(file, 'utf8'), /"sku":"SKU-1234"/);
        if (withMemory) assert.ok(reads >= 2, `reads ${reads}`);
        else assert.equal(reads, 1);
      }
    });

    it('still redacts for a second sink, and for captureLogs while stdout is the only configured sink', async () => {
      const { text, memory } = logCounted(true);
      assert.ok(!text.includes('hunter2'));
      assert.equal(memory.records[0]!.attributes!.password, '[REDACTED]');
      const file = join(dir, 'alone.jsonl');
      configure({ env: {}, sinks: [createStdoutSink({ fd: openSync(file, 'w') })] });
      const captured = await captureLogs(() => getLogger('fused').info('login', { password: 'hunter2' }));
      assert.equal(captured.records[0]!.attributes!.password, '[REDACTED]');
      getLogger('fused').info('after capture', { password: 'hunter2' });
      configure({ env: {}, sinks: [] });
      assert.ok(!readFileSync(file, 'utf8').includes('hunter2'));
    });
  });
});
