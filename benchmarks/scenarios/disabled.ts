/**
 * Scenario 2 — a disabled level: `debug` calls while the level is `info`.
 * Nothing may be written; the unit is one call. Calls run in large turns so
 * the loop, not the event loop, is measured.
 */
import type { Case, Scenario } from '../harness/types.ts';
import { VARIANTS } from '../harness/variants.ts';
import * as lib from '../harness/libraries.ts';

const variant = VARIANTS.attrs3!;
const none = (): number => 0;
const turn = 1_000_000;

const cases: Case[] = [
  { id: 'debug/logbridge', variant: 'debug', library: 'logbridge', turn, expectedLines: none, setup: () => lib.logbridge(variant, 'debug') },
  { id: 'debug/pino', variant: 'debug', library: 'pino (default destination)', reference: true, turn, expectedLines: none, setup: () => lib.pino(variant, 'default', 'debug') },
  { id: 'debug/winston', variant: 'debug', library: 'winston', turn, scale: 0.005, expectedLines: none, setup: () => lib.winston(variant, 'debug') },
  { id: 'debug/bunyan', variant: 'debug', library: 'bunyan', turn, scale: 0.1, expectedLines: none, setup: () => lib.bunyan(variant, 'debug') },
  { id: 'debug/logtape', variant: 'debug', library: 'LogTape', turn, scale: 0.1, expectedLines: none, setup: () => lib.logtape(variant, 'debug') },
  { id: 'debug/otel-sdk', variant: 'debug', library: 'OTel SDK (minimumSeverity INFO)', turn, scale: 0.1, expectedLines: none, setup: () => lib.otelSdk(variant, 'debug') },
];

export const scenario: Scenario = {
  name: 'disabled',
  title: 'Scenario 2 — disabled level (debug at level info)',
  unit: 'call',
  count: 15_000_000,
  warmup: 2_000_000,
  cases,
};
