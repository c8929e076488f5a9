import { writeSync } from 'node:fs';

/**
 * logbridge's own diagnostic channel: plain lines on stderr, never through a
 * user's logger (so our faults cannot recurse into us), rate-limited per
 * code so a bad value logged in a hot loop costs one line, not a flood.
 */

const INTERVAL_MS = 10_000;
const last = new Map<string, { at: number; suppressed: number }>();
let writing = false;
let sink: ((line: string) => void) | undefined;

/**
 * Reports a problem on stderr as `logbridge: <code>: <message>`, at most once
 * per code every 10 s; later reports in that window are counted and the count
 * is appended to the next line. Never throws.
 */
export function diagnose(code: string, message: string): void {
  const now = Date.now();
  const entry = last.get(code);
  if (entry !== undefined && now - entry.at < INTERVAL_MS) {
    entry.suppressed++;
    return;
  }
  const suppressed = entry?.suppressed ?? 0;
  last.set(code, { at: now, suppressed: 0 });
  const more = suppressed > 0 ? ` (${suppressed} similar suppressed)` : '';
  writeLine(`logbridge: ${code}: ${message}${more}\n`);
}

/** Writes one diagnostic line without rate limiting (final accounting, config errors). */
export function diagnoseAlways(code: string, message: string): void {
  writeLine(`logbridge: ${code}: ${message}\n`);
}

function writeLine(line: string): void {
  if (writing) return; // a fault while reporting a fault: drop, never recurse
  writing = true;
  try {
    if (sink !== undefined) sink(line);
    else writeSync(2, line);
  } catch {
    // stderr closed or full: nothing better to do than carry on
  } finally {
    writing = false;
  }
}

/** Test hook: capture diagnostic lines instead of writing them; `undefined` restores stderr. */
export function setDiagnosticSink(fn: ((line: string) => void) | undefined): void {
  sink = fn;
  last.clear();
}

/** Describes an unknown thrown value in one short line, for diagnostics. */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    return String(error);
  } catch {
    return 'unprintable error';
  }
}
