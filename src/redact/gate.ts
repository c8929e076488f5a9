import type { KeyRules } from './keys.ts';
import type { RedactPatternName } from './formats.ts';

/**
 * The cheap gate before the value patterns: one pass over the characters
 * that names the built-in patterns that may match (a bit each), so a string
 * with no secret costs that pass and nothing else, and a string with one
 * runs only the replacements it needs. It is a superset test: every string
 * a built-in pattern matches gets that pattern's bit (the secret corpus
 * checks it), not every string with the bit holds a secret.
 *
 * Why not one combined regular expression: with twenty alternatives V8's
 * engine tries each at every position (measured ~150 ns for a 15-character
 * string, against ~40 ns for this loop); the loop looks closer only at the
 * few characters a credential format starts or ends with. Strings past a few
 * dozen characters find those characters with three simple regular
 * expressions and `indexOf` instead of the loop (native scans: 2,000 characters of prose
 * in under 1 µs instead of ~8 µs).
 */

/** The gate's bit of each built-in pattern. */
export const PATTERN_BITS: Readonly<Record<RedactPatternName, number>> = Object.freeze({
  'private-key': 1, 'key-value': 2, 'url-credentials': 4, aws: 8, github: 16, gitlab: 32, slack: 64, stripe: 128,
  'google-api-key': 256, npm: 512, openai: 1024, tokens: 2048, bearer: 4096, 'basic-auth': 8192, jwt: 16384, card: 32768,
});
const B = PATTERN_BITS;

/** Letters a built-in format has right before a `-`, and whose pattern that is. */
const DASH_PREFIXES: ReadonlyMap<string, number> = new Map([
  ...['glpat', 'gldt', 'glrt', 'glptt', 'glft', 'gloas', 'glsoat', 'glcbt'].map((p) => [p, B.gitlab] as const),
  ...['xoxa', 'xoxb', 'xoxe', 'xoxo', 'xoxp', 'xoxr', 'xoxs', 'xapp'].map((p) => [p, B.slack] as const),
  ['sk', B.openai], ['pypi', B.tokens],
]);
/** Letters a built-in format has right before its first `_`. */
const UNDERSCORE_PREFIXES: ReadonlyMap<string, number> = new Map([
  ...['ghp', 'gho', 'ghu', 'ghs', 'ghr', 'github'].map((p) => [p, B.github] as const),
  ...['sk', 'rk', 'whsec'].map((p) => [p, B.stripe] as const),
  ['npm', B.npm],
  ...['hf', 'shpat', 'shpss', 'shpca', 'shppa', 'dop', 'doo', 'dor'].map((p) => [p, B.tokens] as const),
]);

const PLAIN = 0;
const DIGIT = 1;
const TRIGGER = 2;
/** What each ASCII character is to the gate; everything else is plain. */
const KIND = new Uint8Array(128);
for (let c = 48; c <= 57; c++) KIND[c] = DIGIT;
for (const ch of '-_AJ. \t\n\r:=%@<') KIND[ch.charCodeAt(0)] = TRIGGER;

/** Card numbers have 13 or more digits. */
const CARD_DIGITS = 13;
/** The key-value pattern's longest key. */
const KEY_MAX = 64;

/*
 * The characters where {@link trigger} can return a bit, found by three simple regular expressions
 * and `indexOf`, one per family of trigger. Each alone is a fast native scan (V8 skips ahead to its first characters;
 * measured on 2,000 characters of prose: 100–250 ns each, against ~8 µs for the loop below), one
 * alternation of them all is not (~5 µs: every position is tried). Each finds a superset of the
 * positions where `trigger` returns a bit; `trigger` then looks closer, as the loop does.
 */
