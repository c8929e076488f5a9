import assert from 'node:assert/strict';
import { shrinkRecord, TRUNCATED_KEY } from '../../src/encoders/record-size.ts';
import { jsonValue } from '../../src/values/json.ts';
import { truncate } from '../../src/values/truncate.ts';
import { toAnyValue } from '../../src/values/any-value.ts';
import { createJsonEncoder } from '../../src/encoders/json.ts';
import { DEFAULT_LIMITS } from '../../src/values/limits.ts';
import type { LogRecord } from '../../src/core/record.ts';
import { makeRecord } from './record-fixture.ts';

function record(fields: Partial<LogRecord> = {}): LogRecord {
  return makeRecord({ time: 0, scope: 't', body: 'm', ...fields });
}

describe('truncate()', () => {
  it('marks a cut with the number of characters left out, within the limit', () => {
    const out = truncate('a'.repeat(1000), 100);
    assert.ok(out.length <= 100 && out.length >= 98, `${out.length}`);
    assert.match(out, /^a+…\[truncated 92\d chars\]$/);
    const kept = out.indexOf('…');
    assert.equal(kept + Number(/(\d+) chars/.exec(out)![1]), 1000); // kept + reported = original
  });

  it('keeps a string that fits, and never splits a surrogate pair', () => {
    assert.equal(truncate('short', 5), 'short');
    const out = truncate('😀'.repeat(100), 51);
    assert.doesNotMatch(out, /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});

describe('collection limits', () => {
  const limits = { ...DEFAULT_LIMITS, collectionEntries: 2 };
  it('marks object and Map entries left out, in JSON and AnyValue alike', () => {
    const object = { a: 1, b: 2, c: 3, d: 4 };
    const map = new Map([['a', 1], ['b', 2], ['c', 3]]);
    assert.deepEqual(JSON.parse(jsonValue(object, limits)!), { a: 1, b: 2, '[more]': '[2 more]' });
    assert.deepEqual({ ...toAnyValue(object, limits) as object }, { a: 1, b: 2, '[more]': '[2 more]' });
    assert.deepEqual(JSON.parse(jsonValue(map, limits)!), { a: 1, b: 2, '[more]': '[1 more]' });
    assert.deepEqual({ ...toAnyValue(map, limits) as object }, { a: 1, b: 2, '[more]': '[1 more]' });
  });

  it('stops one value growing past the record size limit', () => {
    const text = jsonValue(Array.from({ length: 1000 }, () => 'x'.repeat(1000)), { ...DEFAULT_LIMITS, recordSize: 10_000 })!;
    assert.ok(text.length < 12_000);
    assert.match(text, /"\[\d+ more\]"\]$/);
  });
});

describe('shrinkRecord()', () => {
  it('keeps fields and the attributes that fit, and says what was cut', () => {
    const limits = { ...DEFAULT_LIMITS, recordSize: 4096 };
    const big = record({
      body: 'b'.repeat(10_000),
      attributes: { small: 1, huge: 'h'.repeat(3000), after: 'kept' },
      exception: { type: 'Error', message: 'e'.repeat(5000), stacktrace: 's\n'.repeat(10_000) },
    });
    const shrunk = shrinkRecord(big, limits, 50_000);
    assert.equal(shrunk.severityText, 'INFO');
    assert.ok(shrunk.body.length <= 1024 && shrunk.body.includes('…[truncated'));
    assert.deepEqual(Object.keys(shrunk.attributes!), ['small', 'after']);
    assert.match(String(shrunk.truncated), /record of 50000 chars exceeded the 4096-char limit; 1 attribute dropped/);
    const line = createJsonEncoder({ limits })(big);
    assert.ok(line.length <= 4096, `${line.length}`);
    assert.equal(JSON.parse(line)[TRUNCATED_KEY] !== undefined, true);
  });

  it('writes the marker from the record field only: a user attribute of that name is renamed', () => {
    const limits = { ...DEFAULT_LIMITS, recordSize: 4096 };
    const encode = createJsonEncoder({ limits });
    const forged = JSON.parse(encode(record({ attributes: { [TRUNCATED_KEY]: 'forged', 'attr.logbridge.truncated': 'x' } })));
    assert.equal(forged[TRUNCATED_KEY], undefined);
    assert.equal(forged[`attr.${TRUNCATED_KEY}`], 'forged');
    assert.equal(forged[`attr.attr.${TRUNCATED_KEY}`], 'x');
    const cut = JSON.parse(encode(record({ body: 'b'.repeat(10_000), attributes: { [TRUNCATED_KEY]: 'forged' } })));
    assert.match(cut[TRUNCATED_KEY], /exceeded the 4096-char limit/);
    assert.equal(cut[`attr.${TRUNCATED_KEY}`], 'forged');
  });

  it('fits a record whose text grows six-fold when escaped', () => {
    const limits = { ...DEFAULT_LIMITS, recordSize: 4096 };
    const line = createJsonEncoder({ limits })(record({ body: '\u0001'.repeat(20_000) }));
    assert.ok(line.length <= 4096, `${line.length}`);
    JSON.parse(line);
  });
});
