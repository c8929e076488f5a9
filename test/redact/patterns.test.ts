import assert from 'node:assert/strict';
import { createRedactor } from '../../src/redact/redactor.ts';
import { REDACT_PATTERN_NAMES } from '../../src/redact/patterns.ts';
import { BENIGN, SECRET_SHAPES } from './secret-corpus.ts';

const R = '[REDACTED]';

describe('value patterns', () => {
  const redactor = createRedactor();

  describe('credential shapes', () => {
    for (const [name, text, secret] of SECRET_SHAPES) {
      it(`masks ${name}`, () => {
        const out = redactor.redactString(text);
        assert.ok(!out.includes(secret), `${JSON.stringify(text)} → ${JSON.stringify(out)}`);
        assert.ok(out.includes(R), out);
      });
    }

    it('keeps what surrounds a masked value', () => {
      assert.equal(redactor.redactString('GET /cb?code=1&access_token=abc123&x=1'), `GET /cb?code=1&access_token=${R}&x=1`);
      assert.equal(redactor.redactString('q=a%26token%3Dabc%26page%3D2'), `q=a%26token%3D${R}%26page%3D2`);
      assert.equal(redactor.redactString('{"token":"t","id":1}'), `{"token":"${R}","id":1}`);
      assert.equal(redactor.redactString('key AKIAIOSFODNN7EXAMPLE used'), `key ${R} used`);
      assert.equal(redactor.redactString('Cookie: a=1; b=2\nnext line'), `Cookie: ${R}\nnext line`);
    });

    it('can be chosen by name, each one alone', () => {
      const only = createRedactor({ patterns: ['github'], defaultKeys: false });
      assert.equal(only.redactString('ghp_R4nd0mB4se62Ch4rsF0rT3st1ng0000abcd AKIAIOSFODNN7EXAMPLE'), `${R} AKIAIOSFODNN7EXAMPLE`);
      for (const name of REDACT_PATTERN_NAMES) assert.ok(createRedactor({ patterns: [name] }).redactString('') === '');
    });
  });

  describe('benign corpus', () => {
    it('has no false positive', () => {
      const changed = BENIGN.map((text) => [text, redactor.redactString(text)]).filter(([a, b]) => a !== b);
      assert.deepEqual(changed, []);
    });

    it('leaves benign attributes the same object, at any depth', () => {
      const attributes = { values: [...BENIGN], nested: { deeper: { list: BENIGN.slice(0, 10) } } };
      assert.equal(redactor.redactAttributes(attributes), attributes);
    });
  });

  it('scans hostile strings in linear time (no hang)', () => {
    for (const text of ['password='.repeat(1 << 15), '-----BEGIN PRIVATE KEY-----'.repeat(1 << 12), 'AKIA'.repeat(1 << 16),
      'a%3D'.repeat(1 << 16), 'sk-' + 'a'.repeat(1 << 18), 'Basic ' + 'A'.repeat(1 << 18), '"token":"\\'.repeat(1 << 14)]) {
      assert.equal(typeof redactor.redactString(text), 'string');
    }
  });
});
