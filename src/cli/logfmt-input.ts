/**
 * The viewer's reader of logfmt lines (logbridge's own `LOGBRIDGE_FORMAT=logfmt`
 * output, and go-logfmt / slog's TextHandler shapes): `key=value` pairs,
 * values bare or double-quoted with JSON escapes.
 */

/**
 * The pairs of a logfmt log line as an object (quoted values unescaped,
 * quoted JSON objects and arrays parsed back), or `undefined` when the line
 * is not one: every token must be `key=value`, and a `level` key and one of
 * `message`, `msg`, `timestamp`, `time` must be there — so prose that merely
 * contains an `=` passes through the viewer untouched. Never throws.
 */
export function parseLogfmtLine(line: string): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= n) break;
    const eq = line.indexOf('=', i);
    const space = nextSpace(line, i);
    if (eq === -1 || eq > space || eq === i) return undefined;
    const key = line.slice(i, eq);
    i = eq + 1;
    if (line[i] === '"') {
      const end = closingQuote(line, i);
      if (end === -1) return undefined;
      let value: unknown;
      try {
        value = JSON.parse(line.slice(i, end + 1));
      } catch {
        return undefined;
      }
      out[key] = structured(value as string);
      i = end + 1;
    } else {
      const end = nextSpace(line, i);
      out[key] = line.slice(i, end);
      i = end;
    }
  }
  if (!('level' in out) || !['message', 'msg', 'timestamp', 'time'].some((k) => k in out)) return undefined;
  return out;
}

function nextSpace(line: string, from: number): number {
  for (let i = from; i < line.length; i++) if (line[i] === ' ' || line[i] === '\t') return i;
  return line.length;
}

/** The index of the `"` closing the quoted value opened at `open`, or -1. */
function closingQuote(line: string, open: number): number {
  for (let i = open + 1; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '"') return i;
  }
  return -1;
}

/** The encoder writes objects and arrays as quoted JSON: show them as values again. */
function structured(value: string): unknown {
  const first = value[0];
  if (first !== '{' && first !== '[') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
