import { ENV, readEnv, type Env } from './env.ts';
import { hasOtlpEndpoint } from './otlp.ts';

/**
 * Which default sinks the environment asks for (DESIGN §6):
 * - `OTEL_LOGS_EXPORTER` set: it decides alone (`console` = stdout lines,
 *   `otlp`, `none`; a comma list may name several);
 * - unset: stdout, plus OTLP when an OTLP endpoint variable is set;
 * - `OTEL_SDK_DISABLED=true`: no OTLP, whatever else is set.
 */
export function selectDefaultExporters(env: Env): { readonly console: boolean; readonly otlp: boolean } {
  const disabled = readEnv(ENV.sdkDisabled, env);
  const names = readEnv(ENV.logsExporter, env);
  if (names.length === 0) return { console: true, otlp: !disabled && hasOtlpEndpoint(env) };
  return { console: names.includes('console'), otlp: !disabled && names.includes('otlp') };
}
