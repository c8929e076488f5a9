import type { Context, MiddlewareHandler, Next } from 'hono';
import { routePath } from 'hono/route';
import { createRequestCore, type IncomingRequest, type RequestContextOptions } from './core.ts';

/**
 * `logbridge/hono`: request context middleware for Hono 4.
 *
 * ```ts
 * import { requestContext } from 'logbridge/hono';
 * app.use(requestContext({ accessLog: true }));
 * ```
 */

export type { RequestContextOptions, AccessLogOptions, CanonicalLineOptions } from './core.ts';

/**
 * Hono middleware binding the request context for everything after it:
 * register it first. The request ID comes from `x-request-id` when valid
 * (else a new one) and is echoed on the response; the span and the access
 * log end when the handler returns its response (for a streamed body, that
 * is before the body is sent). Needs AsyncLocalStorage (Node, Bun, Deno,
 * workerd with nodejs_compat). Throws a TypeError at once for invalid
 * options; never per request.
 */
export function requestContext(options?: RequestContextOptions): MiddlewareHandler {
  const core = createRequestCore(options);
  return async function requestContextMiddleware(c: Context, next: Next): Promise<void> {
    const scope = core.begin(toIncoming(c));
    let status = 500;
    try {
      await scope.run(() => next());
      status = c.res.status;
      // Hono's onError answered a thrown error: its status stands, the error is the line's first.
      if (c.error !== undefined) scope.noteError(c.error);
    } finally {
      if (scope.responseHeader !== undefined && c.res.headers.get(scope.responseHeader) === null) {
        try {
          c.header(scope.responseHeader, scope.requestId);
        } catch {
          // an unusual Response whose headers cannot be set: skip the echo
        }
      }
      // @hono/node-server aborts the request's signal when the client goes away before the response is sent.
      const aborted = c.req.raw.signal?.aborted === true;
      scope.end({ statusCode: status, route: routeOf(c), aborted, responseStarted: !aborted });
    }
  };
}

function toIncoming(c: Context): IncomingRequest {
  return {
    method: c.req.method,
    path: c.req.path,
    scheme: schemeOf(c.req.url),
    header: (name) => c.req.raw.headers.get(name) ?? undefined,
  };
}

function schemeOf(url: string): string | undefined {
  const colon = url.indexOf(':');
  return colon > 0 ? url.slice(0, colon) : undefined;
}

function routeOf(c: Context): string | undefined {
  try {
    const path = routePath(c, -1);
    return path === '' || path === '*' || path === '/*' ? undefined : path;
  } catch {
    return undefined;
  }
}
