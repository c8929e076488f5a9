/**
 * Limits that keep one huge or hostile value from hurting the process. The
 * first two are the OpenTelemetry log record limits
 * (`OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT`, `..._VALUE_LENGTH_LIMIT`).
 */
export interface Limits {
  /** Most attributes on one record; the rest are dropped and counted. OTel default 128. */
  readonly attributeCount: number;
  /** Longest string value (UTF-16 units), in attributes and nested values; longer ones are cut. */
  readonly valueLength: number;
  /** Deepest nesting of objects and arrays; deeper values become `"[Object]"` / `"[Array]"`. */
  readonly depth: number;
  /** Most entries of one array, Map, Set or object; the rest are left out. */
  readonly collectionEntries: number;
  /**
   * Longest encoded record, in characters (`LOGBRIDGE_RECORD_SIZE_LIMIT`). A
   * bigger record keeps its fields and as many attributes as fit, with
   * message and stack cut, and says so in `logbridge.truncated`. Default 256 Ki.
   */
  readonly recordSize?: number;
}

/** Limits used when nothing is configured. */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  attributeCount: 128,
  valueLength: 16_384,
  depth: 8,
  collectionEntries: 1000,
  recordSize: 262_144,
});
