import assert from 'node:assert/strict';
import { boolean, exporterList, integer, keyValueList, list, onOff, oneOf, redactPatterns, url } from '../../src/config/variable.ts';

describe('environment variable parsers', () => {
  describe('integer()', () => {
    it('accepts whole numbers in range, signs included', () => {
      assert.equal(integer(0)('42'), 42);
      assert.equal(integer(-5, 5)('-5'), -5);
      assert.equal(integer(0)('+7'), 7);
    });

    it('rejects fractions, exponents, Infinity, words and values out of range', () => {
      for (const bad of ['1.5', '1e3', 'Infinity', 'ten', '', ' 1']) assert.equal(integer(0)(bad), undefined, bad);
      assert.equal(integer(1024)('1023'), undefined);
      assert.equal(integer(0, 10)('11'), undefined);
    });
  });

  it('boolean() takes true and false in any case, nothing else', () => {
    assert.equal(boolean('TRUE'), true);
    assert.equal(boolean('False'), false);
    assert.equal(boolean('1'), undefined);
    assert.equal(boolean('yes'), undefined);
  });

  it('onOff() takes on/off and true/false in any case', () => {
    assert.deepEqual(['ON', 'true', 'Off', 'FALSE', 'maybe'].map(onOff), [true, true, false, false, undefined]);
  });

  it('oneOf() matches case-insensitively and gives the listed spelling', () => {
    const format = oneOf('json', 'otlp-json');
    assert.equal(format('JSON'), 'json');
    assert.equal(format('xml'), undefined);
  });

  it('list() splits on commas, trims and skips empty items', () => {
    assert.deepEqual(list(' a, b ,,c '), ['a', 'b', 'c']);
    assert.deepEqual(list(','), []);
  });

  it('exporterList() accepts known names only, all or nothing', () => {
    assert.deepEqual(exporterList('Console, otlp'), ['console', 'otlp']);
    assert.equal(exporterList('otlp,zipkin'), undefined);
    assert.equal(exporterList(' , '), undefined);
  });

  describe('keyValueList()', () => {
    it('parses trimmed, percent-decoded pairs; a value may hold "="', () => {
      assert.deepEqual(keyValueList('Authorization=Bearer%20abc, x-tenant = acme ,k=a=b'), { Authorization: 'Bearer abc', 'x-tenant': 'acme', k: 'a=b' });
    });

    it('rejects the whole value when one pair is malformed', () => {
      for (const bad of ['a=1,novalue', '=1', 'a=1, =x', 'a=%E0%A4%A']) assert.equal(keyValueList(bad), undefined, bad);
    });

    it('skips malformed pairs and keeps the rest with skipInvalid (the config file\'s lists)', () => {
      assert.deepEqual(keyValueList('a=1,novalue,=x, =y,b=%E0%A4%A,c=3', { skipInvalid: true }), { a: '1', c: '3' });
      assert.deepEqual(keyValueList('', { skipInvalid: true }), {});
    });
  });

  it('url() accepts absolute http(s) URLs only', () => {
    assert.equal(url('https://collector:4318/v1/logs'), 'https://collector:4318/v1/logs');
    for (const bad of ['collector:4318', 'ftp://x', '/v1/logs']) assert.equal(url(bad), undefined, bad);
  });

  it('redactPatterns() takes on/off or a list of known pattern names', () => {
    assert.equal(redactPatterns('off'), false);
    assert.deepEqual(redactPatterns('JWT,bearer'), ['jwt', 'bearer']);
    assert.equal(redactPatterns('jwt,ssn'), undefined);
  });
});
