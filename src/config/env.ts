import { diagnoseAlways } from '../core/diagnostics.ts';
import { LOGBRIDGE_VARIABLES } from './variables-logbridge.ts';
import { OTEL_VARIABLES } from './variables-otel.ts';
import { PROCESS_VARIABLES } from './variables-process.ts';
import type { Env, EnvVar } from './variable.ts';

/**
 * Every environment variable logbridge reads, in one table. Each entry
 * parses its value or rejects it; a rejected value gives one stderr line
 * naming the variable and the default used, never an exception. Secret
 * values are never echoed. docs/configuration.md mirrors this table.
 */

/**
 * Reads one variable (then its fallbacks). Empty values count as unset, as
 * the OpenTelemetry specification asks (unless the entry says `whenEmpty`).
 * Invalid values are reported once and give the default.
 */
export function readEnv<T>(spec: EnvVar<T>, env: Env = process.env): T {
  for (const name of [spec.name, ...(spec.fallbacks ?? [])]) {
    const raw = env[name]?.trim();
    if (raw === '' && spec.whenEmpty !== undefined) return spec.whenEmpty;
    if (raw === undefined || raw === '') continue;
    const parsed = spec.parse(raw);
    if (parsed !== undefined) return parsed;
    const shown = spec.secret === true ? '(value hidden)' : JSON.stringify(raw.slice(0, 80));
    diagnoseAlways('INVALID_ENV', `${name}=${shown} is not valid; using the default ${describeDefault(spec.defaultValue)}`);
    return spec.defaultValue;
  }
  return spec.defaultValue;
}

function describeDefault(value: unknown): string {
  if (value === Infinity) return '(no limit)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return JSON.stringify(value.join(','));
  if (typeof value === 'object' && value !== null) return Object.keys(value).length === 0 ? '(none)' : '(the built-in value)';
  return String(value);
}

/**
 * Every variable logbridge reads: its own (`LOGBRIDGE_*`), the OpenTelemetry
 * ones, and those of the process it runs in (`NODE_ENV`, `NO_COLOR`, ...).
 * Nothing outside src/config/ reads `process.env` by name
 * (test/architecture/env-reads.test.ts checks it).
 */
export const ENV = { ...LOGBRIDGE_VARIABLES, ...OTEL_VARIABLES, ...PROCESS_VARIABLES };

export {
  integer, boolean, oneOf, onOff, list, exporterList, keyValueList, url,
  type EnvVar, type Env, type FormatName, type FormatChoice, type OtlpProtocol, type ExporterName,
} from './variable.ts';
