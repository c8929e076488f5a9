import assert from 'node:assert/strict';
import fc from 'fast-check';
import { configure, getLogger, withRequestContext, type Sink, type LogRecord } from '../../src/index.ts';
import { createJsonEncoder } from '../../src/encoders/json.ts';
import { createLogfmtEncoder } from '../../src/encoders/logfmt.ts';
import { createPrettyEncoder } from '../../src/encoders/pretty.ts';
import { createOtlpJsonEncoder } from '../../src/encoders/otlp-json.ts';
import { ENV } from '../../src/config/env.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';
import { runNode, parseLines, SRC_INDEX, ROOT } from '../helpers/run-node.ts';
import { FC_PARAMS, hostileAttributes, hostileKey, hostileString, hostileValue, reveal } from './hostile.ts';

/** Controls that must never reach a terminal raw (after the encoder's own colour codes are removed). */
const TERMINAL_CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const SGR = /\x1b\[[0-9;]*m/g;

/**
 * Encodes every record with every line format and checks the result; sinks
 * are isolated by the pipeline (a throw would be swallowed), so problems are
 * collected and asserted afterwards.
 */
class CheckingSink implements Sink {
  readonly problems: string[] = [];
  received = 0;
  readonly #encoders = [
    ['json', createJsonEncoder()],
    ['logfmt', createLogfmtEncoder()],
    ['pretty', createPrettyEncoder({ colors: false, env: {} })],
    ['pretty+colors', createPrettyEncoder({ colors: true, env: {} })],
    ['otlp-json', createOtlpJsonEncoder({ env: {} })],
  ] as const;

  emit(record: LogRecord): void {
    this.received++;
    for (const [name, encode] of this.#encoders) {
      let line: string;
      try {
        line = encode(record);
      } catch (error) {
        this.problems.push(`${name} threw ${String(error)}`);
        continue;
      }
      const problem = checkLine(name, line);
      if (problem !== undefined) this.problems.push(`${name}: ${problem}: ${JSON.stringify(line.slice(0, 300))}`);
    }
  }
}

function checkLine(format: string, line: string): string | undefined {
  if (typeof line !== 'string' || !line.endsWith('\n')) return 'not a terminated line';
  const body = line.slice(0, -1);
  if (body.includes('\r')) return 'a raw carriage return';
  if (format.startsWith('pretty')) {
    // Pretty output is multi-line by design (attributes, stack): every continuation line is indented, so none can pass for a record.
    const forged = body.split('\n').slice(1).find((l) => !l.replace(SGR, '').startsWith(' '));
    if (forged !== undefined) return `an unindented continuation line ${JSON.stringify(forged.slice(0, 80))}`;
  } else if (body.includes('\n')) return 'a raw line break inside the record';
  if (format === 'json' || format === 'otlp-json') {
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== 'object' || parsed === null) return 'not a JSON object';
    } catch (error) {
      return `invalid JSON (${String(error)})`;
    }
  }
  if (format.startsWith('pretty') && TERMINAL_CONTROLS.test(body.replace(SGR, '').replaceAll('\n', ' '))) {
    return 'a raw control character';
  }
  if (format === 'logfmt' && /[\u0000-\u001f]/.test(body)) return 'a raw control character';
  return undefined;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

