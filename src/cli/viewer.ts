import { Transform, type TransformCallback } from 'node:stream';
import { DEFAULT_LIMITS } from '../values/limits.ts';
import { levelText, SEVERITY, SEVERITY_TEXT, toSeverityThreshold } from '../core/levels.ts';
import { renderPretty, type PrettyFields, type PrettyStyle } from '../encoders/pretty.ts';
import { fromOtlpJson } from './otlp-input.ts';
import { parseLogfmtLine } from './logfmt-input.ts';

/**
 * The log viewer behind the `logbridge` command: reads lines, shows JSON log
 * lines as pretty lines, keeps those that pass the filters, and passes every
 * other line through byte for byte. It reads logbridge's JSON lines, its
 * `otlp-json` and `logfmt` lines, and the common shapes of pino, bunyan and
 * winston JSON (`msg`, numeric `level`, `time`, `name`, `err`, pino-http's
 * `req.id`). A line it cannot read is
 * passed through, never fatal.
 */

/** What the viewer keeps and how it shows it. */
export interface ViewerOptions {
  /** Lowest severity number shown (0: all). Lines without a level count as 0. */
  readonly minSeverity: number;
  /** Logger names: a record passes when its scope is one of them or below one (`orders` keeps `orders.db`). */
  readonly loggers: readonly string[];
  /** Request IDs; a record passes when its `request.id` is one of them. */
  readonly requestIds: readonly string[];
  /** Trace IDs or prefixes of them (the 8-character short form the pretty line shows works). */
  readonly traceIds: readonly string[];
  /** Case-insensitive text the line must contain (in its JSON text or its message). */
  readonly grep: string | undefined;
  /** Hide lines that are not JSON log lines (default: passed through untouched). */
  readonly onlyLogs: boolean;
  readonly style: PrettyStyle;
}

/** Viewer options with nothing filtered, plain text, short times. */
export const DEFAULT_VIEWER_OPTIONS: ViewerOptions = Object.freeze<ViewerOptions>({
  minSeverity: 0,
  loggers: [],
  requestIds: [],
  traceIds: [],
  grep: undefined,
  onlyLogs: false,
  style: { colors: false, time: 'time', limits: DEFAULT_LIMITS },
});

// A line longer than this is passed through as it is, unparsed, to bound memory.
const MAX_LINE_BYTES = 16 * 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * A transform from raw log text to viewer output. Lines are split on `\n`
 * as bytes, so a line that is passed through keeps its exact bytes
 * (invalid UTF-8 and `\r` included). Never errors on input content.
 */
export function createViewerTransform(options: ViewerOptions): Transform {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
      let start = 0;
      let out = '';
      const parts: Array<string | Buffer> = [];
      for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
        let line = chunk.subarray(start, nl);
        if (pendingBytes > 0) {
          line = Buffer.concat([...pending, line]);
          pending = [];
          pendingBytes = 0;
        }
        const shown = viewLine(line, options, true);
        if (typeof shown === 'string') out += shown;
        else {
          if (out !== '') parts.push(out);
          out = '';
          parts.push(shown);
        }
        start = nl + 1;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
        if (pendingBytes > MAX_LINE_BYTES) {
          parts.push(out, Buffer.concat(pending));
          out = '';
          pending = [];
          pendingBytes = 0;
        }
      }
      if (out !== '') parts.push(out);
      for (const part of parts) if (part.length > 0) this.push(part);
      done();
    },
    flush(done: TransformCallback): void {
      if (pendingBytes > 0) {
        const shown = viewLine(Buffer.concat(pending), options, false);
        if (shown.length > 0) this.push(shown);
      }
      done();
    },
  });
}

/**
 * What the viewer writes for one input line (without its `\n`): the pretty
 * text, `''` when filtered out, or the line's own bytes when it is not a
 * JSON log line.
 */
export function viewLine(line: Buffer, options: ViewerOptions, hadNewline: boolean): string | Buffer {
  const records = parseLogLine(line);
  if (records === undefined) {
    if (options.onlyLogs) return '';
    return hadNewline ? Buffer.concat([line, Buffer.from('\n')]) : line;
  }
  let out = '';
  const lowerGrep = options.grep?.toLowerCase();
  for (const fields of records) {
    if (!passes(fields, options)) continue;
    if (lowerGrep !== undefined && !line.toString('utf8').toLowerCase().includes(lowerGrep) &&
      !fields.message.toLowerCase().includes(lowerGrep)) continue;
    out += renderPretty(fields, options.style);
  }
  return out;
}

function passes(f: PrettyFields, o: ViewerOptions): boolean {
  if (f.severityNumber < o.minSeverity) return false;
  if (o.loggers.length > 0 && !o.loggers.some((name) => f.scope === name || f.scope.startsWith(name + '.'))) return false;
  if (o.requestIds.length > 0 && (f.requestId === undefined || !o.requestIds.includes(f.requestId))) return false;
  if (o.traceIds.length > 0) {
    const id = f.traceId?.toLowerCase();
    if (id === undefined || !o.traceIds.some((t) => t !== '' && id.startsWith(t.toLowerCase()))) return false;
  }
  return true;
}

