import assert from 'node:assert/strict';
import { parseLevelRules, LevelRules } from '../../src/core/level-rules.ts';
import { toSeverityThreshold, toThresholdName, OFF } from '../../src/core/levels.ts';

describe('parseLevelRules()', () => {
  const cases: Array<[string, string, number]> = [
    ['info', 'anything', 9],
    ['debug', 'anything', 5],
    ['info,db=debug', 'db', 5],
    ['info,db=debug', 'db.pool', 5],
    ['info,db=debug', 'dbx', 9],
    ['info,db=debug', 'other', 9],
    ['info,http=debug,http.client=warn', 'http.client.pool', 13],
    ['info,http=debug,http.client=warn', 'http.server', 5],
    ['info,http.client=warn,http=debug', 'http.client', 13],
    ['warn,db=off', 'db', OFF],
    ['WARNING', 'x', 13],
    ['db=trace', 'x', 9],
    ['*=error,db=info', 'x', 17],
  ];
  for (const [text, name, expected] of cases) {
    it(`gives ${expected} for ${JSON.stringify(name)} under ${JSON.stringify(text)}`, () => {
      const { rules, problems } = parseLevelRules(text);
      assert.deepEqual(problems, []);
      assert.equal(rules.thresholdFor(name), expected);
    });
  }

  it('reports unknown levels and keeps the valid parts', () => {
    const { rules, problems } = parseLevelRules('debug,db=loud,http=warn');
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /loud/);
    assert.equal(rules.thresholdFor('x'), 5);
    assert.equal(rules.thresholdFor('http'), 13);
    assert.equal(rules.thresholdFor('db'), 5);
  });

  it('keeps the fallback default when the bare level is invalid', () => {
    const { rules, problems } = parseLevelRules('verbose', 13);
    assert.equal(problems.length, 1);
    assert.equal(rules.thresholdFor('x'), 13);
  });

  it('rejects logger names with unsafe characters', () => {
    const { problems } = parseLevelRules('info,a b=debug');
    assert.equal(problems.length, 1);
  });
});

describe('LevelRules', () => {
  describe('toString()', () => {
    it('round-trips through parseLevelRules', () => {
      const text = new LevelRules(9, [['db', 5], ['http.client', 13]]).toString();
      assert.equal(text, 'info,http.client=warn,db=debug');
      assert.equal(parseLevelRules(text).rules.thresholdFor('db.x'), 5);
    });
  });
});

describe('levels', () => {
  it('maps names to OpenTelemetry severity numbers', () => {
    assert.deepEqual(['trace', 'debug', 'info', 'warn', 'error', 'fatal'].map(toSeverityThreshold), [1, 5, 9, 13, 17, 21]);
    assert.equal(toSeverityThreshold('nope'), undefined);
    assert.equal(toThresholdName(9), 'info');
    assert.equal(toThresholdName(OFF), 'off');
  });
});
