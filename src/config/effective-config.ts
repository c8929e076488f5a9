import { writeSync } from 'node:fs';
import { ENV, type Env, type EnvVar } from './env.ts';
import { resolveOtlpConfig } from './otlp.ts';
import { selectDefaultExporters } from './exporters.ts';

/**
 * The configuration in force, for operators: every variable logbridge reads
 * with its effective value and where it came from, and what the default
 * sinks are. Secrets (OTLP headers, TLS keys) are masked: a header shows
 * its name, never its value.
 */

/** One variable: the name that supplied it (a fallback name counts), its value, and its source. */
export interface EffectiveVariable {
  /** The variable's name (`OTEL_EXPORTER_OTLP_ENDPOINT`). */
  readonly name: string;
  /** The effective value, printable (`'***'` for secrets). */
  readonly value: string;
  /** `env` (set and valid), `invalid` (set, unusable: the default applies), `default`. */
  readonly source: 'env' | 'invalid' | 'default';
  /** The variable actually set, when it was a fallback (`OTEL_EXPORTER_OTLP_HEADERS` for the logs one). */
  readonly from?: string;
}

/** The whole picture; see {@link getEffectiveConfiguration}. */
export interface EffectiveConfiguration {
  /** Default sinks the environment selects: `stdout`, `otlp`. */
  readonly sinks: readonly string[];
  /** The OTLP settings, when OTLP is selected (headers masked). */
  readonly otlp?: Readonly<Record<string, unknown>>;
  /** Every variable logbridge reads, with its effective value and where it came from. */
  readonly variables: readonly EffectiveVariable[];
}

/**
 * Computes the configuration `env` gives (default `process.env`), without
 * reporting anything and without loading the OTel SDK. Never throws.
 */
export function getEffectiveConfiguration(env: Env = process.env): EffectiveConfiguration {
  const variables = Object.values(ENV).map((spec) => describeVariable(spec as EnvVar<unknown>, env));
  const chosen = selectQuietly(env);
  const sinks = [...(chosen.console ? ['stdout'] : []), ...(chosen.otlp ? ['otlp'] : [])];
  if (!chosen.otlp) return { sinks, variables };
  const config = resolveQuietly(env);
  const headers: Record<string, string> = {};
  for (const key of Object.keys(config.headers)) headers[key] = '***';
  return {
    sinks,
    variables,
    otlp: {
      url: maskUrlCredentials(config.url), protocol: config.protocol, compression: config.compression, timeoutMillis: config.timeoutMillis,
      headers, tls: { ca: config.tls.ca !== undefined, clientKey: config.tls.key !== undefined, clientCertificate: config.tls.cert !== undefined },
      scheduleDelayMillis: config.scheduleDelayMillis, exportTimeoutMillis: config.exportTimeoutMillis,
      maxQueueSize: config.maxQueueSize, maxExportBatchSize: config.maxExportBatchSize,
    },
  };
}

/** The configuration as text, one line per item. */
export function formatConfiguration(config: EffectiveConfiguration): string {
  const lines = [`sinks: ${config.sinks.join(', ') || '(none)'}`];
  if (config.otlp !== undefined) lines.push(`otlp: ${JSON.stringify(config.otlp)}`);
  for (const v of config.variables) {
    const note = v.source === 'invalid' ? ' (invalid value set: default used)' : v.source === 'default' ? ' (default)' : '';
    lines.push(`${v.name}=${v.value}${note}${v.from !== undefined ? ` (from ${v.from})` : ''}`);
  }
  return lines.join('\n') + '\n';
}

/** Writes {@link getEffectiveConfiguration} of `env` to stderr as text, one line per item. Never throws. */
export function printConfiguration(env: Env = process.env): void {
  try {
    writeSync(2, formatConfiguration(getEffectiveConfiguration(env)));
  } catch {
    // stderr closed: nothing to do
  }
}

function describeVariable(spec: EnvVar<unknown>, env: Env): EffectiveVariable {
  for (const name of [spec.name, ...(spec.fallbacks ?? [])]) {
    const raw = env[name]?.trim();
    if (raw === '' && spec.whenEmpty !== undefined) return { name: spec.name, value: show(spec, spec.whenEmpty), source: 'env' };
    if (raw === undefined || raw === '') continue;
    const parsed = spec.parse(raw);
    const from = name === spec.name ? {} : { from: name };
    if (parsed === undefined) return { name: spec.name, value: show(spec, spec.defaultValue), source: 'invalid', ...from };
    return { name: spec.name, value: show(spec, parsed), source: 'env', ...from };
  }
  return { name: spec.name, value: show(spec, spec.defaultValue), source: 'default' };
}

/** `scheme://user:password@host` → `scheme://user:***@host`: an endpoint may carry a password. */
function maskUrlCredentials(text: string): string {
  return text.replace(/(\/\/[^\s/@:]*:)[^\s/@]*@/g, '$1***@');
}

function show(spec: EnvVar<unknown>, value: unknown): string {
  if (spec.secret === true) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return Object.keys(value).map((k) => `${k}=***`).join(',');
    }
    return value === '' ? '' : '***';
  }
  if (typeof value === 'string') return maskUrlCredentials(value);
  if (Array.isArray(value)) return value.join(',');
  if (value !== null && typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}=${String(v)}`).join(',');
  return String(value);
}

// The resolvers report bad values on stderr; a printout must not repeat them,
// so they get a copy of the environment without the invalid values.
function selectQuietly(env: Env): ReturnType<typeof selectDefaultExporters> {
  return selectDefaultExporters(withoutInvalid(env));
}

function resolveQuietly(env: Env): ReturnType<typeof resolveOtlpConfig> {
  return resolveOtlpConfig(withoutInvalid(env));
}

function withoutInvalid(env: Env): Env {
  const copy: Record<string, string | undefined> = { ...env };
  for (const spec of Object.values(ENV) as EnvVar<unknown>[]) {
    for (const name of [spec.name, ...(spec.fallbacks ?? [])]) {
      const raw = copy[name]?.trim();
      if (raw !== undefined && raw !== '' && spec.parse(raw) === undefined) delete copy[name];
    }
  }
  return copy;
}