/** The rare characters: `trigger` is called at each. */
const RARE = /[-_:=%@<AJ]/g;
/** What comes before the dots `trigger` looks at (`indexOf` finds them faster than a regex: ~70 ns against ~380). */
const DOTTED = ['SG.', 'ya29.', 'hooks.'] as const;
/** Whitespace after `bearer` or `basic`, in any case. */
const SPACES = /(?:[Bb][Ee][Aa][Rr][Ee][Rr]|[Bb][Aa][Ss][Ii][Cc])[ \t\n\r]/g;
/** A card-length digit run: the loop's digit counter (one space or dash may sit between digits). */
const DIGIT_RUN = /\d(?:[ -]?\d){12}/;
/** Strings longer than this are gated by the regular expressions; below it their calls cost more than the loop. */
const SCAN_MIN = 32;

/** The bits of the built-in patterns that may match `text`; `keys` is the key rule of `key-value`. 0: none. */
export function patternsToTry(text: string, keys: KeyRules | undefined): number {
  if (text.length <= SCAN_MIN) return looped(text, keys);
  // The same bits as the loop (a test compares the two): no trigger character is inside another's
  // match (the prefixes before `.` and whitespace hold none), so each family's scan sees all of its own.
  let bits = DIGIT_RUN.test(text) ? B.card : 0;
  bits |= triggered(RARE, text, keys) | triggered(SPACES, text, keys);
  for (const prefix of DOTTED) {
    for (let at = text.indexOf(prefix); at !== -1; at = text.indexOf(prefix, at + 1)) {
      bits |= trigger(text, at + prefix.length - 1, 46, keys);
    }
  }
  return bits;
}

/** `trigger` at the last character of every match of `regex` (global). */
function triggered(regex: RegExp, text: string, keys: KeyRules | undefined): number {
  let bits = 0;
  regex.lastIndex = 0;
  // test() with the g flag moves lastIndex past the match and builds no match array.
  while (regex.test(text)) {
    const at = regex.lastIndex - 1;
    bits |= trigger(text, at, text.charCodeAt(at), keys);
  }
  return bits;
}

/** The gate by a loop over the characters: short strings, and the reference the regular expressions are tested against. */
export function looped(text: string, keys: KeyRules | undefined): number {
  let bits = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const kind = c < 128 ? KIND[c] : PLAIN;
    if (kind === PLAIN) {
      digits = 0;
      continue;
    }
    if (kind === DIGIT) {
      if (++digits >= CARD_DIGITS) bits |= B.card;
      continue;
    }
    // One space or dash may sit between a card's digits.
    if (!((c === 32 || c === 45) && i > 0 && KIND[text.charCodeAt(i - 1)] === DIGIT)) digits = 0;
    bits |= trigger(text, i, c, keys);
  }
  return bits;
}

function trigger(text: string, i: number, c: number, keys: KeyRules | undefined): number {
  switch (c) {
    case 45: // -
      if (text.startsWith('----', i + 1)) return B['private-key'];
      return (DASH_PREFIXES.get(lettersBefore(text, i)) ?? 0) | (keys !== undefined && secretFlagAt(text, i, keys) ? B['key-value'] : 0);
    case 95: // _
      return UNDERSCORE_PREFIXES.get(lettersBefore(text, i)) ?? 0;
    case 65: // A: AKIA, ASIA, AIza
      return text.startsWith('KIA', i + 1) || text.startsWith('SIA', i + 1) ? B.aws : text.startsWith('Iza', i + 1) ? B['google-api-key'] : 0;
    case 74: // J: eyJ
      return i >= 2 && text.charCodeAt(i - 1) === 121 && text.charCodeAt(i - 2) === 101 ? B.jwt : 0;
    case 46: { // .: SG.<id>.<secret>, ya29.<token>, hooks.slack.com (char codes first: dots are common)
      const before = text.charCodeAt(i - 1);
      if (before === 71) return text.charCodeAt(i - 2) === 83 ? B.tokens : 0; // SG
      if (before === 57) return text.startsWith('ya2', i - 4) ? B.tokens : 0; // ya29
      return before === 115 && text.startsWith('hook', i - 5) ? B.slack : 0;
    }
    case 58: // : (a URL's scheme:// is no key)
      return keys !== undefined && !text.startsWith('//', i + 1) && secretKeyBefore(text, i, keys) ? B['key-value'] : 0;
    case 61: // =
      return keys !== undefined && secretKeyBefore(text, i, keys) ? B['key-value'] : 0;
    case 37: { // %3A %3D
      const next = text.charCodeAt(i + 2) | 0x20;
      return keys !== undefined && text.charCodeAt(i + 1) === 51 && (next === 97 || next === 100) &&
        secretKeyBefore(text, i, keys) ? B['key-value'] : 0;
    }
    case 60: // </password>
      return keys !== undefined && text.charCodeAt(i + 1) === 47 && secretRunAfter(text, i + 2, keys) ? B['key-value'] : 0;
    case 64: // @ of scheme://user:password@host
      return text.lastIndexOf('://', i) !== -1 ? B['url-credentials'] : 0;
    default: { // whitespace after Bearer / Basic
      const last = text.charCodeAt(i - 1) | 0x20;
      if (last === 114) return isWordBefore(text, i, 'bearer') ? B.bearer : 0; // r
      return last === 99 && isWordBefore(text, i, 'basic') ? B['basic-auth'] : 0; // c
    }
  }
}

