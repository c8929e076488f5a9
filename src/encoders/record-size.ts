import type { LogRecord } from '../core/record.ts';
import type { Limits } from '../values/limits.ts';
import { recordAttributes, TRUNCATED_KEY } from '../core/attributes.ts';
import { jsonValue } from '../values/json.ts';
import { truncate } from '../values/truncate.ts';

/**
 * The total record size limit (`Limits.recordSize`). An encoder that finds
 * its line longer than the limit encodes this smaller stand-in instead: the
 * record's fields stay, the message gets at most a quarter of the budget and
 * the stack trace another quarter, and attributes are kept in precedence
 * order while they fit in the rest. The copy's `truncated` field (written as
 * `logbridge.truncated`) says what was cut, so the loss is never silent; a
 * user attribute of that name is an ordinary, renamed attribute.
 */

/** The key that marks a record cut down to the size limit (the encoders write {@link LogRecord.truncated} under it). */
export { TRUNCATED_KEY };

/**
 * A copy of `record` that encodes to about `limits.recordSize` characters or
 * fewer; `escapeFactor` shrinks text further for strings that grow when
 * escaped. Never throws.
 */
export function shrinkRecord(record: LogRecord, limits: Limits, encodedSize: number, escapeFactor = 1): LogRecord {
  const budget = limits.recordSize ?? Infinity;
  const quarter = Math.max(64, Math.floor(budget / 4 / escapeFactor));
  const merged = recordAttributes(record);
  const keys = Object.keys(merged);
  const attributes: Record<string, unknown> = Object.create(null);
  let left = Math.floor(budget / 2) - 200;
  let dropped = 0;
  for (const key of keys) {
    const text = jsonValue(merged[key], limits);
    const size = key.length + 4 + (text?.length ?? 0);
    if (text === undefined || size > left) {
      if (text !== undefined) dropped++;
      continue;
    }
    left -= size;
    attributes[key] = merged[key];
  }
  const truncated = `record of ${encodedSize} chars exceeded the ${budget}-char limit; ` +
    `${dropped} attribute${dropped === 1 ? '' : 's'} dropped, long text cut`;
  const exception = record.exception === undefined ? undefined : {
    type: truncate(record.exception.type, 256),
    message: truncate(record.exception.message, Math.floor(quarter / 2)),
    stacktrace: record.exception.stacktrace === undefined ? undefined : truncate(record.exception.stacktrace, quarter),
  };
  return {
    ...record,
    body: truncate(record.body, quarter),
    eventName: record.eventName === undefined ? undefined : truncate(record.eventName, 256),
    bindings: undefined,
    contextAttributes: undefined,
    attributes,
    exception,
    truncated,
  };
}
