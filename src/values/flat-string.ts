/**
 * Flattening of cached strings. A string made with `+` is a tree of the
 * pieces it was made of, and V8 keeps it that way: a cached piece made of
 * ten concatenations is walked node by node again in every line it goes
 * into, when the writer flattens the line and converts it to UTF-8.
 * Flattened once, where it is made, it is one piece to copy.
 */

/**
 * `s`, unchanged in value, made flat in place where the engine allows (V8
 * flattens a concatenated string when it is converted to a number). For
 * strings that are made once and written many times: the line pieces the
 * JSON encoder caches. Measured: a 12-member cached piece in a 100-line
 * chunk cost ~130 ns per line to flatten and encode before, ~35 ns after.
 * Never throws.
 */
export function toFlatString(s: string): string {
  void Number(s);
  return s;
}
