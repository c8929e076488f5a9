import type { Context, Middleware, Next } from 'koa';
import { createRequestCore, type RequestContextOptions } from './core.ts';
import { fromIncomingMessage, trackNodeResponse } from './node-bridge.ts';

/**
 * `logbridge/koa`: request context middleware for Koa 3.
 *
 * ```ts
 * import { requestContext } from 'logbridge/koa';
 * app.use(requestContext({ accessLog: true }));
 * ```
 */

export type { RequestContextOptions, AccessLogOptions, CanonicalLineOptions } from './core.ts';

/**
 * Koa middleware binding the request context for every middleware after it:
 * register it first. The request ID comes from `x-request-id` when valid
 * (else a new one) and is echoed on the response, error responses included;
 * the route is taken from `@koa/router` (`ctx._matchedRoute`) when present.
 * Throws a TypeError at once for invalid options; never per request.
 */
export function requestContext(options?: RequestContextOptions): Middleware {
  const core = createRequestCore(options);
  return function requestContextMiddleware(ctx: Context, next: Next): Promise<void> {
    const scope = core.begin(fromIncomingMessage(ctx.req, ctx.originalUrl));
    trackNodeResponse(scope, ctx.res, () => routeOf(ctx));
    return scope.run(() => next().catch((error: unknown) => {
      scope.noteError(error); // for the canonical line; Koa still answers the error
      throw error;
    }));
  };
}

function routeOf(ctx: Context): string | undefined {
  const route: unknown = (ctx as unknown as { _matchedRoute?: unknown })._matchedRoute;
  return typeof route === 'string' ? route : undefined;
}
