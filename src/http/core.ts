import { AsyncResource } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import {
  context as otelContext, createTraceState, propagation, SpanStatusCode, trace,
  type Context, type Span, type TextMapGetter,
} from '@opentelemetry/api';
import type { Attributes } from '../core/record.ts';
import { withRequestContext, getRequestContext } from '../core/context.ts';
import { generateRequestId, isValidRequestId } from './request-id.ts';
import { parseTraceparent, REQUEST_ID_HEADER, type RemoteParent } from './propagation.ts';
import { runtime } from '../core/runtime.ts';
import type { Logger } from '../core/logger.ts';
import { describeError, diagnose } from '../core/diagnostics.ts';
import { RequestTally, withRequestTally } from '../core/request-tally.ts';
import { startServerSpan } from './server-span.ts';
import { writeRequestLog } from './request-log.ts';
import type { IncomingRequest, RequestContextOptions, RequestOutcome } from './request-options.ts';

export type {
  AccessLogOptions, CanonicalLineOptions, IncomingRequest, RequestContextOptions, RequestOutcome,
} from './request-options.ts';
import { beginRequestBuffer, runWithRequestBuffer, type RequestBuffer } from '../core/debug-buffer.ts';

/**
 * The framework-neutral request core behind every HTTP adapter: it decides
 * the request ID, joins the caller's trace, binds both for the whole request
 * with AsyncLocalStorage `run()`, and on completion ends the server span and
 * writes the optional access-log record. Adapters only translate their
 * framework's request and response into {@link IncomingRequest} and calls.
 */

const getter: TextMapGetter<IncomingRequest> = {
  keys: () => ['traceparent', 'tracestate', 'baggage'],
  get: (carrier, key) => carrier.header(key),
};

/**
 * One request in flight: its ID, how it was chosen, and the scope to run the
 * handler in. Made by {@link RequestCore.begin}.
 */
export class RequestScope {
  /** The request ID every record of the request carries (`request.id`). */
  readonly requestId: string;
  /** Whether the caller sent an ID that was refused (and replaced). */
  readonly rejected: boolean;
  /** The header to echo the ID on, or `undefined` when echo is off. */
  readonly responseHeader: string | undefined;
  readonly #request: IncomingRequest;
  readonly #core: RequestCore;
  readonly #otel: Context;
  readonly #remote: RemoteParent | undefined;
  readonly #span: Span | undefined;
  readonly #started = performance.now();
  readonly #tally: RequestTally | undefined;
  #resource: AsyncResource | undefined;
  /** The request's debug buffer, when the feature is on: it lives until the response ends, not until `run` returns. */
  #buffer: RequestBuffer | undefined;
  #ended = false;

  /** @internal Made by {@link RequestCore.begin}. */
  constructor(core: RequestCore, request: IncomingRequest, requestId: string, rejected: boolean,
    otel: Context, remote: RemoteParent | undefined, span: Span | undefined) {
    this.#core = core;
    this.#request = request;
    this.requestId = requestId;
    this.rejected = rejected;
    this.responseHeader = core.responseHeader;
    this.#otel = otel;
    this.#remote = remote;
    this.#span = span;
    this.#tally = core.canonicalLine ? new RequestTally() : undefined;
  }

