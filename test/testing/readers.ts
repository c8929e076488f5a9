import { fromFlatRecord, type RecordView } from '../../src/testing/index.ts';

/**
 * Readers of the logfmt and pretty formats for the conformance suite,
 * written from the format descriptions (docs/sinks-and-formats.md), not from
 * the encoders' code: a value is bare, or a JSON-quoted string.
 */

const PAIR = /(?:^| )("(?:[^"\\]|\\.)*"|[^\s="]+)=("(?:[^"\\]|\\.)*"|\S*)/g;
const FIELDS = new Set(['timestamp', 'level', 'scope', 'message', 'event_name', 'trace_id', 'span_id', 'trace_flags',
  'request.id', 'exception.type', 'exception.message', 'exception.stacktrace']);

/** A bare or quoted value; attribute values typed back (numbers, booleans, JSON objects and arrays). */
function value(text: string, typed: boolean): unknown {
  const s = text.startsWith('"') ? JSON.parse(text) as string : text;
  if (!typed) return s;
  if (!text.startsWith('"') && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(s)) return Number(s);
  if (!text.startsWith('"') && (s === 'true' || s === 'false')) return s === 'true';
  if (/^[[{]/.test(s)) {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      return s;
    }
  }
  return s;
}

/** One view per logfmt line. */
export function parseLogfmtLines(output: string): RecordView[] {
  return output.split('\n').filter((line) => line !== '').map((line) => {
    const flat: Record<string, unknown> = {};
    for (const m of line.matchAll(PAIR)) {
      const key = value(m[1]!, false) as string;
      flat[key] = value(m[2]!, !FIELDS.has(key));
    }
    return fromFlatRecord(flat);
  });
}

const HEAD = /^(\S+) (\S+) +(?:(\S+): ?)?/;

/**
 * One view per pretty record: `<time> <LEVEL> <scope>: <message> [event=<name>] k=v ... [req=<id>] [trace=<8 hex>]`,
 * then the stack, each line indented by four spaces. Fields are known by
 * their place, so an attribute named `level` is an attribute. The trace ID
 * is shown shortened, so it is left out of the view.
 */
export function parsePrettyOutput(output: string): RecordView[] {
  const records: Array<{ head: string; stack: string[] }> = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('    ') && records.length > 0) records.at(-1)!.stack.push(line.slice(4));
    else records.push({ head: line, stack: [] });
  }
  return records.map(({ head, stack }) => {
    const m = HEAD.exec(head);
    if (m === null) throw new TypeError(`not a pretty line: ${head.slice(0, 80)}`);
    const rest = head.slice(m[0].length);
    const pairs = [...(' ' + rest).matchAll(PAIR)];
    const flat: Record<string, unknown> = { timestamp: m[1], level: m[2], scope: m[3] ?? '' };
    flat.message = pairs.length === 0 ? rest : rest.slice(0, Math.max(0, pairs[0]!.index - 1));
    const fields: Record<string, unknown> = {};
    if (pairs[0]?.[1] === 'event') fields.event_name = value(pairs.shift()![2]!, false);
    if (pairs.at(-1)?.[1] === 'trace') pairs.pop();
    if (pairs.at(-1)?.[1] === 'req') fields['request.id'] = value(pairs.pop()![2]!, false);
    const attributes: Record<string, unknown> = {};
    for (const p of pairs) attributes[value(p[1]!, false) as string] = value(p[2]!, true);
    if (stack.length > 0) {
      const first = stack[0]!;
      const colon = first.indexOf(': ');
      flat['exception.type'] = colon === -1 ? first : first.slice(0, colon);
      flat['exception.message'] = colon === -1 ? '' : first.slice(colon + 2);
      flat['exception.stacktrace'] = stack.join('\n');
    }
    const view = fromFlatRecord({ ...flat, ...fields });
    return { ...view, attributes };
  });
}
