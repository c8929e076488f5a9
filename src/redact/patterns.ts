/**
 * Value patterns for redaction: secrets found inside strings. The built-in
 * formats live in formats.ts; this module compiles the ones asked for, adds
 * the `key-value` pattern (any secret key, by the key rule, followed by a
 * value) and applies them. A cheap character scan (gate.ts) runs first; the
 * replacements only run when it passes, so a string with no secret is
 * returned as the same string after one pass over its characters.
 */
import { formatPattern, REDACT_PATTERN_NAMES, type BuiltIn, type Pattern, type RedactPatternName } from './formats.ts';
import type { KeyRules } from './keys.ts';
import { PATTERN_BITS, patternsToTry } from './gate.ts';

export { REDACT_PATTERN_NAMES, type RedactPatternName };
export { isCardNumber } from './formats.ts';

/** Compiled patterns of one redactor. */
export interface CompiledPatterns {
  readonly names: readonly string[];
  /** The key rule, for the gate (gate.ts); `undefined` when `key-value` is off. */
  readonly keys: KeyRules | undefined;
  /** Built-in replacements, each run only on strings the gate gives its pattern's bit. */
  readonly patterns: ReadonlyArray<{ readonly bit: number; readonly pattern: Pattern }>;
  /** User patterns, always run (the gate knows only the built-in ones). */
  readonly custom: readonly Pattern[];
  /** Whether card numbers are looked for (numbers are checked too). */
  readonly card: boolean;
  /** Short strings already found clean (see redactText). */
  readonly clean: Set<string>;
}

/** The shortest string a built-in pattern can match (`pwd=x` is 5). */
const MIN_LENGTH = 5;

/**
 * Compiles the patterns asked for; `keys` (the redactor's key rule) decides
 * which keys the `key-value` pattern masks. Returns `undefined` when no pattern is enabled.
 * Throws a TypeError for an unknown name (the caller turns it into a
 * configuration error).
 */
export function compilePatterns(spec: boolean | ReadonlyArray<string | RegExp>, keys: KeyRules,
  censor: string): CompiledPatterns | undefined {
  if (spec === false) return undefined;
  const wanted = spec === true ? REDACT_PATTERN_NAMES : spec;
  const names: string[] = [];
  const patterns: Array<{ bit: number; pattern: Pattern }> = [];
  const custom: Pattern[] = [];
  for (const name of REDACT_PATTERN_NAMES) {
    if (!wanted.includes(name)) continue;
    const built = name === 'key-value' ? keyValuePattern(keys, censor) : formatPattern(name, censor);
    if (built === undefined) continue;
    names.push(name);
    for (const pattern of built.patterns) patterns.push({ bit: PATTERN_BITS[name], pattern });
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
    keys: names.includes('key-value') ? keys : undefined,
    patterns,
    custom,
    card: names.includes('card'),
    clean: new Set(),
  };
}

/** Clean strings remembered per redactor, and the longest remembered. */
const CLEAN_CACHE_SIZE = 4096;
const CLEAN_CACHE_LENGTH = 256;

/** `text` with every pattern match masked; the same string when nothing matched. */
export function redactText(text: string, compiled: CompiledPatterns): string {
  // Messages and attribute values repeat (templates, enums, SKUs): a string found clean once is
  // clean again, and a set lookup costs less than the gate's pass (measured: stdout line, default redaction).
  const short = text.length <= CLEAN_CACHE_LENGTH;
  if (short && compiled.clean.has(text)) return text;
  let out = text;
  const bits = text.length >= MIN_LENGTH && compiled.patterns.length > 0 ? patternsToTry(text, compiled.keys) : 0;
  if (bits !== 0) {
    for (const { bit, pattern } of compiled.patterns) if ((bits & bit) !== 0) out = applyPattern(out, pattern);
  }
  for (let i = 0; i < compiled.custom.length; i++) out = applyPattern(out, compiled.custom[i]!);
  if (out !== text) return out;
  if (short) {
    if (compiled.clean.size >= CLEAN_CACHE_SIZE) compiled.clean.clear();
    compiled.clean.add(text);
  }
  return text;
}

