import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createRequestCore, type RequestContextOptions } from './core.ts';
import { fromIncomingMessage, trackNodeResponse } from './node-bridge.ts';

/**
 * `logbridge/express`: request context middleware for Express 5.
 *
 * ```ts
 * import { requestContext } from 'logbridge/express';
 * app.use(requestContext({ accessLog: true }));
 * ```
 */

export type { RequestContextOptions, AccessLogOptions, CanonicalLineOptions } from './core.ts';

/**
 * Express middleware binding the request context for everything after it:
 * register it first. The request ID comes from `x-request-id` when valid
 * (else a new one) and is echoed on the response, also on error responses;
 * the access log and span get the matched route (`req.baseUrl + req.route.path`).
 * Throws a TypeError at once for invalid options; never per request.
 */
export function requestContext(options?: RequestContextOptions): RequestHandler {
  const core = createRequestCore(options);
  return function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
    const scope = core.begin(fromIncomingMessage(req, req.originalUrl));
    trackNodeResponse(scope, res, () => routeOf(req));
    scope.run(() => next());
  };
}

function routeOf(req: Request): string | undefined {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? req.baseUrl + path : undefined;
}
