import assert from 'node:assert/strict';
import sinon from 'sinon';
import { getLogger, setLevel, getLevel, configure } from '../../src/index.ts';
import { captureLogs, MemorySink } from '../../src/testing/index.ts';
import { runtime } from '../../src/core/runtime.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';

describe('Logger', () => {
  let level: string;
  beforeEach(() => {
    level = getLevel();
    setLevel('trace');
  });
  afterEach(() => {
    setLevel(level);
    sinon.restore();
  });

  describe('level methods', () => {
    const cases = [['trace', 1, 'TRACE'], ['debug', 5, 'DEBUG'], ['info', 9, 'INFO'],
      ['warn', 13, 'WARN'], ['error', 17, 'ERROR'], ['fatal', 21, 'FATAL']] as const;
    for (const [method, number, text] of cases) {
      it(`${method}() records severity ${number} ${text}`, async () => {
        const sink = await captureLogs(() => getLogger('t.levels')[method]('hello', { k: 1 }));
        assert.equal(sink.records.length, 1);
        const r = sink.records[0]!;
        assert.equal(r.severityNumber, number);
        assert.equal(r.severityText, text);
        assert.equal(r.body, 'hello');
        assert.equal(r.scope, 't.levels');
        assert.deepEqual(r.attributes, { k: 1 });
      });
    }

    it('takes an error as the second argument and attributes as the third', async () => {
      const err = new TypeError('bad', { cause: new Error('root') });
      const sink = await captureLogs(() => getLogger('t').error('payment failed', err, { orderId: 7 }));
      const r = sink.records[0]!;
      assert.equal(r.body, 'payment failed');
      assert.equal(r.exception?.type, 'TypeError');
      assert.equal(r.exception?.message, 'bad');
      assert.match(r.exception?.stacktrace ?? '', /TypeError: bad[\s\S]*Caused by: Error: root/);
      assert.deepEqual(r.attributes, { orderId: 7 });
    });

    it('takes an error alone, using its message', async () => {
      const sink = await captureLogs(() => getLogger('t').error(new RangeError('out of range'), { a: 1 }));
      const r = sink.records[0]!;
      assert.equal(r.body, 'out of range');
      assert.equal(r.exception?.type, 'RangeError');
      assert.deepEqual(r.attributes, { a: 1 });
    });

    it('treats a non-plain second argument (a thrown string) as the exception', async () => {
      const thrown: unknown = 'boom'; // as a `catch` variable gets it: the types reject a literal string here
      const sink = await captureLogs(() => getLogger('t').error('failed', thrown));
      assert.equal(sink.records[0]!.exception?.message, 'boom');
      assert.equal(sink.records[0]!.attributes, undefined);
    });

    it('accepts pino-style attributes first', async () => {
      const sink = await captureLogs(() => getLogger('t').info({ a: 1 }, 'msg'));
      assert.equal(sink.records[0]!.body, 'msg');
      assert.deepEqual(sink.records[0]!.attributes, { a: 1 });
    });

    it('never throws on hostile arguments', async () => {
      const hostile = { get boom(): never { throw new Error('getter'); } };
      const sink = await captureLogs(() => {
        const log = getLogger('t');
        log.info(Symbol('s') as unknown as string, hostile);
        log.info({ toString() { throw new Error('x'); } } as unknown as string);
        log.error('x', Object.create(null), hostile);
        log.warn(undefined as unknown as string, null as unknown as undefined);
      });
      assert.equal(sink.records.length, 4);
    });
  });

  describe('child()', () => {
    it('binds attributes that children of children merge, later bindings winning', async () => {
      const log = getLogger('t.child').child({ a: 1, b: 1 }).child({ b: 2, c: 3 });
      assert.deepEqual({ ...log.bindings }, { a: 1, b: 2, c: 3 });
      const sink = await captureLogs(() => log.info('x', { c: 4 }));
      assert.deepEqual({ ...sink.records[0]!.allAttributes }, { a: 1, b: 2, c: 4 });
    });

    it('serialises bindings once, at child() time, not per call', async () => {
      const spy = sinon.spy(runtime, 'bind');
      const log = getLogger('t').child({ user: { id: 1 } });
      await captureLogs(() => {
        for (let i = 0; i < 3; i++) log.info('x');
      });
      assert.equal(spy.callCount, 1);
    });
  });

  describe('event()', () => {
    it('sets the OpenTelemetry event name', async () => {
      const sink = await captureLogs(() => getLogger('t').event('user.login', { 'user.id': 7 }));
      assert.equal(sink.records[0]!.eventName, 'user.login');
      assert.equal(sink.records[0]!.severityNumber, 9);
      assert.deepEqual(sink.records[0]!.attributes, { 'user.id': 7 });
    });

    it('honours the level option and level rules', async () => {
      setLevel('warn');
      const sink = await captureLogs(() => {
        getLogger('t').event('quiet', {});
        getLogger('t').event('loud', {}, { level: 'error' });
      });
      assert.deepEqual(sink.records.map((r) => r.eventName), ['loud']);
    });
  });

  describe('isEnabled()', () => {
    it('follows the level rules of the logger name', () => {
      setLevel('warn,db=debug');
      assert.equal(getLogger('db.pool').isEnabled('debug'), true);
      assert.equal(getLogger('web').isEnabled('info'), false);
      assert.equal(getLogger('web').isEnabled('error'), true);
    });
  });

  describe('disabled levels', () => {
    it('make no record and read no argument', async () => {
      setLevel('info');
      const attributes = { get x(): number { throw new Error('read'); } };
      const sink = await captureLogs(() => getLogger('t').debug('hidden', attributes));
      assert.equal(sink.records.length, 0);
    });

    it('change at runtime for existing loggers and their children', async () => {
      const log = getLogger('t.runtime');
      const child = log.child({ a: 1 });
      setLevel('error');
      const before = await captureLogs(() => child.info('no'));
      setLevel('info,t.runtime=debug');
      const after = await captureLogs(() => child.debug('yes'));
      assert.equal(before.records.length, 0);
      assert.equal(after.records.length, 1);
    });
  });
});

