/**
 * Logger-name patterns, shared by the level rules and the volume controls
 * (throttling, trace-based filtering). A pattern without `*` or `?` matches
 * the name itself and every name below it on whole dotted segments (`db`
 * matches `db` and `db.pool`, not `dbx`); with them it is a wildcard over the
 * whole name (`*` any run of characters, `?` one), as the OpenTelemetry
 * `logger_configurator` matches logger names.
 */

const wildcards = new Map<string, RegExp>();

/** Whether `pattern` contains a wildcard (`*` or `?`). */
export function isWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** Whether the logger called `name` matches `pattern` (see the module comment). Never throws. */
export function matchesLogger(name: string, pattern: string): boolean {
  if (!isWildcard(pattern)) {
    return name === pattern || (name.startsWith(pattern) && name.charCodeAt(pattern.length) === 46 /* . */);
  }
  let re = wildcards.get(pattern);
  if (re === undefined) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
    re = new RegExp(`^${source}$`, 's');
    wildcards.set(pattern, re);
  }
  return re.test(name);
}

/**
 * A default value plus per-pattern overrides; the longest matching pattern
 * wins. Answers are cached per name (there are few logger names, and the
 * volume controls ask once per record).
 */
export class PatternRules<T> {
  /** The value for names no pattern matches. */
  readonly defaultValue: T;
  /** The overrides, longest pattern first. */
  readonly overrides: ReadonlyArray<readonly [string, T]>;
  readonly #cache = new Map<string, T>();

  constructor(defaultValue: T, overrides: Iterable<readonly [string, T]> = []) {
    this.defaultValue = defaultValue;
    this.overrides = [...overrides].sort((a, b) => b[0].length - a[0].length);
  }

  /** The value that applies to the logger called `name`. */
  valueFor(name: string): T {
    const cached = this.#cache.get(name);
    if (cached !== undefined || this.#cache.has(name)) return cached as T;
    let value = this.defaultValue;
    for (const [pattern, v] of this.overrides) {
      if (matchesLogger(name, pattern)) {
        value = v;
        break;
      }
    }
    // Bounded: a program that makes loggers from request data must not grow this without end.
    if (this.#cache.size >= 1000) this.#cache.clear();
    this.#cache.set(name, value);
    return value;
  }
}
