/**
 * Built-in value patterns: the published formats of well-known credentials
 * (docs/security.md cites each issuer's format), plus bearer tokens, JWTs,
 * card numbers and URL passwords. Every regular expression is linear-time:
 * bounded repetitions, no nested quantifiers. gate.ts decides, in one pass
 * over the characters, whether a string is scanned at all: a new format
 * needs its trigger there too.
 */

/** Names of the built-in value patterns (`LOGBRIDGE_REDACT_PATTERNS`, `redact.patterns`). */
export type RedactPatternName = 'bearer' | 'jwt' | 'card' | 'url-credentials' | 'key-value' | 'aws' | 'github' |
  'gitlab' | 'slack' | 'stripe' | 'google-api-key' | 'npm' | 'openai' | 'private-key' | 'basic-auth' | 'tokens';

/** Every built-in pattern, in the order they are applied. */
export const REDACT_PATTERN_NAMES: readonly RedactPatternName[] = Object.freeze([
  'private-key', 'key-value', 'url-credentials', 'aws', 'github', 'gitlab', 'slack', 'stripe', 'google-api-key',
  'npm', 'openai', 'tokens', 'bearer', 'basic-auth', 'jwt', 'card',
]);

/** One replacement: every match of `regex` (global) goes through `replace`; or a scan of its own (`apply`). */
export type Pattern = {
  readonly regex: RegExp;
  readonly replace: (match: string, ...groups: string[]) => string;
} | { readonly apply: (text: string) => string };

/** A built-in pattern's replacements (gate.ts decides whether they run at all). */
export interface BuiltIn {
  readonly patterns: readonly Pattern[];
}

const TOKEN_CHARS = String.raw`[A-Za-z0-9\-._~+/]`;

/** Masks the whole match. */
function whole(regex: RegExp, censor: string): BuiltIn['patterns'] {
  return [{ regex, replace: () => censor }];
}

