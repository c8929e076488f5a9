/**
 * The key rule of redaction: which attribute keys hold a secret. A key is
 * read as the words it is made of — camelCase, PascalCase, snake_case,
 * kebab-case and dotted keys alike (`passwordHash` → password + hash,
 * `x-api-key` → x + api + key, `db.pass` → db + pass, `AWSSecretKey` →
 * aws + secret + key) — and it names a secret when:
 *
 * 1. its words contain a secret phrase ({@link DEFAULT_REDACT_KEYS} or a
 *    configured key, itself read as words: `api_key` is the phrase api + key);
 *    or one of its words *ends with* a long secret word (`userpassword`,
 *    `csrftoken`, `jsessionid`: keys written as one lower-case word);
 * 2. and no word after the last secret phrase describes the secret instead
 *    of being it ({@link METADATA_WORDS}: `tokenCount`, `password_length`,
 *    `token_type`, `session_expires_at` are kept).
 *
 * Words are whole: `passed`, `passenger`, `author`, `compass`, `secretary`,
 * `possession` and `tokens` (plural, a count in LLM telemetry such as
 * `gen_ai.usage.input_tokens`) are not secret words.
 */

/**
 * Secret phrases redacted by default, each read as words. Also the key
 * names of the `key-value` value pattern (`password=…`).
 */
export const DEFAULT_REDACT_KEYS: readonly string[] = Object.freeze([
  'password', 'passwords', 'passwd', 'pwd', 'pass', 'passphrase', 'passcode',
  'secret', 'secrets', 'token', 'auth', 'authorization', 'bearer', 'credential', 'credentials',
  'cookie', 'cookies', 'set-cookie', 'session', 'session_id', 'sessid', 'sid', 'jwt',
  'signature', 'sig', 'api_key', 'apikey', 'access_key', 'private_key', 'secret_key', 'signing_key',
  'encryption_key', 'master_key', 'account_key', 'client_key', 'client_secret', 'access_token', 'refresh_token',
]);

/**
 * Words that, after a secret phrase, make the key describe the secret rather
 * than hold it: counts, sizes, types, times, flags and names.
 */
export const METADATA_WORDS: ReadonlySet<string> = new Set([
  'count', 'counts', 'length', 'len', 'size', 'used', 'usage', 'total', 'limit', 'max', 'min', 'rate',
  'type', 'types', 'kind', 'format', 'version', 'alg', 'algorithm', 'scheme', 'method', 'provider', 'mode',
  'ttl', 'age', 'duration', 'timeout', 'expiry', 'expires', 'expired', 'expiration', 'reset', 'rotated',
  'enabled', 'required', 'present', 'provided', 'valid', 'set', 'changed', 'updated', 'status', 'error',
  'name', 'url', 'uri', 'endpoint', 'policy', 'strength',
]);

/** Secret words also found at the end of a longer word (`userpassword`); shorter ones only as whole words. */
const SUFFIX_MIN = 5;
/** `session` ends `possession`, `obsession`: whole words only. */
const WHOLE_WORD_ONLY: ReadonlySet<string> = new Set(['session', 'sessions']);
const CACHE_MAX = 10_000;
/** Keys longer than this are judged by their first part (no key is that long by accident). */
const KEY_MAX = 256;

/** Splits a key into lower-case words: `XApiKey` → x, api, key; `db.pass` → db, pass. */
export function keyWords(key: string): string[] {
  const spaced = key.slice(0, KEY_MAX)
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2');
  return spaced.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
}

/** Lower case, letters and digits only: `X-Api-Key` → `xapikey`. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** The compiled key rule of one redactor, with its per-key cache. */
export class KeyRules {
  /** Secret phrases as word lists, indexed by their first word. */
  readonly #phrases = new Map<string, string[][]>();
  readonly #suffixes: string[] = [];
  readonly #cache = new Map<string, boolean>();
  /** The longest word of every phrase: each secret key contains one (case aside). */
  readonly #stems: RegExp;
  /** How many distinct phrases are in force (for the configuration printout). */
  readonly size: number;

  /** `phrases`: key names as configured (`api_key`, `x-session`); empty ones are ignored. */
  constructor(phrases: readonly string[]) {
    let size = 0;
    const seen = new Set<string>();
    const stems = new Set<string>();
    for (const phrase of phrases) {
      const words = keyWords(phrase);
      const id = words.join(' ');
      if (words.length === 0 || seen.has(id)) continue;
      seen.add(id);
      size++;
      stems.add(words.reduce((a, b) => b.length > a.length ? b : a));
      const list = this.#phrases.get(words[0]!) ?? [];
      list.push(words);
      this.#phrases.set(words[0]!, list);
      const joined = words.join('');
      if (joined.length >= SUFFIX_MIN && !WHOLE_WORD_ONLY.has(joined) && !this.#suffixes.includes(joined)) {
        this.#suffixes.push(joined);
      }
    }
    this.size = size;
    // A stem that contains a shorter one adds nothing to a substring test.
    const minimal = [...stems].filter((stem) => ![...stems].some((other) => other !== stem && stem.includes(other)));
    this.#stems = minimal.length === 0 ? /$^/ : new RegExp(minimal.map(escapeRegExp).join('|'), 'i');
  }

  /**
   * A cheap superset of {@link isSecret} for text that is not a cached key
   * (the gate's key candidates): false means not secret, without the
   * lookup a fresh string costs.
   */
  mayBeSecret(key: string): boolean {
    return this.#stems.test(key);
  }

  /** Whether `key` names a secret. Cached: keys repeat from one record to the next. */
  isSecret(key: string): boolean {
    let hit = this.#cache.get(key);
    if (hit === undefined) {
      hit = this.#judge(keyWords(key));
      if (this.#cache.size < CACHE_MAX) this.#cache.set(key, hit);
    }
    return hit;
  }

  #judge(words: readonly string[]): boolean {
    let end = -1;
    for (let i = 0; i < words.length; i++) {
      const reached = this.#phraseAt(words, i);
      if (reached > end) end = reached;
    }
    if (end < 0) return false;
    for (let i = end; i < words.length; i++) if (METADATA_WORDS.has(words[i]!)) return false;
    return true;
  }

  /** The index after a secret phrase starting at `words[i]`, or -1. */
  #phraseAt(words: readonly string[], i: number): number {
    const word = words[i]!;
    let end = -1;
    for (const phrase of this.#phrases.get(word) ?? []) {
      if (phrase.every((part, j) => words[i + j] === part)) end = Math.max(end, i + phrase.length);
    }
    if (end < 0) {
      for (const suffix of this.#suffixes) {
        if (word.endsWith(suffix)) return i + 1;
      }
    }
    return end;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
