import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { getRequestContext } from '../core/context.ts';
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
 * The `http.route` (and access-log message route) of a request no Express
 * route matched — a 404, or a response sent by plain middleware. A constant,
 * so unmatched paths never become unbounded label values.
 */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Express middleware binding the request context for everything after it:
 * register it first. The request ID comes from `x-request-id` when valid
 * (else a new one) and is echoed on the response, also on error responses.
 * The access log and span get the full template of the route that matched
 * (mount prefixes included, also when a handler threw and an error handler
 * answered), a route set with `setRequestAttributes({ 'http.route': … })`,
 * or else {@link UNMATCHED_ROUTE} — never the raw path.
 * Throws a TypeError at once for invalid options; never per request.
 */
export function requestContext(options?: RequestContextOptions): RequestHandler {
  const core = createRequestCore(options);
  return function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
    const scope = core.begin(fromIncomingMessage(req, req.originalUrl));
    scopes.set(req, scope);
    const matched = trackMatchedRoute(req);
    trackNodeResponse(scope, res, () => matched.route
      ?? scope.reenter(() => (hasContextRoute() ? undefined : UNMATCHED_ROUTE)));
    scope.run(() => next());
  };
}

/** Each request's scope, for {@link captureErrors}. */
const scopes = new WeakMap<Request, { noteError(error: unknown): void }>();

/**
 * Express error middleware that tells the request's canonical line about a
 * handler's error (`logbridge.first_error.*`, `error.type`), then passes
 * the error on unchanged: Express's final handler tells no middleware what
 * it caught. Register it after the routes, before your own error handlers:
 *
 * ```ts
 * app.use(requestContext({ canonicalLine: true }));
 * // … routes …
 * app.use(captureErrors());
 * ```
 */
export function captureErrors(): ErrorRequestHandler {
  return function captureErrorsMiddleware(error: unknown, req: Request, _res: Response, next: NextFunction): void {
    scopes.get(req)?.noteError(error);
    next(error);
  };
}

/**
 * Records `req.baseUrl + route.path` at the moment Express assigns
 * `req.route`. Reading both at the response's end is wrong: by then the
 * router has restored `req.baseUrl` (to `undefined` after the default error
 * handler, to the app's `''` inside an app-level error handler).
 */
function trackMatchedRoute(req: Request): { route: string | undefined } {
  const matched: { route: string | undefined } = { route: undefined };
  let current: unknown = req.route;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (value: unknown) => {
      current = value;
      const template = templateOf(value);
      if (template !== undefined) matched.route = (typeof req.baseUrl === 'string' ? req.baseUrl : '') + template;
    },
  });
  return matched;
}

function templateOf(route: unknown): string | undefined {
  const path: unknown = (route as { path?: unknown } | null | undefined)?.path;
  if (typeof path === 'string') return path;
  // Arrays and RegExps are templates too, bounded by the app's code.
  if (path instanceof RegExp || Array.isArray(path)) return String(path);
  return undefined;
}

function hasContextRoute(): boolean {
  return typeof getRequestContext()?.attributes?.['http.route'] === 'string';
}
