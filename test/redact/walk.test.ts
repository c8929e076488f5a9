import assert from 'node:assert/strict';
import { configure, getLogger } from '../../src/index.ts';
import { createRedactor } from '../../src/redact/redactor.ts';
import { createJsonEncoder } from '../../src/encoders/json.ts';
import { createLogfmtEncoder } from '../../src/encoders/logfmt.ts';
import { createPrettyEncoder } from '../../src/encoders/pretty.ts';
import { toOtelAttributes } from '../../src/otel/mapping.ts';
import { DEFAULT_LIMITS } from '../../src/values/limits.ts';
import type { LogRecord } from '../../src/core/record.ts';
import type { Sink } from '../../src/core/sink.ts';

/** An object of `n` keys behind a proxy that counts every trap call. */
function counted(n: number, extra: Record<string, unknown> = {}): { proxy: Record<string, unknown>; traps: Map<string, number> } {
  const target: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) target['k' + i] = i;
  Object.assign(target, extra);
  const traps = new Map<string, number>();
  const handler: ProxyHandler<Record<string, unknown>> = {};
  for (const name of ['get', 'ownKeys', 'getOwnPropertyDescriptor', 'has'] as const) {
    (handler as Record<string, unknown>)[name] = (...args: unknown[]) => {
      traps.set(name, (traps.get(name) ?? 0) + 1);
      return (Reflect[name] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return { proxy: new Proxy(target, handler), traps };
}

describe('bounded work on huge attribute objects', () => {
  after(() => configure({ env: {}, sinks: [] }));

  it('reads only the kept attributes of a huge object, on the whole path (logger, redactor, encoders, OTLP mapping)', () => {
    const lines: string[] = [];
    let dropped = -1;
    const encoders = [createJsonEncoder(), createLogfmtEncoder(), createPrettyEncoder({ colors: false })];
    const sink: Sink = {
      emit(record: LogRecord) {
        for (const encode of encoders) lines.push(encode(record));
        const counts = { dropped: 0 };
        toOtelAttributes(record, DEFAULT_LIMITS, counts);
        dropped = counts.dropped;
      },
    };
    configure({ env: {}, sinks: [sink] });
    const { proxy, traps } = counted(50_000);
    getLogger('huge').info('many keys', proxy);
    // One listing of the keys (Object.keys asks each key's descriptor: that is the listing itself).
    assert.equal(traps.get('ownKeys'), 1);
    assert.ok((traps.get('get') ?? 0) <= DEFAULT_LIMITS.attributeCount + 2, `get ×${traps.get('get')}`);
    const json = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(json.k127, 127);
    assert.equal(json.k128, undefined);
    assert.equal(json.dropped_attributes_count, 50_000 - DEFAULT_LIMITS.attributeCount);
    assert.match(lines[1]!, / dropped_attributes_count=49872\n$/);
    assert.match(lines[2]!, /dropped_attributes_count=49872/);
    assert.equal(dropped, 50_000 - DEFAULT_LIMITS.attributeCount);
  });

  it('still redacts the kept attributes of a huge object, and never writes the cut ones', () => {
    const redactor = createRedactor({ attributeCount: 4 });
    const { proxy } = counted(10, { password: 'hunter2' });
    const record = {
      time: 0, severityNumber: 9, severityText: 'INFO', scope: 't', body: 'x', eventName: undefined, bindings: undefined,
      contextAttributes: undefined, attributes: proxy, exception: undefined, requestId: undefined, trace: undefined,
    } satisfies LogRecord;
    const out = redactor.processor(record)!;
    assert.deepEqual(Object.keys(out.attributes!), ['k0', 'k1', 'k2', 'k3']);
    assert.equal(out.droppedAttributes, 7);
    assert.ok(!createJsonEncoder()(out).includes('hunter2'));
  });

  it('searches only the first entries of a huge nested object or array (the encoders write no more)', () => {
    const { proxy, traps } = counted(5000);
    const list = Array.from({ length: 5000 }, (_, i) => `v${i}`);
    const redactor = createRedactor({ collectionEntries: 100 });
    const input = { nested: proxy, list };
    assert.equal(redactor.redactAttributes(input), input);
    assert.ok((traps.get('get') ?? 0) <= 102, `get ×${traps.get('get')}`);
  });
});
