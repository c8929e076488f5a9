import assert from 'node:assert/strict';
import { DEFAULT_REDACT_KEYS, KeyRules, keyWords } from '../../src/redact/keys.ts';

describe('keyWords()', () => {
  const cases: Array<[string, string[]]> = [
    ['passwordHash', ['password', 'hash']],
    ['x-api-key', ['x', 'api', 'key']],
    ['db.pass', ['db', 'pass']],
    ['AWSSecretKey', ['aws', 'secret', 'key']],
    ['aws_secret_access_key', ['aws', 'secret', 'access', 'key']],
    ['XApiKey', ['x', 'api', 'key']],
    ['oauth2Token', ['oauth2', 'token']],
    ['HTTP_AUTHORIZATION', ['http', 'authorization']],
  ];
  for (const [key, words] of cases) it(`${key} → ${words.join(' + ')}`, () => assert.deepEqual(keyWords(key), words));
});

describe('KeyRules (the default key rule)', () => {
  const rules = new KeyRules(DEFAULT_REDACT_KEYS);
  const secret = [
    // The leaks: words, not whole names.
    'aws_secret_access_key', 'access_key', 'pwd', 'pass', 'auth', 'bearer', 'session', 'jwt', 'sig', 'signature',
    'passwordHash', 'x-api-key', 'db.pass', 'DB_PASSWORD', 'userPassword', 'Proxy-Authorization', 'csrfToken',
    'x-auth-token', 'Set-Cookie', 'cookies', 'client_secret', 'clientSecret', 'privateKey', 'private_key_pem',
    'SIGNING_KEY', 'encryptionKey', 'credential', 'Credentials', 'session_id', 'sessionId', 'JSESSIONID',
    'PHPSESSID', 'sid', 'refresh_token', 'id_token', 'accesstoken', 'apikey', 'APIKey', 'x-goog-api-key',
    'x-amz-security-token', 'http.request.header.authorization', 'passphrase', 'passcode', 'secrets', 'AccountKey',
    'mfa_secret', 'webhook_signature', 'stripe.apiKey', 'GITHUB_TOKEN', 'NPM_TOKEN',
  ];
  const kept = [
    // False friends: other words, plurals that count, and words that describe the secret.
    'passed', 'passes', 'passenger', 'passport', 'compass', 'bypass', 'author', 'authors', 'authored',
    'secretary', 'possession', 'tokens', 'tokens_used', 'max_tokens', 'gen_ai.usage.input_tokens',
    'prompt_tokens', 'tokenCount', 'token_count', 'token_type', 'tokenizer', 'passwordLength', 'password_length',
    'password_policy', 'session_count', 'sessionDuration', 'sessions', 'active_sessions', 'accessTokenExpiresAt',
    'token_expires_in', 'auth_type', 'authMethod', 'auth_provider', 'cookie_name', 'secret_name', 'pass_rate',
    'signature_alg', 'keyId', 'key', 'public_key', 'orderId', 'user', 'design', 'insider', 'signal', 'message',
  ];
  for (const key of secret) it(`redacts ${key}`, () => assert.equal(rules.isSecret(key), true));
  for (const key of kept) it(`keeps ${key}`, () => assert.equal(rules.isSecret(key), false));

  it('reads configured keys as words too, short ones only as whole words', () => {
    const custom = new KeyRules(['ssn', 'pin', 'x-session']);
    assert.deepEqual(['ssn', 'user.ssn', 'SSN_last', 'pin', 'pinCode', 'shipping', 'x-session', 'myXsession', 'session']
      .map((k) => custom.isSecret(k)), [true, true, true, true, true, false, true, true, false]);
  });

  it('answers the same from its cache', () => {
    assert.equal(rules.isSecret('apiKey'), true);
    assert.equal(rules.isSecret('apiKey'), true);
    assert.equal(rules.isSecret('tokenCount'), false);
  });
});
