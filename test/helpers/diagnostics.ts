import { setDiagnosticSink } from '../../src/core/diagnostics.ts';

/**
 * Collects logbridge's stderr diagnostics for the tests of the enclosing
 * `describe`: the array is emptied before each test and the sink restored
 * after it.
 */
export function captureDiagnostics(): string[] {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    setDiagnosticSink((line) => lines.push(line));
  });
  afterEach(() => setDiagnosticSink(undefined));
  return lines;
}
