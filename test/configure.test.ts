import assert from 'node:assert/strict';
import { configure, getLevel, getLogger, LogbridgeError } from '../src/index.ts';
import { MemorySink } from '../src/testing/index.ts';
import { runNode, SRC_INDEX } from './helpers/run-node.ts';

describe('configure()', () => {
  afterEach(() => configure({ env: {}, sinks: [] }));

  it('changes nothing when an option is invalid: level, sinks and processors stay as they were', () => {
    const sink = new MemorySink();
    configure({ env: {}, level: 'warn', sinks: [sink] });
    assert.throws(
      () => configure({ env: {}, level: 'debug', format: 'nope' as never }),
      (error: unknown) => error instanceof LogbridgeError && error.code === 'LOGBRIDGE_ERR_INVALID_CONFIG' && /format must be one of/.test(error.message),
    );
    assert.equal(getLevel(), 'warn');
    getLogger('t.configure').warn('still here');
    getLogger('t.configure').info('still filtered');
    assert.deepEqual(sink.records.map((r) => r.body), ['still here']);
  });

  it('keeps the sinks in force when the redaction options are invalid', () => {
    const sink = new MemorySink();
    configure({ env: {}, sinks: [sink] });
    assert.throws(() => configure({ env: {}, sinks: [new MemorySink()], redact: { mode: 'nope' as never } }), LogbridgeError);
    getLogger('t.configure').info('to the first sink');
    assert.deepEqual(sink.records.map((r) => r.body), ['to the first sink']);
  });

  it('as the first call of a program, an invalid call leaves the environment configuration in force (child process)', async () => {
    const result = await runNode(`
      import { configure, log } from ${JSON.stringify(SRC_INDEX)};
      try { configure({ level: 'debug', format: 'nope' }); } catch (error) { console.error('caught: ' + error.message); }
      log.info('after the failed call');
      log.debug('debug stays off');
    `, { env: { LOGBRIDGE_FORMAT: 'json' } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /caught: .*format must be one of/);
    const lines = result.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { message: string });
    assert.deepEqual(lines.map((l) => l.message), ['after the failed call']);
  });
});
