/**
 * Shared corpora for the redaction tests: credential shapes that must never
 * be written (each with the secret part that must disappear), and benign
 * values that must come out unchanged. The credentials are fakes in the
 * published formats of their issuers (docs/security.md), not real keys.
 */

/** `[name, text, secret part]`: the secret part must not survive redaction. */
export const SECRET_SHAPES: ReadonlyArray<readonly [string, string, string]> = [
  ['AWS access key ID', 'using key AKIAIOSFODNN7EXAMPLE for s3', 'AKIAIOSFODNN7EXAMPLE'],
  ['AWS temporary key ID', 'sts gave ASIAY34FZKBOKMUTVV7A', 'ASIAY34FZKBOKMUTVV7A'],
  ['AWS key pair', 'AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['aws_secret_access_key=', 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI'],
  ['GitHub classic PAT', 'cloning with ghp_R4nd0mB4se62Ch4rsF0rT3st1ng0000abcd', 'ghp_R4nd0mB4se62'],
  ['GitHub OAuth token', 'gho_16C7e42F292c6912E7710c838347Ae178B4a', 'gho_16C7e42F292c'],
  ['GitHub app token', 'ghs_16C7e42F292c6912E7710c838347Ae178B4a', 'ghs_16C7e42F292c'],
  ['GitHub fine-grained PAT', 'token github_pat_11AAAAAAA0aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'github_pat_11AAAAAAA0'],
  ['GitLab PAT', 'export GL=glpat-Xy9zAbCdEfGhIjKlMn0p', 'glpat-Xy9zAbCdEfGhIjKlMn0p'],
  ['Slack bot token', 'slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'xoxb-123456789012'],
  ['Slack user token', 'xoxp-123456789012-123456789012-123456789012-0123456789abcdef0123456789abcdef', 'xoxp-123456789012'],
  ['Slack webhook', 'posting to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'T00000000/B00000000'],
  ['Stripe live secret key', 'charge with sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
  ['Stripe restricted key', 'rk_live_51H8aBcDeFgHiJkLmNoPqRsTu', 'rk_live_51H8aBcDeFgHiJkLmNoPqRsTu'],
  ['Stripe test key', 'sk_test_26PHem9AhJZvU623DfE1x4sd', 'sk_test_26PHem9AhJZvU623DfE1x4sd'],
  ['Stripe webhook secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
  ['Google API key', 'maps key AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe', 'AIzaSyDaGmWKa4JsXZ'],
  ['npm token', '//registry.npmjs.org/:_authToken=npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', 'npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
  ['npm token alone', 'publish with npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 ok', 'npm_AbCdEfGhIjKl'],
  ['OpenAI key', 'OPENAI sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH', 'sk-abcdefghijklmnop'],
  ['OpenAI project key', 'sk-proj-Ab3dEf6hIj9lMn2pQr5tUv8xYz1AbC4eFg', 'sk-proj-Ab3dEf6hIj9'],
  ['Anthropic key', 'sk-ant-api03-Ab3dEf6hIj9lMn2pQr5tUv8xYz1AbC4eFg', 'sk-ant-api03-Ab3dEf'],
  ['SendGrid key', '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', 'SG.ngeVfQFYQlKU0ufo8x5d1A'],
  ['Hugging Face token', 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567', 'hf_AbCdEfGhIjKlMnOp'],
  ['PEM private key', 'key:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'],
  ['PEM RSA key, cut short', 'boom -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo', 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo'],
  ['PEM OpenSSH key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAA'],
  ['HTTP Basic', 'upstream sent Basic YWxhZGRpbjpvcGVuc2VzYW1l', 'YWxhZGRpbjpvcGVuc2VzYW1l'],
  ['Authorization: Basic', 'Authorization: Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz'],
  ['Bearer', 'Authorization: Bearer abc.def-ghi_12345', 'abc.def-ghi_12345'],
  ['JWT', 'id eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl', 'eyJhbGciOiJIUzI1NiJ9'],
  ['card', 'card 4111 1111 1111 1111', '4111 1111 1111 1111'],
  ['URL password', 'postgres://app:s3cr3t-pw@db:5432/orders', 's3cr3t-pw'],
  ['pwd=', 'mysql -u root pwd=hunter2', 'hunter2'],
  ['pass:', 'db pass: hunter2', 'hunter2'],
  ['password="…"', 'login password="correct horse"', 'correct horse'],
  ['JSON password', '{"user":"ann","password":"hunter2"}', 'hunter2'],
  ['escaped JSON secret', 'body {\\"client_secret\\":\\"s3cr3tv4lue\\"}', 's3cr3tv4lue'],
  ['single-quoted', "config {'api_key': 'k3y-v4lue'}", 'k3y-v4lue'],
  ['percent-encoded token', 'redirect=%2Fcb%3Ftoken%3Dabc123xyz%26x%3D1', 'abc123xyz'],
  ['percent-encoded password', 'q=user%3Dann%26password%3Dhunter2', 'hunter2'],
  ['query access_token', 'GET /cb?code=1&access_token=abc123', 'abc123'],
  ['query sig', 'https://acct.blob.core.windows.net/c/b?sv=2024&sig=AbCdEf0123%2B%2F', 'AbCdEf0123'],
  ['Cookie header', 'Cookie: theme=dark; sid=31d4d96e407aad42', '31d4d96e407aad42'],
  ['Set-Cookie header', 'Set-Cookie: session=38afes7a8; Path=/; HttpOnly', '38afes7a8'],
  ['jwt=', 'jwt=abc.def.ghi', 'abc.def.ghi'],
  ['session=', 'session=9f8e7d6c5b4a', '9f8e7d6c5b4a'],
  ['auth:', 'auth: s3cr3t', 's3cr3t'],
  ['bearer=', 'bearer=s3cr3tvalue', 's3cr3tvalue'],
  ['signature=', 'signature=ab12cd34ef', 'ab12cd34ef'],
  ['passwordHash:', 'passwordHash: $2b$10$N9qo8uLOickgx2ZMRZoMy', 'N9qo8uLOickgx2ZMRZoMy'],
  ['x-api-key:', 'x-api-key: 0123456789abcdef', '0123456789abcdef'],
  ['credentials=', 'credentials=c2VjcmV0', 'c2VjcmV0'],
  ['private_key=', 'private_key=MIIEvQIBADANBg', 'MIIEvQIBADANBg'],
  ['connection string', 'Server=db;Database=x;User Id=sa;Password=Pa55w0rd!;', 'Pa55w0rd!'],
  ['Azure AccountKey', 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=bXlrZXk=;', 'bXlrZXk='],
];

/** Values that must come out unchanged (0 false positives). */
export const BENIGN: readonly string[] = [
  // identifiers
  '0191f0e4-8f4c-7b3a-9d2e-5c6b7a8f9e10', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', '4bf92f3577b34da6a3ce929d0e0e4736',
  '00f067aa0ba902b7', 'traceparent 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  'commit 9fceb02d0ae598e95dc970b74767f19372d61af8', 'fixed in a1b2c3d', 'req-01HZX3K9Q8W7E6R5T4Y3U2I1O0',
  // hashes and digests
  'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'md5 d41d8cd98f00b204e9800998ecf8427e',
  'image@sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
  'etag "33a64df551425fcc55e4d42a148795d9f25f89d4"', 'sha1-base64 2jmj7l5rSw0yVb/vlWAYkK/YBwk=',
  // base64 images and blobs
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY is forty base64 characters on its own',
  // URLs without credentials
  'https://shop.example/orders/42?page=2&sort=desc', 'http://localhost:8080/health', 'postgres://db.internal:5432/orders',
  'GET /api/v1/users/123/tokens?limit=10 200', 'https://github.com/open-telemetry/opentelemetry-js/pull/5000',
  'https://hooks.example.com/services/alpha', 'redis://cache:6379/0', 'https://accounts.google.com/o/oauth2/v2/auth?client_id=123&scope=email',
  's3://my-bucket/logs/2026/12/01/app.log', 'arn:aws:iam::123456789012:role/app-task', 'region us-east-1 zone us-east-1a',
  // ordinary prose and log messages
  'order placed for customer', 'the bearer of bad news', 'password reset email sent to the user',
  'the secret to good logs is structure', 'Basic plan selected', 'Basic information about the account',
  'session started', 'all 42 tests passed', 'written by the author of the library', 'we use sk-learn for the model',
  'task-list-item-with-a-long-kebab-case-name', 'risk-score-calculation-finished-ok', 'Token bucket refilled',
  'tokens used: 1532', 'max_tokens=4096', 'auth_type=oauth2', 'token_type=Bearer', 'tokenCount=3',
  'user signed in with passkey', 'Authorization header missing', 'AKIA is the prefix of AWS access keys',
  'user ann@example.com logged in from 203.0.113.7', 'took 12.5 ms', 'at 2026-12-01T14:30:00.123456Z',
  'epoch 1732752000123', 'order 4111111111111112', 'version 1.10.0 of @opentelemetry/api', 'key: orderId',
  'Error: ENOENT: no such file or directory, open \'/etc/app/config.yaml\'',
  '    at Object.<anonymous> (/app/src/index.ts:12:5)', 'pod api-7d9f8b6c5d-x2k4q restarted', 'GitHub Actions run 1234 passed',
  'ghp_ is a GitHub token prefix', 'npm_config_cache=/tmp/npm', 'the key=value pairs are logfmt', 'eyJ is base64 for {"',
];
