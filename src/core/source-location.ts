import { getCallSites } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { LogRecord } from './record.ts';
import { PACKAGE_ROOT } from './on-demand.ts';

/**
 * Source location, opt-in: the stable OpenTelemetry `code.*` attributes of
 * the line that made the log call — `code.file.path`, `code.line.number`,
 * `code.column.number`, `code.function.name` (when the function has a name).
 * Read with `util.getCallSites()`, which follows source maps when the
 * process runs with `--enable-source-maps`, rather than by parsing
 * `new Error().stack`. The caller's frame is the first one outside
 * logbridge's own directories (src/ and dist/) and Node's internals. A call
 * attribute of the same name wins.
 */

// src/ and dist/ are both ours: under --enable-source-maps the frames of dist/ are reported at their src/ lines.
const OWN: readonly string[] = ['src/', 'dist/'].flatMap((dir) => {
  const url = new URL(dir, PACKAGE_ROOT);
  return url.protocol === 'file:' ? [url.href, fileURLToPath(url)] : [url.href];
});

function isOwn(file: string): boolean {
  for (const prefix of OWN) if (file.startsWith(prefix)) return true;
  return false;
}
/**
 * Frames captured: logbridge's own take at most six between the log call and
 * here (level method, #log, Runtime.emit, the intake, this function,
 * getCallSites' own), so the caller is within eight. The capture's cost grows
 * with the frames taken (measured: 6 frames about half of 16).
 */
const FRAMES = 8;

/** `record` with the caller's `code.*` attributes added; the record as it is when no caller frame is found. Never throws. */
export function withSourceLocation(record: LogRecord): LogRecord {
  let sites: ReturnType<typeof getCallSites>;
  try {
    sites = getCallSites(FRAMES);
  } catch {
    return record;
  }
  for (const site of sites) {
    const file = site.scriptName;
    if (file === '' || file.startsWith('node:') || isOwn(file)) continue;
    const location: Record<string, unknown> = {
      'code.file.path': toPath(file),
      'code.line.number': site.lineNumber,
      'code.column.number': site.columnNumber,
    };
    if (site.functionName !== '') location['code.function.name'] = site.functionName;
    return { ...record, attributes: record.attributes === undefined ? location : { ...location, ...record.attributes } };
  }
  return record;
}

// fileURLToPath costs about as much as the stack capture; the files that log are few.
const paths = new Map<string, string>();

function toPath(file: string): string {
  if (!file.startsWith('file:')) return file;
  let path = paths.get(file);
  if (path === undefined) {
    try {
      path = fileURLToPath(file);
    } catch {
      path = file;
    }
    if (paths.size >= 1000) paths.clear();
    paths.set(file, path);
  }
  return path;
}
