import type { Attributes, Bindings, ExceptionInfo, LogRecord } from './record.ts';
import { SEVERITY, SEVERITY_TEXT, toSeverityThreshold, toThresholdName, type LevelName, type Threshold } from './levels.ts';
import { LogbridgeError } from './errors.ts';
import { LevelState } from './level-state.ts';
import { getRequestContext } from './context.ts';
import { activeTraceContext } from './trace-context.ts';
import { now } from './clock.ts';
import { describeError, diagnose } from './diagnostics.ts';
import { safeString } from '../values/safe.ts';
import { isError, toExceptionInfo, type ExceptionOptions } from '../values/exception.ts';
import { eventLevel, hasFormatTokens, isAttributes, toPlainCall } from './call-arguments.ts';
import type { MessageArguments, Thrown } from './log-arguments.ts';
import type { EventOptions, ExpectedErrorOptions, ChildOptions, LogEmitter } from './logger-options.ts';

export type { EventOptions, ExpectedErrorOptions, ChildOptions, LogEmitter } from './logger-options.ts';

/**
 * A named logger. Every level method takes one of these forms:
 *
 * - `log.info(message, attributes?)`
 * - `log.error(message, error, attributes?)` — `error` may be any thrown value
 * - `log.error(error, attributes?)` — the error's message becomes the message
 * - `log.info('user %s paid %d', id, n, attributes?)` — printf-style, with
 *   `util.format` semantics, only when the message holds a token
 * - pino's `log.info({ attributes }, 'message')` and `log.error(error, 'message')`
 *
 * A second argument that is a plain object is attributes; anything else
 * (an Error, a thrown string, a class instance) is the exception. The types
 * reject calls that would do something else than they read (`log.info(42)`,
 * `log.info('hello', name)`). Methods never throw and never block; on a
 * disabled level they return at once, before reading any argument or context.
 */
export class Logger {
  /** The dotted name; the OpenTelemetry instrumentation scope of its records. */
  readonly name: string;
  #level: LoggerLevel;
  /** Whether #level is this logger's own (set through `level` or `child(…, { level })`), not its name's. */
  #ownsLevel: boolean;
  readonly #runtime: LogEmitter;
  readonly #bindings: Bindings | undefined;

  /** @internal Loggers come from `getLogger()` and `child()`. */
  constructor(name: string, level: LoggerLevel, runtime: LogEmitter, bindings?: Bindings, ownsLevel = false) {
    this.name = name;
    this.#level = level;
    this.#ownsLevel = ownsLevel;
    this.#runtime = runtime;
    this.#bindings = bindings;
  }

