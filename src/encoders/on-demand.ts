import type { Encoder } from '../core/sink.ts';
import { loadOnDemand } from '../core/on-demand.ts';
import type { PrettyEncoderOptions } from './pretty.ts';
import type { LogfmtEncoderOptions } from './logfmt.ts';
import type { OtlpJsonEncoderOptions } from './otlp-json.ts';

/**
 * The line encoders other than JSON, loaded the first time one is made
 * (core/on-demand.ts): the default stdout path writes JSON and never loads
 * them, nor the OTel mapping that `otlp-json` pulls in.
 */

export type { PrettyEncoderOptions, LogfmtEncoderOptions, OtlpJsonEncoderOptions };

let pretty: typeof import('./pretty.ts') | undefined;
let logfmt: typeof import('./logfmt.ts') | undefined;
let otlpJson: typeof import('./otlp-json.ts') | undefined;

/**
 * Creates the pretty encoder (for humans: colours on a TTY unless
 * `NO_COLOR`, control characters escaped). The returned function never
 * throws on any record content.
 */
export function createPrettyEncoder(options: PrettyEncoderOptions = {}): Encoder {
  pretty ??= loadOnDemand<typeof import('./pretty.ts')>('encoders/pretty.ts');
  return pretty.createPrettyEncoder(options);
}

/** Creates the logfmt encoder. The returned function never throws on any record content. */
export function createLogfmtEncoder(options: LogfmtEncoderOptions = {}): Encoder {
  logfmt ??= loadOnDemand<typeof import('./logfmt.ts')>('encoders/logfmt.ts');
  return logfmt.createLogfmtEncoder(options);
}

/**
 * Creates the OTLP/JSON encoder: each line a valid OTLP/JSON
 * ExportLogsServiceRequest. The returned function never throws on any
 * record content.
 */
export function createOtlpJsonEncoder(options: OtlpJsonEncoderOptions = {}): Encoder {
  otlpJson ??= loadOnDemand<typeof import('./otlp-json.ts')>('encoders/otlp-json.ts');
  return otlpJson.createOtlpJsonEncoder(options);
}