describe('hostile input (property-based; FC_SEED / FC_RUNS to vary)', function () {
  this.timeout(120_000);
  let sink: CheckingSink;
  let diagnostics: string[];

  beforeEach(() => {
    sink = new CheckingSink();
    diagnostics = [];
    setDiagnosticSink((line) => diagnostics.push(line));
    configure({ env: {}, sinks: [sink], level: 'trace' });
  });
  afterEach(() => {
    setDiagnosticSink(undefined);
    configure({ env: {}, sinks: [] });
  });

  /** Runs `fn`, then asserts: it did not throw, every line of every format is sound, diagnostics are single lines. */
  function survives(fn: () => void, expectedRecords?: number): void {
    const before = sink.received;
    try {
      fn();
    } catch (error) {
      assert.fail(`the call threw: ${(error as Error)?.stack ?? String(error)}`);
    }
    assert.deepEqual(sink.problems, []);
    if (expectedRecords !== undefined) assert.equal(sink.received - before, expectedRecords);
    for (const line of diagnostics) {
      assert.ok(line.endsWith('\n') && line.indexOf('\n') === line.length - 1 && !line.includes('\r'),
        `diagnostic line split: ${JSON.stringify(line.slice(0, 200))}`);
    }
  }

  it('survives any message, error and attributes at every level', () => {
    fc.assert(fc.property(fc.constantFrom(...LEVELS), hostileValue, hostileValue, hostileAttributes, (level, a, b, c) => {
      // Untyped on purpose: JavaScript callers pass anything.
      const method = getLogger('p.msg')[level] as (...args: unknown[]) => void;
      survives(() => method.call(getLogger('p.msg'), reveal(a), reveal(b), reveal(c)), 1);
    }), FC_PARAMS);
  });

  it('survives any attributes, call-first and pino-style', () => {
    fc.assert(fc.property(hostileAttributes, hostileString, (attributes, message) => {
      survives(() => {
        getLogger('p.attr').info(message, reveal(attributes) as Record<string, unknown>);
        getLogger('p.attr').info(reveal(attributes), message);
      }, 2);
    }), FC_PARAMS);
  });

  it('survives any child bindings, nested, with clashing call attributes', () => {
    fc.assert(fc.property(hostileAttributes, hostileAttributes, hostileAttributes, (b1, b2, call) => {
      survives(() => {
        const child = getLogger('p.child').child(reveal(b1) as Record<string, unknown>).child(reveal(b2) as Record<string, unknown>);
        child.info('m', reveal(call) as Record<string, unknown>);
        void child.bindings;
      }, 1);
    }), FC_PARAMS);
  });

  it('survives any thrown value as an error', () => {
    fc.assert(fc.property(hostileValue, hostileAttributes, (thrown, attributes) => {
      survives(() => {
        const log = getLogger('p.err');
        log.error('failed', reveal(thrown), reveal(attributes) as Record<string, unknown>);
        log.error(reveal(thrown));
        log.fatal(reveal(thrown), reveal(attributes) as Record<string, unknown>);
      }, 3);
    }), FC_PARAMS);
  });

  it('survives any request ID, request attributes and remote trace context', () => {
    const context = fc.record({
      requestId: hostileValue,
      attributes: hostileAttributes,
      trace: fc.oneof(hostileValue, fc.record({ traceId: hostileValue, spanId: hostileValue, traceFlags: hostileValue })),
    }, { requiredKeys: [] });
    fc.assert(fc.property(context, context, hostileValue, (outer, inner, message) => {
      survives(() => {
        withRequestContext(reveal(outer) as never,
          () => withRequestContext(reveal(inner) as never, () => getLogger('p.ctx').warn(reveal(message))));
      }, 1);
    }), FC_PARAMS);
  });

  it('survives any event name, attributes and options', () => {
    const options = fc.oneof(hostileValue, fc.record({
      level: fc.oneof(fc.constantFrom(...LEVELS), hostileValue), message: hostileValue,
    }, { requiredKeys: [] }));
    fc.assert(fc.property(hostileValue, hostileAttributes, options, (name, attributes, opts) => {
      survives(() => getLogger('p.event').event(reveal(name) as string, reveal(attributes) as Record<string, unknown>,
        reveal(opts) as never));
    }), FC_PARAMS);
  });

  it('survives any logger name', () => {
    fc.assert(fc.property(hostileValue, hostileValue, (name, message) => {
      survives(() => getLogger(reveal(name) as string).info(reveal(message)), 1);
    }), FC_PARAMS);
  });

  it('survives any environment values given to configure({ env })', () => {
    const names = [...Object.values(ENV).flatMap((spec) => [spec.name, ...('fallbacks' in spec ? spec.fallbacks : [])]),
      'OTEL_SERVICE_NAME', 'OTEL_RESOURCE_ATTRIBUTES', 'OTEL_SDK_DISABLED', 'NO_COLOR', 'FORCE_COLOR'];
    const env = fc.dictionary(fc.constantFrom(...names), fc.oneof(hostileString, fc.constantFrom('0', '-1', '1e999', 'off', 'none', ',', '=')));
    fc.assert(fc.property(env, hostileValue, (values, message) => {
      survives(() => {
        configure({ env: values, sinks: [sink] });
        getLogger('p.env').fatal(reveal(message), { password: 'p' });
      });
    }), FC_PARAMS);
  });

  it('keeps planted secrets out of every format, whatever surrounds them', () => {
    const secret = 'Sup3rS3cr3tValue';
    fc.assert(fc.property(hostileKey, hostileString, fc.constantFrom('password', 'x-api-key', 'Authorization', 'db.secret'),
      (otherKey, noise, key) => {
        const lines: string[] = [];
        const capture: Sink = { emit: (r) => { lines.push(createJsonEncoder()(r), createLogfmtEncoder()(r), createOtlpJsonEncoder({ env: {} })(r)); } };
        configure({ env: {}, sinks: [capture] });
        const log = getLogger('p.secret').child({ [key]: secret });
        log.info(`${noise} password=${secret} ${noise}`, { [otherKey]: noise, nested: { [key]: secret }, list: [{ [key]: secret }] });
        log.error(new Error(`${noise} Bearer ${secret}`));
        assert.ok(lines.length === 6 && lines.every((line) => !line.includes(secret)), lines.join(''));
      }), FC_PARAMS);
  });
});

describe('hostile input on real stdout (child process)', () => {
  it('writes one valid JSON line per record for every hostile value', async function () {
    this.timeout(60_000);
    const { stdout, stderr, code } = await runNode(`
      import fc from 'fast-check';
      import { getLogger, withRequestContext } from ${JSON.stringify(SRC_INDEX)};
      import { handMade, hostileValue, reveal, FC_PARAMS } from ${JSON.stringify(ROOT + '/test/property/hostile.ts')};
      const values = [...handMade(), ...fc.sample(hostileValue, { numRuns: 100, seed: FC_PARAMS.seed }).map((v) => reveal(v))];
      const log = getLogger('stdout.hostile');
      let n = 0;
      for (const v of values) {
        log.info(v, v, { v });
        log.child({ v }).warn('child', v);
        withRequestContext({ requestId: v, attributes: { v } }, () => log.error(v));
        log.event(v, { v });
        n += 4;
      }
      process.stderr.write('records=' + n + '\\n');
    `, { timeoutMs: 50_000 });
    assert.equal(code, 0, stderr.slice(0, 2000));
    const expected = Number(/records=(\d+)/.exec(stderr)?.[1]);
    const lines = parseLines(stdout);
    assert.ok(expected >= 400);
    assert.equal(lines.length, expected);
  });
});