describe('getLogger()', () => {
  it('returns the same logger for the same name', () => {
    assert.equal(getLogger('same.name'), getLogger('same.name'));
    assert.notEqual(getLogger('same.name'), getLogger('same.other'));
  });

  it('gives loggers made before configure() the later configuration', async () => {
    const early = getLogger('t.early');
    const sink = new MemorySink();
    const [sinks, processors] = runtime.pipeline.swap([], []);
    try {
      configure({ sinks: [sink], level: 'debug' });
      early.debug('after');
    } finally {
      runtime.pipeline.swap(sinks, processors);
      setLevel('info');
    }
    assert.equal(sink.records.length, 1);
  });
});

describe('setLevel()', () => {
  afterEach(() => setLevel('info'));

  it('throws a coded error for invalid rules and changes nothing', () => {
    setLevel('warn');
    assert.throws(() => setLevel('info,db=loud'), { code: 'LOGBRIDGE_ERR_INVALID_LEVEL' });
    assert.equal(getLevel(), 'warn');
  });
});

describe('diagnostics', () => {
  afterEach(() => setDiagnosticSink(undefined));

  it('reports a throwing sink once, and other sinks still get the record', async () => {
    const lines: string[] = [];
    setDiagnosticSink((line) => lines.push(line));
    const good = new MemorySink();
    const bad = { emit(): void { throw new Error('sink down'); } };
    const [sinks, processors] = runtime.pipeline.swap([bad, good], []);
    try {
      for (let i = 0; i < 5; i++) getLogger('t').info('x');
    } finally {
      runtime.pipeline.swap(sinks, processors);
    }
    assert.equal(good.records.length, 5);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /SINK_FAILED.*sink down/);
  });
});
