import type { LoggerProvider } from '@opentelemetry/api';

/**
 * Finds a LoggerProvider the application registered globally (for example
 * with `@opentelemetry/sdk-node`), in both registries: `@opentelemetry/api`
 * 1.10's `logs` and the older `@opentelemetry/api-logs` 0.2xx, which keeps a
 * separate one. Reads the global slots directly, so nothing is imported and
 * a process without OpenTelemetry pays nothing.
 */

const API_KEY = Symbol.for('opentelemetry.js.api.1');
const LEGACY_KEY = Symbol.for('io.opentelemetry.js.api.logs');
// the api-logs getter takes the compatibility version it was registered with
const LEGACY_COMPAT_VERSION = 1;

/** The registered provider, `@opentelemetry/api`'s first; `undefined` when none is registered. Never throws. */
export function getRegisteredLoggerProvider(): LoggerProvider | undefined {
  try {
    const g = globalThis as Record<symbol, unknown>;
    const api = g[API_KEY] as { logs?: LoggerProvider } | undefined;
    if (isProvider(api?.logs)) return api.logs;
    const legacy = g[LEGACY_KEY];
    if (typeof legacy === 'function') {
      const provider = (legacy as (version: number) => unknown)(LEGACY_COMPAT_VERSION);
      if (isProvider(provider) && provider.constructor?.name !== 'NoopLoggerProvider') return provider;
    }
  } catch {
    // a foreign object in the slot: behave as if none was registered
  }
  return undefined;
}

function isProvider(value: unknown): value is LoggerProvider {
  return typeof value === 'object' && value !== null && typeof (value as LoggerProvider).getLogger === 'function';
}
