import type { Attributes, Bindings, ExceptionInfo, LogRecord } from './record.ts';
import { SEVERITY, SEVERITY_TEXT, type LevelName } from './levels.ts';
import { getRequestContext } from './context.ts';
import { activeTraceContext } from './trace-context.ts';
import { now } from './clock.ts';
import { describeError, diagnose } from './diagnostics.ts';
import { safeString } from '../values/json.ts';
import { isError, toExceptionInfo, type ExceptionOptions } from '../values/exception.ts';

/** Options of an event record. */
export interface EventOptions {
  /** Level of the event record (default `info`). */
  readonly level?: LevelName;
  /** A human-readable message (the record body); empty by default. */
  readonly message?: string;
}

/** Options of {@link Logger.expected}. */
export interface ExpectedErrorOptions {
  /** Level of the record: `warn` by default; `error` when the caller wants it counted as one. */
  readonly level?: LevelName;
  /** Keep `exception.stacktrace` (default false: an expected error's stack says little). */
  readonly stack?: boolean;
}

/**
 * A named logger. Every level method takes one of these forms:
 *
 * - `log.info(message, attributes?)`
 * - `log.error(message, error, attributes?)` — `error` may be any thrown value
 * - `log.error(error, attributes?)` — the error's message becomes the message
 *
 * A second argument that is a plain object is attributes; anything else
 * (an Error, a thrown string, a class instance) is the exception. Methods
 * never throw and never block; on a disabled level they return at once,
 * before reading any argument or context.
 */
/** What a logger needs of the runtime behind it (the Runtime, in runtime.ts). */
export interface LogEmitter {
  /** Hands a record to the pipeline. */
  emit(record: LogRecord): void;
  /** Merges a child's attributes over its parent's bindings. */
  bind(parent: Bindings | undefined, attributes: Attributes): Bindings;
}

export class Logger {
  /** The dotted name; the OpenTelemetry instrumentation scope of its records. */
  readonly name: string;
  readonly #level: LevelState;
  readonly #runtime: LogEmitter;
  readonly #bindings: Bindings | undefined;

  /** @internal Loggers come from `getLogger()` and `child()`. */
  constructor(name: string, level: LevelState, runtime: LogEmitter, bindings?: Bindings) {
    this.name = name;
    this.#level = level;
    this.#runtime = runtime;
    this.#bindings = bindings;
  }

  /** Logs at TRACE (severity 1). */
  trace(message: unknown, errorOrAttributes?: unknown, attributes?: Attributes): void {
    if (this.#level.threshold > 1) return;
    this.#log(1, 'TRACE', message, errorOrAttributes, attributes);
  }

  /** Logs at DEBUG (severity 5). */
  debug(message: unknown, errorOrAttributes?: unknown, attributes?: Attributes): void {
    if (this.#level.threshold > 5) return;
    this.#log(5, 'DEBUG', message, errorOrAttributes, attributes);
  }

  /** Logs at INFO (severity 9). */
  info(message: unknown, errorOrAttributes?: unknown, attributes?: Attributes): void {
    if (this.#level.threshold > 9) return;
    this.#log(9, 'INFO', message, errorOrAttributes, attributes);
  }

  /** Logs at WARN (severity 13). */
  warn(message: unknown, errorOrAttributes?: unknown, attributes?: Attributes): void {
    if (this.#level.threshold > 13) return;
    this.#log(13, 'WARN', message, errorOrAttributes, attributes);
  }

  /** Logs at ERROR (severity 17). */
  error(message: unknown, errorOrAttributes?: unknown, attributes?: Attributes): void {
    if (this.#level.threshold > 17) return;
    this.#log(17, 'ERROR', message, errorOrAttributes, attributes);
  }

  /** Logs at FATAL (severity 21). Written through to stdout synchronously. */
  fatal(message: unknown, errorOrAttributes?: unknown, attributes?: Attributes): void {
    if (this.#level.threshold > 21) return;
    this.#log(21, 'FATAL', message, errorOrAttributes, attributes);
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

  /**
   * A logger with the same name whose records all carry `attributes`;
   * children of children merge, later bindings winning. The bindings are
   * normalised and serialised once, here, not per call.
   */
  child(attributes: Attributes): Logger {
    return new this.#level.loggerClass(this.name, this.#level, this.#runtime, this.#runtime.bind(this.#bindings, attributes));
  }

  /** The attributes bound with `child()`. */
  get bindings(): Attributes {
    return this.#bindings?.attributes ?? {};
  }

  #log(severity: number, text: string, a: unknown, b: unknown, c: Attributes | undefined,
    exceptionOptions?: ExceptionOptions): void {
    try {
      let body: string;
      let exception: ExceptionInfo | undefined;
      let attributes: Attributes | undefined = c;
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
        else if (typeof b === 'string' && c !== undefined) attributes = c;
      } else if (isAttributes(a)) {
        // pino-style object first: log.info({ orderId }, 'message')
        attributes = a;
        body = typeof b === 'string' ? b : '';
      } else {
        body = safeString(() => String(a));
        if (isAttributes(b)) attributes = b;
      }
      this.#runtime.emit(this.#record(severity, text, body, undefined, attributes, exception));
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

/** The level of an event record: `options.level` when it names a level, else `info`. Never throws. */
function eventLevel(options: EventOptions | undefined): LevelName {
  try {
    const level: unknown = options?.level;
    return typeof level === 'string' && Object.hasOwn(SEVERITY, level) ? level as LevelName : 'info';
  } catch {
    return 'info';
  }
}

const LEVEL_METHODS = [['trace', 1], ['debug', 5], ['info', 9], ['warn', 13], ['error', 17], ['fatal', 21]] as const;

/** What a disabled level method is: V8 inlines it and drops the call's arguments unbuilt. */
function disabled(): void {}

/**
 * The threshold shared by every logger of one name; the level rules update
 * it in place. Loggers of the name are instances of `loggerClass`, a
 * subclass of {@link Logger} made for the name, whose prototype holds a
 * no-op for each disabled level method, swapped when the threshold changes
 * (so existing loggers and children follow at once). Measured: a disabled
 * `debug('msg', { a })` costs ~0.4 ns this way, against ~3 ns for a
 * threshold check, which makes V8 build the attribute object anyway.
 */
export class LevelState {
  #threshold: number;
  /** The class every logger of this name is made from. */
  readonly loggerClass: typeof Logger;

  constructor(threshold: number) {
    this.loggerClass = class extends Logger {};
    Object.defineProperty(this.loggerClass, 'name', { value: 'Logger' });
    this.#threshold = threshold;
    this.#swap();
  }

  get threshold(): number {
    return this.#threshold;
  }

  set threshold(value: number) {
    if (value === this.#threshold) return;
    this.#threshold = value;
    this.#swap();
  }

  #swap(): void {
    const proto = this.loggerClass.prototype as unknown as Record<string, unknown>;
    const base = Logger.prototype as unknown as Record<string, unknown>;
    for (const [method, severity] of LEVEL_METHODS) proto[method] = this.#threshold > severity ? disabled : base[method];
  }
}

/** A plain object (`{...}` or `Object.create(null)`): taken as attributes, not as an exception. */
function isAttributes(value: unknown): value is Attributes {
  if (typeof value !== 'object' || value === null) return false;
  let proto: unknown;
  try {
    proto = Object.getPrototypeOf(value);
  } catch {
    return false; // a revoked or hostile proxy: recorded as the exception, so the record is still made
  }
  return proto === Object.prototype || proto === null;
}
