import assert from 'node:assert/strict';
import { Runtime } from '../../src/core/runtime.ts';
import { parseLevelRules } from '../../src/core/level-rules.ts';
import { SEVERITY } from '../../src/core/levels.ts';
import { MemorySink } from '../../src/sinks/memory.ts';
import type { LogRecord } from '../../src/core/record.ts';

/** A runtime of its own (not the process's), with the rules `text` and a memory sink. */
function make(text = 'info'): { runtime: Runtime; sink: MemorySink } {
  const runtime = new Runtime(parseLevelRules(text).rules);
  const sink = new MemorySink();
  runtime.pipeline.configure([sink], []);
  return { runtime, sink };
}

describe('Runtime', () => {
  it('gives the same logger for the same name, each with its rule', () => {
    const { runtime } = make('warn,orders=debug');
    assert.equal(runtime.getLogger('orders'), runtime.getLogger('orders'));
    assert.equal(runtime.getLogger('orders').isEnabled('debug'), true);
    assert.equal(runtime.getLogger('billing').isEnabled('info'), false);
    assert.equal(runtime.ruleThresholdFor('orders'), SEVERITY.debug);
  });

  it('applies new level rules to loggers and children made before', () => {
    const { runtime, sink } = make('info');
    const log = runtime.getLogger('orders');
    const child = log.child({ tenant: 'acme' });
    child.debug('hidden');
    runtime.setLevelRules(parseLevelRules('debug').rules);
    child.debug('shown');
    log.debug('shown too');
    assert.deepEqual(sink.records.map((r) => r.body), ['shown', 'shown too']);
    assert.equal(runtime.levelRules.toString(), parseLevelRules('debug').rules.toString());
  });

  it('configures from the environment before the first record, once, and before flush', async () => {
    const { runtime, sink } = make();
    let runs = 0;
    runtime.setAutoConfigure(() => runs++);
    assert.equal(runs, 0, 'nothing runs at registration');
    runtime.getLogger('a').info('one');
    runtime.getLogger('a').info('two');
    assert.equal(runs, 1);
    assert.equal(sink.records.length, 2);
    runtime.setAutoConfigure(() => runs++);
    await runtime.flush();
    assert.equal(runs, 2, 'flush configures when nobody has');
  });

  it('makes records below the rules while a capture floor is set, and stops when it is lifted', () => {
    const { runtime, sink } = make('info,quiet=off');
    const log = runtime.getLogger('orders');
    runtime.setCaptureFloor(SEVERITY.debug);
    log.debug('captured');
    runtime.getLogger('quiet').error('an off logger stays off');
    assert.equal(runtime.ruleThresholdFor('orders'), SEVERITY.info, 'the rule itself is unchanged');
    runtime.setCaptureFloor(Infinity);
    log.debug('not made');
    assert.deepEqual(sink.records.map((r) => r.body), ['captured']);
  });

  it('sends records to the intake instead of the pipeline when one is set', () => {
    const { runtime, sink } = make();
    const taken: LogRecord[] = [];
    runtime.intake = (record) => taken.push(record);
    runtime.getLogger('a').info('to the intake');
    runtime.intake = undefined;
    runtime.getLogger('a').info('to the pipeline');
    assert.deepEqual(taken.map((r) => r.body), ['to the intake']);
    assert.deepEqual(sink.records.map((r) => r.body), ['to the pipeline']);
  });

  it('binds child attributes once: processed by the bindings processor, merged over the parent, frozen', () => {
    const { runtime } = make();
    let calls = 0;
    runtime.bindingsProcessor = (attributes) => {
      calls++;
      return { ...attributes, password: '[REDACTED]' };
    };
    const parent = runtime.bind(undefined, { service: 'checkout', region: 'eu' });
    const child = runtime.bind(parent, { region: 'us', password: 'hunter2' });
    assert.equal(calls, 2);
    assert.deepEqual({ ...child.attributes }, { service: 'checkout', region: 'us', password: '[REDACTED]' });
    assert.deepEqual([...child.keys].sort(), ['password', 'region', 'service']);
    assert.ok(Object.isFrozen(child) && Object.isFrozen(child.attributes));
  });
});
