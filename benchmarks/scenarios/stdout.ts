/**
 * Scenario 1 — JSON lines to stdout (/dev/null): one call per record on a
 * child logger with one binding. The main variant (`attrs3`: a message and
 * 3 attributes) runs every library; the other shapes run logbridge against
 * pino's default and synchronous destinations.
 */
import type { Case, Scenario } from '../harness/types.ts';
import { VARIANTS, type Variant } from '../harness/variants.ts';
import * as lib from '../harness/libraries.ts';

function casesFor(variant: Variant, all: boolean): Case[] {
  const v = variant.name;
  const mustContain = [JSON.stringify(variant.message).slice(1, -1), 'checkout'];
  // The other shapes are secondary: 3 runs instead of 5, to keep the suite short.
  const runs = all ? undefined : 3;
  const cases: Case[] = [
    { id: `${v}/logbridge`, variant: v, library: 'logbridge', runs, mustContain, setup: () => lib.logbridge(variant) },
    { id: `${v}/pino`, variant: v, library: 'pino (default destination)', reference: true, runs, mustContain, setup: () => lib.pino(variant, 'default') },
    { id: `${v}/pino-sync`, variant: v, library: 'pino destination({sync:true})', runs, mustContain, setup: () => lib.pino(variant, 'sync') },
  ];
  if (!all) return cases;
  cases.push(
    // What the default redaction (key names, paths, secret patterns) costs.
    { id: `${v}/logbridge-noredact`, variant: v, library: 'logbridge (redact: false)', runs: 3, mustContain,
      setup: () => lib.logbridge(variant, 'info', { redact: false }) },
    { id: `${v}/pino-async`, variant: v, library: 'pino destination({sync:false})', mustContain, setup: () => lib.pino(variant, 'async') },
    { id: `${v}/winston`, variant: v, library: 'winston (Console, json)', scale: 0.25, mustContain, setup: () => lib.winston(variant) },
    { id: `${v}/bunyan`, variant: v, library: 'bunyan', scale: 0.25, mustContain, setup: () => lib.bunyan(variant) },
    { id: `${v}/logtape`, variant: v, library: 'LogTape (stream sink, JSON Lines)', scale: 0.25, mustContain, setup: () => lib.logtape(variant) },
    { id: `${v}/otel-sdk`, variant: v, library: 'OTel SDK (LoggerProvider + Simple processor)', scale: 0.25, mustContain, setup: () => lib.otelSdk(variant) },
  );
  return cases;
}

export const scenario: Scenario = {
  name: 'stdout',
  title: 'Scenario 1 — JSON lines to stdout (/dev/null)',
  unit: 'record',
  count: 30_000,
  // Past V8's optimizing compiles of logbridge's larger functions (records 14k–33k): with 20,000,
  // they ran on the compiler threads during the measured batches (CPU ~1.4× wall time).
  warmup: 40_000,
  cases: [
    ...casesFor(VARIANTS.attrs3!, true),
    ...casesFor(VARIANTS.message!, false),
    ...casesFor(VARIANTS.attrs10!, false),
    ...casesFor(VARIANTS.nested!, false),
    ...casesFor(VARIANTS.long!, false),
    ...casesFor(VARIANTS.error!, false),
  ],
};