  /**
   * Runs `fn` — the rest of the request — with the request context bound by
   * AsyncLocalStorage `run()` (and the span, or the caller's remote parent,
   * as the active OpenTelemetry context). Returns what `fn` returns.
   */
  run<T>(fn: () => T): T {
    const attributes: Attributes | undefined = this.rejected ? { 'request.id.rejected': true } : undefined;
    const tally = this.#tally;
    const body = (): T => {
      // Made inside every store, so reenter() brings back the tally too.
      this.#resource = new AsyncResource('logbridge.request');
      return fn();
    };
    this.#buffer ??= beginRequestBuffer();
    return runWithRequestBuffer(this.#buffer, () => otelContext.with(this.#otel, () => withRequestContext(
      { requestId: this.requestId, trace: this.#remote, attributes },
      () => tally === undefined ? body() : withRequestTally(tally, body))));
  }

  /**
   * Tells the request's canonical line about an error the framework caught
   * (a thrown handler error), kept as its first error unless a record
   * reported one earlier. Does nothing without the canonical line. Never throws.
   */
  noteError(error: unknown): void {
    this.#tally?.noteError(error);
  }

  /**
   * Runs `fn` back inside the request's scope, from a callback that lost it
   * (a body parser's stream event, a response `close` listener). Before
   * {@link run} it simply calls `fn`.
   */
  reenter<T>(fn: () => T): T {
    return this.#resource === undefined ? fn() : this.#resource.runInAsyncScope(fn);
  }

  /**
   * Ends the request: ends the span this core started (status, route) and
   * writes the access-log record, inside the request's scope. A 5xx replays
   * the request's debug buffer first; otherwise the buffer is discarded.
   * Idempotent. Never throws.
   */
  end(outcome: RequestOutcome): void {
    if (this.#ended) return;
    this.#ended = true;
    try {
      if (outcome.statusCode >= 500) this.reenter(() => this.#buffer?.trigger());
      this.reenter(() => this.#finish(outcome));
    } catch (error) {
      diagnose('HTTP_END_FAILED', `ending a request failed (${describeError(error)})`);
    } finally {
      this.#buffer?.end();
    }
  }

  #finish(outcome: RequestOutcome): void {
    const route = outcome.route !== undefined && outcome.route !== '' ? outcome.route
      : routeFromContext();
    const seconds = (performance.now() - this.#started) / 1000;
    const span = this.#span;
    if (span !== undefined) {
      span.setAttribute('http.response.status_code', outcome.statusCode);
      if (route !== undefined) {
        span.setAttribute('http.route', route);
        span.updateName(`${this.#request.method} ${route}`);
      }
      if (outcome.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      if (outcome.aborted === true) span.setAttribute('error.type', 'aborted');
      span.end();
    }
    const log = this.#core.accessLogger;
    if (log !== undefined) writeRequestLog(log, { request: this.#request, outcome, route, seconds, tally: this.#tally });
  }
}

function routeFromContext(): string | undefined {
  const value = getRequestContext()?.attributes?.['http.route'];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The configured core: adapters make one per app (per middleware instance)
 * and call {@link begin} for each request. Options are checked once, here;
 * an invalid one throws a TypeError.
 */
export class RequestCore {
  readonly #headers: readonly string[];
  readonly #generate: () => string;
  readonly #isValid: (value: string) => boolean;
  readonly #traceIdAsRequestId: boolean;
  readonly #traceparent: boolean;
  readonly #span: boolean;
  /** @internal */
  readonly responseHeader: string | undefined;
  /** @internal The logger of the access log or canonical line. */
  readonly accessLogger: Logger | undefined;
  /** @internal Whether the request-log record is the canonical line. */
  readonly canonicalLine: boolean;

  constructor(options: RequestContextOptions = {}) {
    const headers = (options.headers ?? [REQUEST_ID_HEADER]).map((h) => String(h).toLowerCase());
    if (headers.length === 0 || headers.some((h) => !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(h))) {
      throw new TypeError('logbridge: options.headers must be a non-empty list of header names');
    }
    this.#headers = headers;
    this.#generate = options.generateId ?? generateRequestId;
    this.#isValid = options.isValidId ?? isValidRequestId;
    this.#traceIdAsRequestId = options.traceIdAsRequestId ?? false;
    this.#traceparent = options.traceparent ?? true;
    this.#span = options.span ?? true;
    this.responseHeader = options.responseHeader === false ? undefined
      : (options.responseHeader ?? headers[0]!).toLowerCase();
    const canonical = options.canonicalLine;
    this.canonicalLine = canonical !== undefined && canonical !== false;
    this.accessLogger = toLogger(this.canonicalLine && typeof canonical === 'object' && canonical.logger !== undefined
      ? canonical : options.accessLog ?? (this.canonicalLine ? true : undefined));
  }

  /**
   * Starts a request: chooses its ID (a valid incoming one, else a new one),
   * joins the caller's trace and, when a tracing SDK is running, starts the
   * server span or tags the active one with `request.id`. Call
   * {@link RequestScope.run} with the rest of the request. Never throws on
   * any header content.
   */
  begin(request: IncomingRequest): RequestScope {
    const active = otelContext.active();
    let otel = active;
    let remote: RemoteParent | undefined;
    let span: Span | undefined;
    const current = trace.getSpan(active);
    if (current !== undefined && !current.spanContext().isRemote && trace.isSpanContextValid(current.spanContext())) {
      span = undefined; // instrumentation owns it; we only tag it below
    } else {
      if (this.#traceparent) {
        remote = parseTraceparent(request.header('traceparent'), request.header('tracestate'));
        otel = this.#extract(active, request, remote);
      }
      if (this.#span) span = startServerSpan(request, otel);
      if (span !== undefined) otel = trace.setSpan(otel, span);
    }
    const { id, rejected } = this.#chooseId(request, span ?? current, remote);
    const tagged = span ?? current;
    if (tagged !== undefined && tagged.isRecording()) {
      tagged.setAttribute('request.id', id);
      if (rejected) tagged.setAttribute('request.id.rejected', true);
    }
    return new RequestScope(this, request, id, rejected, otel, remote, span);
  }

  #extract(active: Context, request: IncomingRequest, remote: RemoteParent | undefined): Context {
    let extracted = active;
    try {
      extracted = propagation.extract(active, request, getter);
    } catch {
      // a faulty propagator: fall back on our own parse
    }
    if (remote === undefined || trace.getSpanContext(extracted) !== undefined) return extracted;
    return trace.setSpanContext(extracted, {
      traceId: remote.traceId,
      spanId: remote.spanId,
      traceFlags: remote.traceFlags,
      isRemote: true,
      traceState: remote.traceState === undefined ? undefined : createTraceState(remote.traceState),
    });
  }

  #chooseId(request: IncomingRequest, span: Span | undefined, remote: RemoteParent | undefined):
    { id: string; rejected: boolean } {
    let rejected = false;
    for (const name of this.#headers) {
      const value = request.header(name);
      if (value === undefined) continue;
      const single = Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
      if (typeof single === 'string' && this.#isValid(single)) return { id: single, rejected: false };
      rejected = true;
    }
    if (this.#traceIdAsRequestId) {
      const sc = span?.spanContext();
      const traceId = sc !== undefined && trace.isSpanContextValid(sc) ? sc.traceId : remote?.traceId;
      if (traceId !== undefined) return { id: traceId, rejected };
    }
    return { id: this.#generate(), rejected };
  }
}

/** The request-log logger an option asks for: `http.server` unless named or given. */
function toLogger(option: boolean | { readonly logger?: Logger | string } | undefined): Logger | undefined {
  if (option === undefined || option === false) return undefined;
  if (typeof option === 'object' && typeof option.logger === 'object') return option.logger;
  return runtime.getLogger(typeof option === 'object' && typeof option.logger === 'string' ? option.logger : 'http.server');
}

/**
 * Creates the core for one adapter instance; throws a TypeError for invalid
 * options (at setup, never per request).
 */
export function createRequestCore(options?: RequestContextOptions): RequestCore {
  return new RequestCore(options);
}
