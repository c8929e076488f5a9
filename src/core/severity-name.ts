/**
 * OpenTelemetry's short names for all 24 severity numbers: each level has
 * four steps (`INFO`, `INFO2`, `INFO3`, `INFO4` for 9–12). Records from
 * other sources (the OTel SDK, OTLP input) may use any of them.
 */

const SHORT_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** The short name of a severity number (9 → `INFO`, 10 → `INFO2`); `UNSPECIFIED` outside 1–24. */
export function severityShortName(n: number): string {
  if (!(n >= 1 && n < 25)) return 'UNSPECIFIED';
  const index = Math.floor(n) - 1;
  const step = index % 4;
  return SHORT_NAMES[Math.floor(index / 4)]! + (step === 0 ? '' : String(step + 1));
}
