/** Stable codes of the errors logbridge throws (only at configuration time). */
export type LogbridgeErrorCode =
  | 'LOGBRIDGE_ERR_INVALID_CONFIG'
  | 'LOGBRIDGE_ERR_INVALID_LEVEL';

/**
 * Thrown for misuse and bad configuration given in code, never by a log
 * call. `code` is stable; match on it, not on the message.
 */
export class LogbridgeError extends Error {
  /** The stable error code. */
  readonly code: LogbridgeErrorCode;

  constructor(code: LogbridgeErrorCode, message: string) {
    super(message);
    this.name = 'LogbridgeError';
    this.code = code;
  }
}
