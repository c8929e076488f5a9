import { thresholdText, toSeverityThreshold } from './levels.ts';
import { matchesLogger } from './logger-patterns.ts';

/**
 * Level rules: a default threshold plus per-logger overrides by dotted name,
 * e.g. `info,db=debug,http.client=warn`. The most specific prefix wins, the
 * way Python's logger hierarchy works: `http.client.pool` follows
 * `http.client`, `http` follows the default, `httpx` does not match `http`.
 * A name with `*` or `?` is a wildcard over the whole name (`*.db`), as the
 * OpenTelemetry `logger_configurator` writes them (see logger-patterns.ts).
 */
export class LevelRules {
  readonly #default: number;
  /** Overrides, longest name first, so the first match is the most specific. */
  readonly #overrides: ReadonlyArray<readonly [string, number]>;

  constructor(defaultSeverity: number, overrides: Iterable<readonly [string, number]> = []) {
    this.#default = defaultSeverity;
    this.#overrides = [...overrides].sort((a, b) => b[0].length - a[0].length);
  }

  /** The minimum severity enabled for the logger called `name`. */
  thresholdFor(name: string): number {
    for (const [prefix, severity] of this.#overrides) {
      if (matchesLogger(name, prefix)) return severity;
    }
    return this.#default;
  }

  /** The rules in their text form, e.g. `info,db=debug`. */
  toString(): string {
    const parts = [thresholdText(this.#default)];
    for (const [prefix, severity] of this.#overrides) parts.push(`${prefix}=${thresholdText(severity)}`);
    return parts.join(',');
  }
}

/** The result of parsing level rules: the rules, and what was wrong with the text. */
export interface ParsedLevelRules {
  /** The rules made from the valid parts of the text. */
  readonly rules: LevelRules;
  /** One message per part that was ignored; empty when the text was valid. */
  readonly problems: readonly string[];
}

/**
 * Parses `info,db=debug,http.client=warn`. Never throws: an invalid part is
 * skipped and reported in `problems`, and the default stays `fallback`
 * unless a valid bare level is given.
 */
export function parseLevelRules(text: string, fallback = 9): ParsedLevelRules {
  let defaultSeverity = fallback;
  const overrides = new Map<string, number>();
  const problems: string[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? '' : part.slice(0, eq).trim();
    const level = eq === -1 ? part : part.slice(eq + 1).trim();
    const severity = toSeverityThreshold(level);
    if (severity === undefined) {
      problems.push(`unknown level ${JSON.stringify(level)}`);
    } else if (eq === -1 || name === '*') {
      defaultSeverity = severity;
    } else if (!/^[\w.:/@*?-]+$/.test(name)) {
      problems.push(`invalid logger name ${JSON.stringify(name)}`);
    } else {
      overrides.set(name, severity);
    }
  }
  return { rules: new LevelRules(defaultSeverity, overrides), problems };
}
