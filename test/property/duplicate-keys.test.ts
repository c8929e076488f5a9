import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createJsonEncoder, RECORD_KEYS } from '../../src/encoders/json.ts';
import { createLogfmtEncoder } from '../../src/encoders/logfmt.ts';
import { createPrettyEncoder } from '../../src/encoders/pretty.ts';
import { toOtelAttributes } from '../../src/otel/mapping.ts';
import { TRUNCATED_KEY } from '../../src/core/attributes.ts';
import { DEFAULT_LIMITS } from '../../src/values/limits.ts';
import type { Bindings, LogRecord } from '../../src/core/record.ts';
import { FC_PARAMS, hostileKey } from './hostile.ts';

/** The keys of a JSON line's top-level object, in order, duplicates kept (JSON.parse would hide them). */
export function topLevelKeys(line: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      let j = i + 1;
      while (line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) keys.push(JSON.parse(line.slice(i, j + 1)) as string);
      expectKey = false;
      i = j;
    } else if (c === '{' || c === '[') {
      depth++;
      expectKey = c === '{' && depth === 1;
    } else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 1) expectKey = true;
  }
  return keys;
}

/** The keys of a logfmt line, in order (values bare or JSON-quoted). */
function logfmtKeys(line: string): string[] {
  const keys: string[] = [];
  let i = 0;
  while (i < line.length && line[i] !== '\n') {
    while (line[i] === ' ') i++;
    const eq = line.indexOf('=', i);
    keys.push(line.slice(i, eq));
    i = eq + 1;
    if (line[i] === '"') {
      i++;
      while (line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
      i++;
    } else while (i < line.length && line[i] !== ' ' && line[i] !== '\n') i++;
  }
  return keys;
}

const reservedish = fc.oneof(
  fc.constantFrom(...RECORD_KEYS, TRUNCATED_KEY, 'event', 'req', 'trace').chain((key) =>
    fc.nat({ max: 3 }).map((n) => 'attr.'.repeat(n) + key)),
  hostileKey,
  fc.constantFrom('a b', 'a_b', 'a=b', 'a\\x20b', 'a\\x3db', '"', '\\x22', ''),
);
const attributes = fc.dictionary(reservedish, fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxKeys: 12 });

function bindings(attrs: Record<string, unknown>): Bindings {
  return { attributes: Object.freeze(attrs), keys: new Set(Object.keys(attrs)) };
}

const records = fc.record({
  call: attributes, bound: fc.option(attributes, { nil: undefined }), context: fc.option(attributes, { nil: undefined }),
  exception: fc.boolean(), requestId: fc.boolean(), big: fc.boolean(),
}).map(({ call, bound, context, exception, requestId, big }): LogRecord => ({
  time: 0, severityNumber: 21, severityText: 'FATAL', scope: 'dup', body: big ? 'b'.repeat(5000) : 'message',
  eventName: 'e', bindings: bound === undefined ? undefined : bindings(bound), contextAttributes: context,
  attributes: call, requestId: requestId ? 'r-1' : undefined,
  exception: exception ? { type: 'Error', message: 'm', stacktrace: 'Error: m\n    at x', attributes: { 'exception.code': 'E' } } : undefined,
  trace: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 },
}));

describe('no duplicated or forged keys (property-based)', () => {
  const limits = { ...DEFAULT_LIMITS, recordSize: 2048 };
  const json = createJsonEncoder({ limits });
  const logfmt = createLogfmtEncoder({ limits });

  it('the scanners see duplicates (so the properties below can fail)', () => {
    assert.deepEqual(topLevelKeys('{"a":1,"b":{"a":2},"a":[{"x":1}]}'), ['a', 'b', 'a']);
    assert.deepEqual(logfmtKeys('a=1 b="x y=\\"z" a=2\n'), ['a', 'b', 'a']);
  });

  it('no JSON line has the same key twice, and record fields keep their values', () => {
    fc.assert(fc.property(records, (record) => {
      const line = json(record);
      const keys = topLevelKeys(line);
      assert.equal(new Set(keys).size, keys.length, line);
      const parsed = JSON.parse(line) as Record<string, unknown>;
      assert.equal(parsed.level, 'FATAL');
      assert.equal(parsed.message === 'message' || String(parsed.message).startsWith('b'), true);
      assert.equal(parsed[TRUNCATED_KEY] === undefined, !record.body.startsWith('bbb'), line.slice(0, 300));
    }), FC_PARAMS);
  });

  it('no logfmt line has the same key twice', () => {
    fc.assert(fc.property(records, (record) => {
      const line = logfmt(record);
      const keys = logfmtKeys(line);
      assert.equal(new Set(keys).size, keys.length, line);
      assert.equal(keys.includes(TRUNCATED_KEY), record.body.startsWith('bbb'), line.slice(0, 300));
    }), FC_PARAMS);
  });

  it('no pretty line repeats one of its own pairs', () => {
    const pretty = createPrettyEncoder({ colors: false, limits });
    fc.assert(fc.property(records, (record) => {
      const line = pretty(record).split('\n')[0]!;
      for (const own of ['event=', 'req=', 'trace=', `${TRUNCATED_KEY}=`]) {
        assert.ok(line.split(' ').filter((part) => part.startsWith(own)).length <= 1, line);
      }
    }), FC_PARAMS);
  });

  it('OTLP attributes keep the record fields and never carry a forged marker', () => {
    fc.assert(fc.property(records, (record) => {
      const out = toOtelAttributes(record, DEFAULT_LIMITS);
      if (record.requestId !== undefined) assert.equal(out['request.id'], record.requestId);
      if (record.exception !== undefined) assert.equal(out['exception.type'], 'Error');
      assert.equal(out[TRUNCATED_KEY], undefined);
    }), FC_PARAMS);
  });

  it("the issue's cases: { level, 'attr.level' } and a user logbridge.truncated", () => {
    const base = { time: 0, severityNumber: 9, severityText: 'INFO', scope: 's', body: 'm', eventName: undefined, bindings: undefined,
      contextAttributes: undefined, exception: undefined, requestId: undefined, trace: undefined } as const;
    const line = json({ ...base, attributes: { level: 'FATAL', 'attr.level': 'x', [TRUNCATED_KEY]: 'forged' } });
    assert.deepEqual(topLevelKeys(line).slice(5), ['attr.level', 'attr.attr.level', `attr.${TRUNCATED_KEY}`]);
    assert.match(logfmt({ ...base, attributes: { level: 'FATAL', 'attr.level': 'x' } }), / attr\.level=FATAL attr\.attr\.level=x\n$/);
  });
});
