import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS } from '../values/limits.ts';
import { toSeverityThreshold } from '../core/levels.ts';
import { shouldUseColor } from '../encoders/pretty.ts';
import { createViewerTransform, type ViewerOptions } from './viewer.ts';

/** The `logbridge --help` text. */
export const USAGE = `Usage: logbridge [options] [file ...]

Shows log lines (logbridge JSON, otlp-json and logfmt lines; pino, bunyan,
winston JSON) as readable lines. Reads the files given, or standard input.
Lines that are not log lines are passed through untouched.

  -l, --level <level>        lowest level shown: trace, debug, info, warn, error, fatal
  -n, --logger <name>        only this logger and those below it (orders keeps orders.db);
                             repeat for several
  -r, --request-id <id>      only records of this request ID (request.id, pino-http's
                             req.id); repeatable
  -t, --trace-id <id>        only records of this trace (a prefix such as the 8-character
                             short ID of a pretty line is enough); repeatable
  -g, --grep <text>          only records whose line or message contains <text> (any case)
      --only-logs            hide lines that are not log lines
      --time <time|iso>      time of day (default) or the full RFC 3339 timestamp
      --color, --no-color    force colours on or off (default: on a TTY, off with NO_COLOR)
  -h, --help                 show this help

Examples:
  node app.js | logbridge
  logbridge --level warn --logger orders app.log
  kubectl logs deploy/checkout | logbridge -r 7f3c2a1e
`;

/** Where the viewer reads and writes; the real process streams by default. */
export interface ViewerIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Runs the viewer with command-line `args`; resolves to the exit code:
 * 0 on success (also when the reader of stdout goes away, as with `| head`),
 * 1 when a file could not be read, 2 for invalid arguments. Never rejects.
 */
export async function runViewer(args: readonly string[], io: ViewerIo = defaultIo()): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.stderr.write(`logbridge: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help === true) {
    io.stdout.write(USAGE);
    return 0;
  }
  const options = toViewerOptions(parsed.values, io);
  if (typeof options === 'string') {
    io.stderr.write(`logbridge: ${options}\n`);
    return 2;
  }
  let closed = false;
  // The reader went away (`| head`): stop quietly, like other Unix filters.
  io.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') closed = true;
  });
  const files = parsed.positionals.length > 0 ? parsed.positionals : ['-'];
  if (parsed.positionals.length === 0 && (io.stdin as { isTTY?: boolean }).isTTY === true) {
    io.stderr.write('logbridge: reading log lines from the terminal; pipe them in (node app.js | logbridge) or name files. --help for more.\n');
  }
  let code = 0;
  for (const file of files) {
    if (closed) break;
    const input = file === '-' ? io.stdin : createReadStream(file);
    try {
      await pipeline(input, createViewerTransform(options), io.stdout, { end: false });
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (closed || e.code === 'EPIPE' || e.code === 'ERR_STREAM_PREMATURE_CLOSE') {
        closed = true;
        break;
      }
      io.stderr.write(`logbridge: ${file}: ${e.message}\n`);
      code = 1;
    }
  }
  return code;
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    allowNegative: true,
    options: {
      level: { type: 'string', short: 'l' },
      logger: { type: 'string', short: 'n', multiple: true },
      'request-id': { type: 'string', short: 'r', multiple: true },
      'trace-id': { type: 'string', short: 't', multiple: true },
      grep: { type: 'string', short: 'g' },
      'only-logs': { type: 'boolean' },
      time: { type: 'string' },
      color: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function toViewerOptions(v: ReturnType<typeof parse>['values'], io: ViewerIo): ViewerOptions | string {
  let minSeverity = 0;
  if (v.level !== undefined) {
    const threshold = toSeverityThreshold(v.level);
    if (threshold === undefined) return `--level must be one of trace, debug, info, warn, error, fatal (got ${JSON.stringify(v.level)})`;
    minSeverity = threshold;
  }
  if (v.time !== undefined && v.time !== 'time' && v.time !== 'iso') return `--time must be time or iso`;
  const colors = v.color ?? shouldUseColor(1, io.env);
  return {
    minSeverity,
    loggers: v.logger ?? [],
    requestIds: v['request-id'] ?? [],
    traceIds: v['trace-id'] ?? [],
    grep: v.grep === '' ? undefined : v.grep,
    onlyLogs: v['only-logs'] === true,
    style: { colors, time: (v.time ?? 'time') as 'time' | 'iso', limits: DEFAULT_LIMITS },
  };
}

function defaultIo(): ViewerIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}
