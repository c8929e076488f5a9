import type { Logger } from '../core/logger.ts';

/**
 * The options and request/outcome shapes of the HTTP core (src/http/core.ts),
 * shared by every adapter.
 */

/** Options shared by every adapter (`logbridge/express`, `/fastify`, `/koa`, `/hono`, `/node`). */
export interface RequestContextOptions {
  /** Incoming headers that may carry the request ID, tried in order (default `['x-request-id']`). */
  readonly headers?: readonly string[];
  /** Response header that echoes the ID (default: the first of `headers`); `false` turns the echo off. */
  readonly responseHeader?: string | false;
  /** Makes a new request ID (default {@link generateRequestId}: UUIDv7). */
  readonly generateId?: () => string;
  /** Decides whether an incoming ID is trusted (default {@link isValidRequestId}). */
  readonly isValidId?: (value: string) => boolean;
  /**
   * Without a usable incoming ID, use the trace ID as the request ID instead
   * of a new one (default `false`: a trace may span many requests to this
   * service, and the caller picks it; see docs/context-and-correlation.md).
   */
  readonly traceIdAsRequestId?: boolean;
  /** Join the caller's trace from an incoming `traceparent` (default `true`). */
  readonly traceparent?: boolean;
  /**
   * Start a SERVER span for the request when a tracing SDK is running and
   * no span is active yet (default `true`; HTTP instrumentation, when
   * present, has already started one and it is used instead).
   */
  readonly span?: boolean;
  /** One access-log record per request (default `false`). */
  readonly accessLog?: boolean | AccessLogOptions;
  /**
   * One canonical line per request instead of the access-log record: the
   * same `http.server.request` event widened with the request attributes,
   * the records per level, the first error and what the handler added with
   * `addRequestAttributes()`, written however the request ends
   * (docs/logs-and-traces.md). Default `false`.
   */
  readonly canonicalLine?: boolean | CanonicalLineOptions;
}

/** Options of the access-log record. */
export interface AccessLogOptions {
  /** The logger, or its name (default `http.server`). */
  readonly logger?: Logger | string;
}

/** What the core needs of an incoming request, whatever the framework. */
export interface IncomingRequest {
  /** The HTTP method (`GET`). */
  readonly method: string;
  /** The path without the query string (`url.path`). */
  readonly path: string;
  /** `http` or `https` (`url.scheme`), when known. */
  readonly scheme?: string | undefined;
  /** A header by lowercase name; repeated headers may come as an array. */
  header(name: string): string | string[] | undefined;
}

/** How a request ended, for the span and the access log. */
export interface RequestOutcome {
  /** The response status code. */
  readonly statusCode: number;
  /** The matched route template (`/users/:id`), when the framework knows it. */
  readonly route?: string | undefined;
  /** Set when the response never completed (client went away). */
  readonly aborted?: boolean;
  /** Whether the response's headers had gone out (an aborted request's status is reported only then). */
  readonly responseStarted?: boolean;
}

/** Options of the canonical line (`canonicalLine: true` takes the defaults). */
export interface CanonicalLineOptions {
  /** The logger, or its name (default: the access log's, else `http.server`). */
  readonly logger?: Logger | string;
}