  /**
   * The logger's level: `'trace'` … `'fatal'`, or `'off'`. Assigning one
   * (pino's `log.level = 'debug'`; also `'silent'`, `'warning'`) sets the
   * level of this logger and of the children that share it (made from it,
   * after its first assignment, without a level of their own); from then on
   * the logger no longer follows the level rules of its name (`setLevel()`,
   * `LOGBRIDGE_LEVEL`); children made before keep following them. Throws a {@link LogbridgeError}
   * (`LOGBRIDGE_ERR_INVALID_LEVEL`) for a name that is not a level.
   */
  get level(): Threshold {
    return toThresholdName(this.#level.threshold);
  }

  /** Sets this logger's level; see the getter. Throws `LOGBRIDGE_ERR_INVALID_LEVEL` for a name that is not a level. */
  set level(value: string) {
    const threshold = typeof value === 'string' ? toSeverityThreshold(value) : undefined;
    if (threshold === undefined) {
      throw new LogbridgeError('LOGBRIDGE_ERR_INVALID_LEVEL', `not a level: ${safeString(() => String(value)).slice(0, 40)}`);
    }
    if (this.#ownsLevel) {
      this.#level.threshold = threshold;
      return;
    }
    // The level methods live on the state's class prototype (see LevelState); move this logger onto its own.
    const state = createLevelState(threshold);
    this.#level = state;
    this.#ownsLevel = true;
    Object.setPrototypeOf(this, state.loggerClass.prototype);
  }

  /** Logs at TRACE (severity 1). */
  trace<const M extends string, E = never>(message: M, ...rest: MessageArguments<M, E>): void;
  trace<E>(errorOrAttributes: Thrown<E>, message?: string | Attributes, ...rest: unknown[]): void;
  trace(a: unknown, b?: unknown, c?: unknown): void {
    if (this.#level.threshold > 1) return;
    // Only printf-style calls pass more than three arguments; the common path reads no `arguments` array.
    if (arguments.length > 3) this.#logMany(1, 'TRACE', Array.prototype.slice.call(arguments));
    else this.#log(1, 'TRACE', a, b, c);
  }

  /** Logs at DEBUG (severity 5). */
  debug<const M extends string, E = never>(message: M, ...rest: MessageArguments<M, E>): void;
  debug<E>(errorOrAttributes: Thrown<E>, message?: string | Attributes, ...rest: unknown[]): void;
  debug(a: unknown, b?: unknown, c?: unknown): void {
    if (this.#level.threshold > 5) return;
    // Only printf-style calls pass more than three arguments; the common path reads no `arguments` array.
    if (arguments.length > 3) this.#logMany(5, 'DEBUG', Array.prototype.slice.call(arguments));
    else this.#log(5, 'DEBUG', a, b, c);
  }

  /** Logs at INFO (severity 9). */
  info<const M extends string, E = never>(message: M, ...rest: MessageArguments<M, E>): void;
  info<E>(errorOrAttributes: Thrown<E>, message?: string | Attributes, ...rest: unknown[]): void;
  info(a: unknown, b?: unknown, c?: unknown): void {
    if (this.#level.threshold > 9) return;
    // Only printf-style calls pass more than three arguments; the common path reads no `arguments` array.
    if (arguments.length > 3) this.#logMany(9, 'INFO', Array.prototype.slice.call(arguments));
    else this.#log(9, 'INFO', a, b, c);
  }

  /** Logs at WARN (severity 13). */
  warn<const M extends string, E = never>(message: M, ...rest: MessageArguments<M, E>): void;
  warn<E>(errorOrAttributes: Thrown<E>, message?: string | Attributes, ...rest: unknown[]): void;
  warn(a: unknown, b?: unknown, c?: unknown): void {
    if (this.#level.threshold > 13) return;
    // Only printf-style calls pass more than three arguments; the common path reads no `arguments` array.
    if (arguments.length > 3) this.#logMany(13, 'WARN', Array.prototype.slice.call(arguments));
    else this.#log(13, 'WARN', a, b, c);
  }

  /** Logs at ERROR (severity 17). */
  error<const M extends string, E = never>(message: M, ...rest: MessageArguments<M, E>): void;
  error<E>(errorOrAttributes: Thrown<E>, message?: string | Attributes, ...rest: unknown[]): void;
  error(a: unknown, b?: unknown, c?: unknown): void {
    if (this.#level.threshold > 17) return;
    // Only printf-style calls pass more than three arguments; the common path reads no `arguments` array.
    if (arguments.length > 3) this.#logMany(17, 'ERROR', Array.prototype.slice.call(arguments));
    else this.#log(17, 'ERROR', a, b, c);
  }

  /** Logs at FATAL (severity 21). Written through to stdout synchronously. */
  fatal<const M extends string, E = never>(message: M, ...rest: MessageArguments<M, E>): void;
  fatal<E>(errorOrAttributes: Thrown<E>, message?: string | Attributes, ...rest: unknown[]): void;
  fatal(a: unknown, b?: unknown, c?: unknown): void {
    if (this.#level.threshold > 21) return;
    // Only printf-style calls pass more than three arguments; the common path reads no `arguments` array.
    if (arguments.length > 3) this.#logMany(21, 'FATAL', Array.prototype.slice.call(arguments));
    else this.#log(21, 'FATAL', a, b, c);
  }

  /**
   * Logs an expected error: one that is anticipated and handled as part of
   * normal operation (a validation failure, a 404 from a dependency, a
   * declined payment). `log.expected('payment declined', err, { orderId })`
   * makes a WARN record (or `options.level`) with `exception.type`,
   * `exception.message`, `exception.code` and the error's extra properties,
   * the attribute `exception.expected: true`, and no stack trace unless
   * `options.stack` is true. The error may also come alone:
   * `log.expected(err, { orderId })`. Never throws.
   */
  expected(message: unknown, error?: unknown, attributes?: Attributes, options?: ExpectedErrorOptions): void {
    try {
      const level = options?.level ?? 'warn';
      const severity = SEVERITY[level] ?? 13;
      if (this.#level.threshold > severity) return;
      this.#log(severity, SEVERITY_TEXT[level] ?? 'WARN', message, error, attributes,
        { stack: options?.stack === true, expected: true });
    } catch (failure) {
      diagnose('LOG_FAILED', `a log call failed (${describeError(failure)})`);
    }
  }

  /**
   * Logs an event: a record with an OpenTelemetry event name
   * (`log.event('user.login', { 'user.id': id })`), at `info` unless
   * `options.level` says otherwise.
   */
  event(name: string, attributes?: Attributes, options?: EventOptions): void {
    const level = eventLevel(options);
    const severity = SEVERITY[level];
    if (this.#level.threshold > severity) return;
    try {
      this.#runtime.emit(this.#record(severity, SEVERITY_TEXT[level], safeString(() => options?.message),
        safeString(() => name), attributes, undefined));
    } catch (error) {
      diagnose('LOG_FAILED', `a log call failed (${describeError(error)})`);
    }
  }

  /** Whether a record at `level` would be made (cheap; use it to guard costly arguments). */
  isEnabled(level: LevelName): boolean {
    return this.#level.threshold <= (SEVERITY[level] ?? Infinity);
  }

  /** pino's name for {@link isEnabled}. */
  isLevelEnabled(level: LevelName): boolean {
    return this.#level.threshold <= (SEVERITY[level] ?? Infinity);
  }

  /**
   * A logger with the same name whose records all carry `attributes`;
   * children of children merge, later bindings winning. The bindings are
   * normalised and serialised once, here, not per call. The child shares
   * this logger's level unless `options.level` gives it its own (pino's
   * `child(bindings, { level })`); an invalid level throws a
   * {@link LogbridgeError} (`LOGBRIDGE_ERR_INVALID_LEVEL`).
   */
  child(attributes: Attributes, options?: ChildOptions): Logger {
    const bindings = this.#runtime.bind(this.#bindings, attributes);
    const level = options?.level;
    if (level === undefined) return new this.#level.loggerClass(this.name, this.#level, this.#runtime, bindings);
    const threshold = toSeverityThreshold(String(level));
    if (threshold === undefined) throw new LogbridgeError('LOGBRIDGE_ERR_INVALID_LEVEL', `not a level: ${String(level).slice(0, 40)}`);
    const state = createLevelState(threshold);
    return new state.loggerClass(this.name, state, this.#runtime, bindings, true);
  }

  /**
   * Delivers every record logged so far, in every sink (all loggers share
   * the sinks, so this is the module's `flush()`); `callback`, pino's form,
   * is called once it settles. Never rejects.
   */
  flush(callback?: (error?: Error) => void): Promise<void> {
    const done = this.#runtime.flush();
    if (typeof callback === 'function') {
      void done.then(() => {
        try {
          callback();
        } catch (error) {
          diagnose('FLUSH_CALLBACK_FAILED', `a flush callback threw (${describeError(error)})`);
        }
      });
    }
    return done;
  }

  /** The attributes bound with `child()`. */
  get bindings(): Attributes {
    return this.#bindings?.attributes ?? {};
  }

  #log(severity: number, text: string, a: unknown, b: unknown, c: unknown,
    exceptionOptions?: ExceptionOptions, interpolate = true): void {
    try {
      if (interpolate && b !== undefined && hasFormatTokens(typeof a === 'string' ? a : c !== undefined ? b : undefined)) {
        this.#logMany(severity, text, c === undefined ? [a, b] : [a, b, c], exceptionOptions);
        return;
      }
      let body: string;
      let exception: ExceptionInfo | undefined;
      let attributes = c as Attributes | undefined;
      if (typeof a === 'string') {
        body = a;
        if (b === undefined) {
          // log.info(message) or log.info(message, undefined, attributes)
        } else if (c === undefined && isAttributes(b)) attributes = b;
        else exception = toExceptionInfo(b, exceptionOptions);
      } else if (isError(a)) {
        exception = toExceptionInfo(a, exceptionOptions);
        // pino's habit, log.error(err, 'message'): a string second is the message.
        body = typeof b === 'string' ? b : exception.message;
        if (isAttributes(b)) attributes = b;
        else if (typeof b !== 'string' || !isAttributes(c)) attributes = undefined;
      } else if (isAttributes(a)) {
        // pino-style object first: log.info({ orderId }, 'message')
        attributes = a;
        body = typeof b === 'string' ? b : '';
      } else {
        body = safeString(() => String(a));
        attributes = isAttributes(b) ? b : undefined;
      }
      this.#runtime.emit(this.#record(severity, text, body, undefined, attributes, exception));
    } catch (error) {
      diagnose('LOG_FAILED', `a log call failed (${describeError(error)})`);
    }
  }

  /** A printf-style call: see {@link toPlainCall}. */
  #logMany(severity: number, text: string, args: unknown[], exceptionOptions?: ExceptionOptions): void {
    try {
      const [a, b, c] = toPlainCall(args);
      this.#log(severity, text, a, b, c, exceptionOptions, false);
    } catch (error) {
      diagnose('LOG_FAILED', `a log call failed (${describeError(error)})`);
    }
  }

  #record(severity: number, text: string, body: string, eventName: string | undefined,
    attributes: Attributes | undefined, exception: ExceptionInfo | undefined): LogRecord {
    const context = getRequestContext();
    return {
      time: now(),
      severityNumber: severity,
      severityText: text,
      scope: this.name,
      body,
      eventName,
      bindings: this.#bindings,
      contextAttributes: context?.attributes,
      attributes,
      exception,
      requestId: context?.requestId,
      trace: activeTraceContext() ?? context?.trace,
    };
  }
}

/** The level state of loggers: its `loggerClass` is a subclass of {@link Logger}. */
export type LoggerLevel = LevelState<typeof Logger>;

/** A new level state at `threshold`, with its own subclass of {@link Logger}. */
export function createLevelState(threshold: number): LoggerLevel {
  const loggerClass = class extends Logger {};
  Object.defineProperty(loggerClass, 'name', { value: 'Logger' });
  return new LevelState(threshold, loggerClass, Logger.prototype);
}