function applyPattern(text: string, pattern: Pattern): string {
  if ('apply' in pattern) return pattern.apply(text);
  pattern.regex.lastIndex = 0;
  return text.replace(pattern.regex, pattern.replace);
}

/** A key in text (`--password` too): not preceded by a word character or dot, or right after a percent escape (`%26token%3D…`). */
const KEY = String.raw`(?:(?<![\w.])|(?<=%[0-9A-Fa-f]{2}))([A-Za-z_-][\w.-]{0,63})`;
/** After the key: a closing quote (maybe escaped), then `=`, `:` (not a URL's `://`) or their percent escapes. */
const SEPARATOR = String.raw`((?:\\?["'])?[ \t]*(?::(?!\/\/)|=|%3[AaDd])[ \t]*)`;
/** Quoted (JSON, escaped JSON, single quotes) or bare, with an optional auth scheme before a bare one. */
const VALUE = String.raw`(\\"(?:[^"\\\n]|\\[^"\n]){0,4096}\\"|"(?:[^"\\\n]|\\.){0,4096}"|'[^'\n]{0,4096}'|` +
  String.raw`(?:(?:bearer|basic|digest|token|negotiate|aws4-hmac-sha256)[ \t]+)?(?:%(?!26)|[^\s"'&,;%}\])<>])+)`;

/**
 * `password=…`, `token: …`, `"api_key":"…"`, `secret%3D…`, `Authorization: Basic …`:
 * the value of any key the key rule calls secret is masked, the key and quotes kept.
 * A `Cookie:` or `Set-Cookie:` header line is masked to its end; so are the value of a
 * command-line flag (`--password hunter2`) and an XML element's text (`<password>…</password>`).
 */
function keyValuePattern(keys: KeyRules, censor: string): BuiltIn | undefined {
  if (keys.size === 0) return undefined;
  const head = new RegExp(KEY + SEPARATOR, 'gi');
  const value = new RegExp(VALUE, 'yi');
  return {
    patterns: [
      { regex: /\b((?:set-)?cookie[ \t]*:[ \t]*)[^\r\n]{1,8192}/gi, replace: (_m, prefix) => prefix + censor },
      {
        regex: /(?<![\w-])(--?[A-Za-z][\w.-]{0,63})([ \t]+)("[^"\n]{0,4096}"|'[^'\n]{0,4096}'|(?!-)[^\s"']+)/g,
        replace: (m, flag, gap, value) => keys.isSecret(flag) ? flag + gap + quoted(value, censor) : m,
      },
      {
        regex: /<([A-Za-z_][\w.:-]{0,63})((?:\s[^<>]{0,256})?)>([^<]{1,4096})<\/\1>/g,
        replace: (m, tag, attributes, _text) => keys.isSecret(tag) ? `<${tag}${attributes}>${censor}</${tag}>` : m,
      },
      { apply: (text) => maskValues(text, head, value, keys, censor) },
    ],
  };
}

/**
 * Masks the value after every secret key. The scan goes on right after a
 * key that is not secret, so a key nested in another's value (a redirect
 * URL's `token%3D…`) is still found.
 */
function quoted(value: string, censor: string): string {
  const first = value.charAt(0);
  return first === '"' || first === "'" ? first + censor + first : censor;
}

function maskValues(text: string, head: RegExp, value: RegExp, keys: KeyRules, censor: string): string {
  let out = '';
  let last = 0;
  head.lastIndex = 0;
  for (let m = head.exec(text); m !== null; m = head.exec(text)) {
    if (!keys.isSecret(m[1]!)) continue;
    const start = head.lastIndex;
    value.lastIndex = start;
    const found = value.exec(text)?.[0];
    if (found === undefined) continue;
    head.lastIndex = start + found.length;
    // A value another pattern already masked (a PEM block) stays as it is.
    if (found.startsWith(censor.slice(0, -1))) continue;
    const open = found.startsWith('\\"') ? '\\"' : found.charAt(0) === '"' || found.charAt(0) === "'" ? found.charAt(0) : '';
    out += text.slice(last, start) + open + censor + open;
    last = start + found.length;
  }
  return last === 0 ? text : out + text.slice(last);
}
