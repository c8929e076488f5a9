import type { Encoder } from '../core/sink.ts';
import type { Attributes } from '../core/record.ts';
import { ENV, readEnv, type Env, type FormatChoice, type FormatName } from '../config/env.ts';
import { DEFAULT_LIMITS, type Limits } from '../values/limits.ts';
import { LogbridgeError } from '../core/errors.ts';
import { isTerminal } from '../core/terminal.ts';
import { createJsonEncoder } from './json.ts';
// The other encoders load when chosen: the default path writes JSON only.
import { createPrettyEncoder, createLogfmtEncoder, createOtlpJsonEncoder } from './on-demand.ts';

/** Options for {@link createFormatEncoder}. */
export interface FormatEncoderOptions {
  /** Value limits: string length, attribute count, depth, record size (default {@link DEFAULT_LIMITS}). */
  readonly limits?: Limits;
  /** The file descriptor the lines go to, for `auto` and colour detection (default 1). */
  readonly fd?: number;
  /** Environment for `auto`, colours and the `otlp-json` resource (default `process.env`). */
  readonly env?: Env;
  /** Resource attributes for `otlp-json` lines (default: from `OTEL_SERVICE_NAME` / `OTEL_RESOURCE_ATTRIBUTES`). */
  readonly resource?: Attributes;
}

/**
 * The format `auto` stands for: `pretty` when `fd` is a TTY and `NODE_ENV`
 * is not `production` (a `docker run -t` in production keeps JSON), else
 * `json`. Any other choice is returned as it is.
 */
export function resolveFormat(choice: FormatChoice, fd = 1, env: Env = process.env): FormatName {
  if (choice !== 'auto') return choice;
  if (readEnv(ENV.nodeEnv, env) === 'production') return 'json';
  return isTerminal(fd) ? 'pretty' : 'json';
}

/**
 * The line encoder for a format name (`json`, `pretty`, `logfmt`,
 * `otlp-json`, `auto`). Throws a {@link LogbridgeError}
 * (`LOGBRIDGE_ERR_INVALID_CONFIG`) for any other name.
 */
export function createFormatEncoder(format: FormatChoice, options: FormatEncoderOptions = {}): Encoder {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const env = options.env ?? process.env;
  const name = resolveFormat(format, options.fd ?? 1, env);
  switch (name) {
    case 'json':
      return createJsonEncoder({ limits });
    case 'pretty':
      return createPrettyEncoder({ limits, fd: options.fd ?? 1, env });
    case 'logfmt':
      return createLogfmtEncoder({ limits });
    case 'otlp-json':
      return createOtlpJsonEncoder({ limits, env, resource: options.resource });
    default:
      throw new LogbridgeError('LOGBRIDGE_ERR_INVALID_CONFIG',
        `format must be one of json, pretty, logfmt, otlp-json, auto (got ${JSON.stringify(String(format)).slice(0, 80)})`);
  }
}