/** The run of 2–6 ASCII letters right before `end` (the length of every prefix above), else ''. */
function lettersBefore(text: string, end: number): string {
  let start = end;
  while (start > 0 && end - start <= 6) {
    const c = text.charCodeAt(start - 1) | 0x20;
    if (c < 97 || c > 122) break;
    start--;
  }
  const length = end - start;
  return length < 2 || length > 6 ? '' : text.slice(start, end);
}

/**
 * Whether the run of ASCII letters right before `end` is `word` (lower case), in any case: what
 * `lettersBefore(text, end).toLowerCase() === word` says, without the two strings (prose has a
 * space after every other `…r` or `…c` word).
 */
function isWordBefore(text: string, end: number, word: string): boolean {
  const start = end - word.length;
  if (start < 0) return false;
  for (let j = 0; j < word.length; j++) if ((text.charCodeAt(start + j) | 0x20) !== word.charCodeAt(j)) return false;
  const before = text.charCodeAt(start - 1) | 0x20;
  return !(before >= 97 && before <= 122);
}

/**
 * Whether the key the `key-value` pattern would see before the separator at
 * `at` is secret: a run of key characters, after an optional closing quote
 * (maybe escaped) and spaces; also the run's tail after a percent escape.
 */
function secretKeyBefore(text: string, at: number, keys: KeyRules): boolean {
  let end = at;
  while (end > 0 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  const q = text.charCodeAt(end - 1);
  if (q === 34 || q === 39) end -= text.charCodeAt(end - 2) === 92 ? 2 : 1;
  let start = end;
  while (start > 0 && end - start <= KEY_MAX && isKeyChar(text.charCodeAt(start - 1))) start--;
  if (start === end || end - start > KEY_MAX) return false;
  const run = text.slice(start, end);
  // Most runs (`https`, `page`) hold no secret word: a small regex says so cheaper than the key cache.
  if (!keys.mayBeSecret(run)) return false;
  if (keys.isSecret(run)) return true;
  return start >= 1 && text.charCodeAt(start - 1) === 37 && run.length > 2 && keys.isSecret(run.slice(2));
}

/** A command-line flag at `at` (`--password`, after a space or the start) whose name is secret. */
function secretFlagAt(text: string, at: number, keys: KeyRules): boolean {
  if (at > 0 && isKeyChar(text.charCodeAt(at - 1)) && text.charCodeAt(at - 1) !== 46) return false; // not inside a word
  const next = text.charCodeAt(at + 1) | 0x20;
  return (next === 0x2d || (next >= 97 && next <= 122)) && secretRunAfter(text, at, keys);
}

/** Whether the run of key characters starting at `start` is a secret key. */
function secretRunAfter(text: string, start: number, keys: KeyRules): boolean {
  let end = start;
  while (end < text.length && end - start <= KEY_MAX && isKeyChar(text.charCodeAt(end))) end++;
  if (end === start || end - start > KEY_MAX) return false;
  const run = text.slice(start, end);
  return keys.mayBeSecret(run) && keys.isSecret(run);
}

function isKeyChar(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c === 95 || c === 45 || c === 46;
}
