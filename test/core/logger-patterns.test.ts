import assert from 'node:assert/strict';
import { matchesLogger, PatternRules } from '../../src/core/logger-patterns.ts';
import { parseLevelRules } from '../../src/core/level-rules.ts';

describe('matchesLogger()', () => {
  it('matches a plain pattern on whole dotted segments', () => {
    assert.ok(matchesLogger('db', 'db'));
    assert.ok(matchesLogger('db.pool', 'db'));
    assert.ok(!matchesLogger('dbx', 'db'));
  });

  it('matches wildcards over the whole name', () => {
    assert.ok(matchesLogger('orders.db', 'orders.*'));
    assert.ok(matchesLogger('a.b.c', '*.c'));
    assert.ok(!matchesLogger('orders', 'orders.*'));
    assert.ok(matchesLogger('v1', 'v?'));
    assert.ok(!matchesLogger('v10', 'v?'));
    assert.ok(!matchesLogger('axb', 'a.b'), 'a dot is a dot');
  });
});

describe('PatternRules', () => {
  it('answers the longest matching pattern, else the default', () => {
    const rules = new PatternRules(0, [['db', 1], ['db.pool', 2], ['*.cache', 3]]);
    assert.deepEqual(['db.pool.x', 'db.x', 'api', 'api.cache'].map((n) => rules.valueFor(n)), [2, 1, 0, 3]);
    assert.equal(rules.valueFor('db.pool.x'), 2, 'cached answer is the same');
  });
});

describe('parseLevelRules() with wildcards', () => {
  it('accepts OpenTelemetry-style wildcard names', () => {
    const { rules, problems } = parseLevelRules('info,orders.*=debug');
    assert.deepEqual(problems, []);
    assert.equal(rules.thresholdFor('orders.db'), 5);
    assert.equal(rules.thresholdFor('orders'), 9);
  });
});
