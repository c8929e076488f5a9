/**
 * Value patterns for redaction: secrets found inside strings. Each built-in
 * pattern is linear-time (bounded repetitions, no nested quantifiers), so a
 * hostile 16 KiB string costs a scan, not a hang. One combined, cheap
 * detector runs first; the individual replacements only run when it hits,
 * so a string with no secret is returned as the same string.
 */

/** Names of the built-in value patterns. */
export type RedactPatternName = 'bearer' | 'jwt' | 'card' | 'url-credentials' | 'key-value';

/** Every built-in pattern, in the order they are applied. */
export const REDACT_PATTERN_NAMES: readonly RedactPatternName[] = Object.freeze([
  'bearer', 'jwt', 'url-credentials', 'key-value', 'card',
]);

interface Pattern {
  readonly regex: RegExp;
  readonly replace: (match: string, ...groups: string[]) => string;
}

/** Compiled patterns of one redactor. */
export interface CompiledPatterns {
  readonly names: readonly string[];
  /** A superset test: false means no pattern can match. */
  readonly detector: RegExp | undefined;
  /** The same for patterns that need a `:` or `=` in the text (key-value, URL credentials). */
  readonly separatorDetector: RegExp | undefined;
  readonly patterns: readonly Pattern[];
  /** User patterns, always run (their syntax may not combine with the detector). */
  readonly custom: readonly Pattern[];
  /** Whether card numbers are looked for (numbers are checked too). */
  readonly card: boolean;
}

/** The shortest string a built-in pattern can match (`token=x` is 7). */
const MIN_LENGTH = 5;
const TOKEN_CHARS = String.raw`[A-Za-z0-9\-._~+/]`;

/**
 * Compiles the patterns asked for; `keys` feed the `key-value` pattern.
 * Returns `undefined` when no pattern is enabled. Throws a TypeError for an
 * unknown name (the caller turns it into a configuration error).
 */
export function compilePatterns(spec: boolean | ReadonlyArray<string | RegExp>, keys: readonly string[],
  censor: string): CompiledPatterns | undefined {
  if (spec === false) return undefined;
  const wanted = spec === true ? REDACT_PATTERN_NAMES : spec;
  const names: string[] = [];
  const detectors: string[] = [];
  const separatorDetectors: string[] = [];
  const patterns: Pattern[] = [];
  const custom: Pattern[] = [];
  for (const name of REDACT_PATTERN_NAMES) {
    if (!wanted.includes(name)) continue;
    const built = builtIn(name, keys, censor);
    if (built === undefined) continue;
    names.push(name);
    (name === 'key-value' || name === 'url-credentials' ? separatorDetectors : detectors).push(built.detector);
    patterns.push(built.pattern);
  }
  for (const item of wanted) {
    if (item instanceof RegExp) {
      const flags = item.flags.includes('g') ? item.flags : item.flags + 'g';
      custom.push({ regex: new RegExp(item.source, flags), replace: () => censor });
      names.push(String(item));
    } else if (typeof item !== 'string' || !(REDACT_PATTERN_NAMES as readonly string[]).includes(item)) {
      throw new TypeError(`unknown redaction pattern ${JSON.stringify(String(item))}; ` +
        `known: ${REDACT_PATTERN_NAMES.join(', ')}`);
    }
  }
  if (names.length === 0) return undefined;
  return {
    names,
    detector: detectors.length > 0 ? new RegExp(detectors.join('|'), 'i') : undefined,
    separatorDetector: separatorDetectors.length > 0 ? new RegExp(separatorDetectors.join('|'), 'i') : undefined,
    patterns,
    custom,
    card: names.includes('card'),
  };
}

/** `text` with every pattern match masked; the same string when nothing matched. */
export function redactText(text: string, compiled: CompiledPatterns): string {
  let out = text;
  if (text.length >= MIN_LENGTH && mayMatch(text, compiled)) {
    for (const { regex, replace } of compiled.patterns) {
      regex.lastIndex = 0;
      out = out.replace(regex, replace);
    }
  }
  for (const { regex, replace } of compiled.custom) {
    regex.lastIndex = 0;
    out = out.replace(regex, replace);
  }
  return out === text ? text : out;
}

/** The cheap gate: most strings have no `:`/`=`, which rules out the costliest patterns. */
function mayMatch(text: string, compiled: CompiledPatterns): boolean {
  if (compiled.detector !== undefined && compiled.detector.test(text)) return true;
  return compiled.separatorDetector !== undefined && (text.includes(':') || text.includes('=')) &&
    compiled.separatorDetector.test(text);
}

function builtIn(name: RedactPatternName, keys: readonly string[], censor: string):
  { detector: string; pattern: Pattern } | undefined {
  switch (name) {
    case 'bearer':
      // `Authorization: Bearer <token>` and the like; short words ("bearer of") are not tokens.
      return {
        detector: String.raw`bearer\s`,
        pattern: { regex: new RegExp(String.raw`\b(bearer\s+)${TOKEN_CHARS}{8,}=*`, 'gi'), replace: (_m, p) => p + censor },
      };
    case 'jwt':
      // A JWS/JWE compact form: base64url of `{"` is `eyJ`; header and payload both are JSON.
      return {
        detector: String.raw`eyJ[\w-]+\.`,
        pattern: { regex: /\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g, replace: () => censor },
      };
    case 'url-credentials':
      // scheme://user:password@host — the password goes, the user and host stay.
      return {
        detector: String.raw`:\/\/[^\s/@]*:[^\s/@]*@`,
        pattern: {
          regex: /\b([a-z][a-z0-9+.-]{0,15}:\/\/[^\s:/@]*:)[^\s/@]+@/gi,
          replace: (_m, p) => `${p}${censor}@`,
        },
      };
    case 'key-value':
      return keyValuePattern(keys, censor);
    case 'card':
      // 13–19 digits, spaces or dashes between; kept unless the Luhn check and an issuer prefix agree.
      return {
        detector: String.raw`\d(?:[ -]?\d){12}`,
        pattern: { regex: /(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)/g, replace: (m) => isCardNumber(m) ? censor : m },
      };
  }
}

/** `password=…`, `token: …`, `"api_key":"…"`, `Authorization: Basic …`: the value is masked. */
function keyValuePattern(keys: readonly string[], censor: string): { detector: string; pattern: Pattern } | undefined {
  const alternatives = [...new Set(keys.map((key) => key.toLowerCase().split(/[-_. ]+/)
    .filter((part) => part !== '').map(escapeRegExp).join('[-_.]?')))]
    .filter((alt) => alt !== '').sort((a, b) => b.length - a.length);
  if (alternatives.length === 0) return undefined;
  const name = `(?:${alternatives.join('|')})`;
  const value = String.raw`(?:"(?:[^"\\\n]|\\.){0,4096}"|'[^'\n]{0,4096}'|(?:(?:bearer|basic|digest|token)\s+)?[^\s"'&,;]+)`;
  return {
    detector: `${name}["']?\\s*[:=]`,
    pattern: {
      regex: new RegExp(`(${name}["']?\\s*[:=]\\s*)${value}`, 'gi'),
      replace: (match, prefix) => {
        const first = match.charAt(prefix.length);
        return first === '"' || first === "'" ? `${prefix}${first}${censor}${first}` : prefix + censor;
      },
    },
  };
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