/** The records of a JSON log line, or `undefined` when the line is not one. */
export function parseLogLine(line: Buffer): PrettyFields[] | undefined {
  let i = line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf ? 3 : 0; // a UTF-8 byte order mark
  while (i < line.length && (line[i] === 0x20 || line[i] === 0x09)) i++;
  if (line[i] !== 0x7b) return fromLogfmt(line.toString('utf8', i)); // '{': JSON objects; else maybe logfmt
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.toString('utf8', i));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const object = parsed as Record<string, unknown>;
  try {
    if (Array.isArray(object.resourceLogs)) return fromOtlpJson(object);
    // Other JSON (a config dump, an API response) is not a log record: pass it through.
    if (!LOG_KEYS.some((key) => key in object)) return undefined;
    return [fromJsonLine(object)];
  } catch {
    return undefined;
  }
}

/** The record of a logfmt log line (see parseLogfmtLine), or `undefined`. */
function fromLogfmt(text: string): PrettyFields[] | undefined {
  // Cheap test first: most non-JSON lines in a mixed stream are prose, not pairs.
  if (!text.includes('level=')) return undefined;
  const pairs = parseLogfmtLine(text.endsWith('\r') ? text.slice(0, -1) : text);
  if (pairs === undefined) return undefined;
  try {
    return [fromJsonLine(pairs)];
  } catch {
    return undefined;
  }
}

/** A JSON object with none of these keys is not taken for a log record. */
const LOG_KEYS = ['level', 'severity_number', 'message', 'msg', 'timestamp', 'time'];

// pino and bunyan numeric levels → OpenTelemetry severity numbers.
const PINO_LEVELS: Readonly<Record<number, [number, string]>> = {
  10: [SEVERITY.trace, SEVERITY_TEXT.trace], 20: [SEVERITY.debug, SEVERITY_TEXT.debug], 30: [SEVERITY.info, SEVERITY_TEXT.info],
  40: [SEVERITY.warn, SEVERITY_TEXT.warn], 50: [SEVERITY.error, SEVERITY_TEXT.error], 60: [SEVERITY.fatal, SEVERITY_TEXT.fatal],
};
/** Keys shown as record fields, not as attributes. */
const FIELD_KEYS = new Set([
  'timestamp', 'time', 'level', 'severity_number', 'scope', 'message', 'msg', 'event_name', 'trace_id', 'span_id',
  'trace_flags', 'request.id', 'exception.type', 'exception.message', 'exception.stacktrace', 'v',
  'dropped_attributes_count', 'logbridge.truncated',
]);

/** Pretty fields from a logbridge JSON line (or a pino / bunyan / winston one). */
export function fromJsonLine(o: Record<string, unknown>): PrettyFields {
  const [severityNumber, level] = severityOf(o.level, o.severity_number);
  const message = o.message ?? o.msg;
  const scope = o.scope ?? (typeof o.name === 'string' && o.scope === undefined ? o.name : undefined);
  const attributes: Array<[string, unknown]> = [];
  let exception: PrettyFields['exception'];
  if (typeof o['exception.type'] === 'string' || typeof o['exception.message'] === 'string') {
    exception = { type: text(o['exception.type']), message: text(o['exception.message']), stacktrace: optionalText(o['exception.stacktrace']) };
  }
  for (const key of Object.keys(o)) {
    if (FIELD_KEYS.has(key) || (key === 'name' && scope === o.name)) continue;
    const value = o[key];
    if (key === 'err' && exception === undefined && isErrorShape(value)) {
      exception = { type: text(value.type ?? value.name ?? 'Error'), message: text(value.message), stacktrace: optionalText(value.stack) };
      continue;
    }
    attributes.push([key, value]);
  }
  return {
    timestamp: timestampOf(o.timestamp ?? o.time),
    level,
    severityNumber,
    scope: scope === undefined ? '' : text(scope),
    message: message === undefined ? '' : typeof message === 'string' ? message : JSON.stringify(message),
    eventName: optionalText(o.event_name),
    requestId: optionalText(o['request.id'] ?? pinoHttpRequestId(o)),
    traceId: optionalText(o.trace_id),
    exception,
    attributes,
    dropped: typeof o.dropped_attributes_count === 'number' ? o.dropped_attributes_count : undefined,
    truncated: optionalText(o['logbridge.truncated']),
  };
}

function severityOf(level: unknown, severity: unknown): [number, string] {
  if (typeof level === 'number') {
    const pino = PINO_LEVELS[level];
    return pino ?? [0, String(level)];
  }
  const name = typeof level === 'string' ? level : '';
  if (typeof severity === 'number' && Number.isFinite(severity)) return [severity, name !== '' ? name : levelText(severity)];
  const threshold = name === '' ? undefined : toSeverityThreshold(name);
  if (threshold === undefined || threshold > 21) return [0, name.toUpperCase()];
  return [threshold, name.toUpperCase()];
}

function timestampOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  return value === undefined ? '' : String(value);
}

/** pino-http's request ID: `req.id` of the bound request object, or a custom `reqId` key. */
function pinoHttpRequestId(o: Record<string, unknown>): unknown {
  const req = o.req;
  if (typeof req === 'object' && req !== null && 'id' in req) return (req as { id?: unknown }).id;
  return o.reqId;
}

function isErrorShape(value: unknown): value is { type?: unknown; name?: unknown; message?: unknown; stack?: unknown } {
  return typeof value === 'object' && value !== null && ('stack' in value || 'message' in value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

function optionalText(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : text(value);
}
