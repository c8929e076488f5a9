import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { createRequestCore, type RequestContextOptions, type RequestScope } from './core.ts';
import { fromIncomingMessage, trackNodeResponse } from './node-bridge.ts';

/**
 * `logbridge/fastify`: request context plugin for Fastify 5.
 *
 * ```ts
 * import { requestContext } from 'logbridge/fastify';
 * await app.register(requestContext, { accessLog: true });
 * ```
 */

export type { RequestContextOptions, AccessLogOptions, CanonicalLineOptions } from './core.ts';

/**
 * Fastify plugin binding the request context for the whole request
 * lifecycle, on every route of the instance it is registered on (it is not
 * encapsulated), from its `onRequest` hook. The request ID comes from `x-request-id` when valid
 * (else a new one) and is echoed on the response; the route for the span
 * and access log is `request.routeOptions.url`. Throws a TypeError at
 * registration for invalid options.
 */
export const requestContext: FastifyPluginCallback<RequestContextOptions> = Object.assign(
  function logbridgeRequestContext(app: FastifyInstance, options: RequestContextOptions, done: (error?: Error) => void): void {
    const core = createRequestCore(pickOptions(options));
    const scopes = new WeakMap<FastifyRequest, RequestScope>();
    app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, next: HookHandlerDoneFunction) => {
      const scope = core.begin(fromIncomingMessage(request.raw));
      if (core.canonicalLine) scopes.set(request, scope);
      trackNodeResponse(scope, reply.raw, () => request.routeOptions.url);
      // Fastify carries the async context on through body parsing itself
      // (an AsyncResource per request), so binding it here covers the whole lifecycle.
      scope.run(() => next());
    });
    // A handler's error, for the canonical line's first error (Fastify answers it itself).
    if (core.canonicalLine) {
      app.addHook('onError', (request: FastifyRequest, _reply: FastifyReply, error: unknown, next: () => void) => {
        scopes.get(request)?.noteError(error);
        next();
      });
    }
    done();
  },
  { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'logbridge-request-context' },
);

// Fastify passes its own registration options (prefix, logLevel...) along with ours.
function pickOptions(options: RequestContextOptions): RequestContextOptions {
  const { headers, responseHeader, generateId, isValidId, traceIdAsRequestId, traceparent, span, accessLog, canonicalLine } = options;
  return { headers, responseHeader, generateId, isValidId, traceIdAsRequestId, traceparent, span, accessLog, canonicalLine };
}