/** The built-in formats that need no configured keys (`key-value` is built in patterns.ts). */
export function formatPattern(name: Exclude<RedactPatternName, 'key-value'>, censor: string): BuiltIn {
  switch (name) {
    case 'private-key':
      // RFC 7468 labels: PRIVATE KEY, RSA/EC/DSA/OPENSSH/ENCRYPTED PRIVATE KEY, PGP PRIVATE KEY BLOCK.
      // A block cut short (a truncated stack) is masked to the end of its base64 body.
      return {
        patterns: whole(/-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,16384}?-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=:,\s\\-]{0,16384})/g, censor),
      };
    case 'aws':
      // IAM unique-ID prefixes AKIA (access key) and ASIA (temporary, STS), 16 base32 characters;
      // a 40-character secret access key right after one is masked with it.
      return {
        patterns: whole(/\b(?:AKIA|ASIA)[A-Z2-7]{16}\b(?:[^A-Za-z0-9+/\n]{1,20}[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=]))?/g, censor),
      };
    case 'github':
      // ghp_ (classic personal), gho_ (OAuth), ghu_ (user-to-server), ghs_ (server-to-server),
      // ghr_ (refresh): 36 base62 characters (30 accepted); github_pat_ (fine-grained): 22 + _ + 59.
      return {
        patterns: whole(/\b(?:gh[pousr]_[A-Za-z0-9]{30,251}|github_pat_[A-Za-z0-9_]{22,244})\b/g, censor),
      };
    case 'gitlab':
      // GitLab token prefixes: glpat- (personal, project, group), gldt- (deploy), glrt- (runner),
      // glptt- (pipeline trigger), glft- (feed), gloas- (OAuth app secret), glsoat- (SCIM), glcbt- (CI job).
      return {
        patterns: whole(/\bgl(?:pat|dt|rt|ptt|ft|oas|soat|cbt)-[A-Za-z0-9_.-]{20,300}/g, censor),
      };
    case 'slack':
      // xoxb- (bot), xoxp- (user), xoxa-/xoxr- (access/refresh), xoxs-, xoxe- (rotating), xapp- (app-level),
      // and incoming-webhook URLs (the path is the secret).
      return {
        patterns: whole(/\b(?:xox[abeoprs](?:\.[A-Za-z0-9-]+)?-[A-Za-z0-9-]{10,250}|xapp-\d-[A-Za-z0-9-]{10,250}|hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{10,200})/g, censor),
      };
    case 'stripe':
      // Secret (sk_) and restricted (rk_) keys, live and test; webhook signing secrets (whsec_).
      // Publishable keys (pk_) are public by design and kept.
      return {
        patterns: whole(/\b(?:[sr]k_(?:live|test)_[A-Za-z0-9]{10,247}|whsec_[A-Za-z0-9+/=]{20,100})\b/g, censor),
      };
    case 'google-api-key':
      // Google Cloud API keys: AIza + 35 characters of [0-9A-Za-z_-].
      return { patterns: whole(/\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, censor) };
    case 'npm':
      // npm access tokens: npm_ + 36 base62 characters.
      return { patterns: whole(/\bnpm_[A-Za-z0-9]{36}\b/g, censor) };
    case 'openai':
      // OpenAI-style secret keys (sk-, sk-proj-, sk-svcacct-, sk-admin-; Anthropic's sk-ant- alike):
      // 20+ characters with a digit and a letter, which spares kebab-case words like sk-learn.
      return {
        patterns: [{
          regex: /\bsk-[A-Za-z0-9_-]{20,300}/g,
          replace: (m) => /\d/.test(m.slice(3)) && /[A-Za-z]/.test(m.slice(3)) ? censor : m,
        }],
      };
    case 'tokens':
      // Further prefixed tokens: SendGrid (SG.), Hugging Face (hf_), PyPI (pypi-AgEIcHlwaS5vcmc, base64 of
      // "pypi.org"), Shopify (shpat_/shpss_/shpca_/shppa_), DigitalOcean (dop_v1_/doo_v1_/dor_v1_),
      // Google OAuth access tokens (ya29.).
      return {
        patterns: whole(/\b(?:SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}|hf_[A-Za-z0-9]{30,40}|pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{40,300}|shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}|do[opr]_v1_[a-f0-9]{64}|ya29\.[0-9A-Za-z_-]{20,2048})/g, censor),
      };
    case 'bearer':
      // `Authorization: Bearer <token>` and the like; short words ("bearer of") are not tokens.
      return {
        patterns: [{ regex: new RegExp(String.raw`\b(bearer\s+)${TOKEN_CHARS}{8,}=*`, 'gi'), replace: (_m, p) => p + censor }],
      };
    case 'basic-auth':
      // RFC 7617: `Basic base64(user:password)`; masked only when it decodes to text with a colon,
      // so "Basic information" stays.
      return {
        patterns: [{
          regex: /\b(basic\s+)([A-Za-z0-9+/]{4,4096}={0,2})(?![A-Za-z0-9+/=])/gi,
          replace: (m, p, credentials) => isBasicCredentials(credentials) ? p + censor : m,
        }],
      };
    case 'jwt':
      // A JWS/JWE compact form: base64url of `{"` is `eyJ`; header and payload both are JSON.
      return {
        patterns: whole(/\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g, censor),
      };
    case 'url-credentials':
      // scheme://user:password@host — the password goes, the user and host stay.
      return {
        patterns: [{
          regex: /\b([a-z][a-z0-9+.-]{0,15}:\/\/[^\s:/@]*:)[^\s/@]+@/gi,
          replace: (_m, p) => `${p}${censor}@`,
        }],
      };
    case 'card':
      // 13–19 digits, spaces or dashes between; kept unless the Luhn check and an issuer prefix agree.
      return {
        patterns: [{ regex: /(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)/g, replace: (m) => isCardNumber(m) ? censor : m }],
      };
  }
}

/** Whether base64 text decodes to `user:password` (printable, with a colon). */
function isBasicCredentials(base64: string): boolean {
  if (base64.length < 8) return false;
  const text = Buffer.from(base64, 'base64').toString('latin1');
  return text.includes(':') && /^[\x20-\x7e\u00a0-\u00ff]+$/.test(text);
}

/** Luhn check plus a card issuer's first digit (3–6), which spares epoch-millisecond timestamps. */
export function isCardNumber(text: string): boolean {
  const digits = text.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  const first = digits.charCodeAt(0) - 48;
  if (first < 3 || first > 6) return false;
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
