import type { RedactOptions } from '../redact/redactor.ts';
import { ENV, readEnv, type Env } from './env.ts';

/**
 * Redaction options from the `LOGBRIDGE_REDACT*` variables of `env`, or
 * `undefined` when `LOGBRIDGE_REDACT=off`. Invalid values are reported on
 * stderr and replaced by defaults; never throws.
 */
export function redactOptionsFromEnv(env: Env = process.env): RedactOptions | undefined {
  if (!readEnv(ENV.redact, env)) return undefined;
  const keys = readEnv(ENV.redactKeys, env);
  const paths = readEnv(ENV.redactPaths, env);
  return {
    ...(keys.length > 0 ? { keys } : {}),
    ...(paths.length > 0 ? { paths } : {}),
    mode: readEnv(ENV.redactMode, env),
    patterns: readEnv(ENV.redactPatterns, env),
  };
}
