import assert from 'node:assert/strict';
import { MemorySink } from '../../src/sinks/memory.ts';
import { makeRecord } from '../encoders/record-fixture.ts';

describe('MemorySink', () => {
  it('keeps every record with its attributes merged by precedence', () => {
    const sink = new MemorySink();
    sink.emit(makeRecord({
      bindings: { attributes: { k: 'binding', b: 1 }, keys: new Set(['k', 'b']) },
      contextAttributes: { k: 'request', r: 2 },
      attributes: { k: 'call' },
    }));
    assert.equal(sink.records.length, 1);
    assert.deepEqual({ ...sink.records[0]!.allAttributes }, { k: 'call', b: 1, r: 2 });
  });

  describe('find()', () => {
    const sink = new MemorySink();
    sink.emit(makeRecord({ body: 'order placed', scope: 'orders' }));
    sink.emit(makeRecord({ body: 'paid', scope: 'payments', eventName: 'payment.done' }));

    it('matches the message, event name or scope exactly with a string', () => {
      assert.equal(sink.find('order placed').length, 1);
      assert.equal(sink.find('payment.done')[0]!.body, 'paid');
      assert.equal(sink.find('payments').length, 1);
      assert.equal(sink.find('order').length, 0);
    });

    it('tests the same fields with a RegExp, and takes a predicate', () => {
      assert.equal(sink.find(/^pay/).length, 1);
      assert.equal(sink.find((r) => r.scope === 'orders').length, 1);
    });
  });

  it('clear() forgets records, stats() counts what was received', async () => {
    const sink = new MemorySink();
    sink.emit(makeRecord());
    sink.emit(makeRecord());
    assert.deepEqual(sink.stats(), { received: 2, dropped: {} });
    sink.clear();
    assert.equal(sink.records.length, 0);
    await sink.flush();
    await sink.shutdown();
  });
});
