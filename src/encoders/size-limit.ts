import type { Encoder } from '../core/sink.ts';
import type { Limits } from '../values/limits.ts';
import { shrinkRecord } from './record-size.ts';

/**
 * Wraps an encoder so its lines respect `limits.recordSize`, as the JSON
 * encoder's do: a line that comes out longer is encoded again from a
 * cut-down copy of the record, marked `logbridge.truncated` (see
 * `internal/record-size.ts`). Without a finite limit, returns `encode`.
 */
export function limitRecordSize(encode: Encoder, limits: Limits): Encoder {
  const size = limits.recordSize;
  if (size === undefined || !Number.isFinite(size)) return encode;
  return function encodeLimited(record) {
    const line = encode(record);
    if (line.length <= size) return line;
    const fitted = encode(shrinkRecord(record, limits, line.length - 1));
    // Escapes can grow text up to 6×: shrink harder when the first cut was not enough.
    return fitted.length <= size ? fitted : encode(shrinkRecord(record, limits, line.length - 1, 6));
  };
}
