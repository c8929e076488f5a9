import assert from 'node:assert/strict';
import { PATTERN_BITS, patternsToTry } from '../../src/redact/gate.ts';
import { DEFAULT_REDACT_KEYS, KeyRules } from '../../src/redact/keys.ts';

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
});
