import assert from 'node:assert/strict';
import { looped, PATTERN_BITS, patternsToTry } from '../../src/redact/gate.ts';
import { DEFAULT_REDACT_KEYS, KeyRules } from '../../src/redact/keys.ts';
import { BENIGN, SECRET_SHAPES } from './secret-corpus.ts';

describe('patternsToTry() (the gate)', () => {
  const keys = new KeyRules(DEFAULT_REDACT_KEYS);
  const bits = (text: string): number => patternsToTry(text, keys);

  it('names no pattern for everyday strings, so they cost one pass', () => {
    for (const text of ['ann@example.com', 'confirmed', 'https://shop.example/orders/42?page=2', '/orders/:id', 'curl/8.5.0',
      'order placed for customer', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', '2026-12-01T14:30:00.123Z', 'user_id=42&sort=asc']) {
      assert.equal(bits(text), 0, text);
    }
  });

  it('names the pattern a credential needs', () => {
    const cases: Array<[string, keyof typeof PATTERN_BITS]> = [
      ['AKIAIOSFODNN7EXAMPLE', 'aws'], ['x ghp_abc', 'github'], ['glpat-x', 'gitlab'], ['xoxb-1', 'slack'],
      ['sk_live_x', 'stripe'], ['AIzaSy', 'google-api-key'], ['npm_x', 'npm'], [' sk-proj', 'openai'],
      ['-----BEGIN', 'private-key'], ['Bearer x', 'bearer'], ['basic x', 'basic-auth'], ['eyJhbG', 'jwt'],
      ['4111 1111 1111 1111', 'card'], ['a://u:p@h', 'url-credentials'], ['pwd=x', 'key-value'],
      ['a%26token%3Dx', 'key-value'], ['--password x', 'key-value'], ['</secret>', 'key-value'], ['ya29.x', 'tokens'],
    ];
    for (const [text, name] of cases) assert.ok((bits(text) & PATTERN_BITS[name]) !== 0, `${text} → ${name}`);
  });

  describe('long strings (the regex scan)', () => {
    const LONG = 'lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(36).slice(0, 2000);

    it('names no pattern for long prose', () => {
      assert.equal(bits(LONG), 0);
    });

    it('names the pattern of a credential anywhere in a long string', () => {
      assert.ok((bits(LONG + ' AKIAIOSFODNN7EXAMPLE') & PATTERN_BITS.aws) !== 0);
      assert.ok((bits(LONG.slice(0, 500) + ' password=hunter2 ' + LONG.slice(500)) & PATTERN_BITS['key-value']) !== 0);
      assert.ok((bits(LONG + ' 4111-1111-1111-1111') & PATTERN_BITS.card) !== 0);
    });

    it('gives the bits the character loop gives, for every corpus string inside long text', () => {
      for (const text of [...SECRET_SHAPES.map((s) => s[1]), ...BENIGN]) {
        for (const long of [LONG.slice(0, 70) + text, text + LONG.slice(0, 70), LONG.slice(0, 40) + text + LONG.slice(0, 40)]) {
          assert.equal(bits(long), looped(long, keys), long);
        }
      }
    });

    it('gives the bits the character loop gives, for random strings of trigger characters', () => {
      // Every character the gate looks at, and the letters of its prefixes and key words, at random.
      const alphabet = '-_AJ.:=%@</ \t\n\r"\'0123456789 eyJGSsya29hookbearerBasicRCxoglpatskpypiAKIAIzapassword'.split('');
      let seed = 13;
      const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      const digits = '0123456789 -0123456789 -0123456789 -x.'.split('');
      for (let n = 0; n < 4000; n++) {
        const chars = n % 4 === 3 ? digits : alphabet;
        let text = '';
        const length = 33 + Math.floor(random() * 150);
        while (text.length < length) text += chars[Math.floor(random() * chars.length)];
        assert.equal(bits(text), looped(text, keys), JSON.stringify(text));
        assert.equal(patternsToTry(text, undefined), looped(text, undefined), JSON.stringify(text));
      }
    });
  });
});
