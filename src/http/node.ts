import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequestCore, type RequestContextOptions } from './core.ts';
import { fromIncomingMessage, trackNodeResponse } from './node-bridge.ts';

/**
 * `logbridge/node`: request context for a plain node:http server.
 *
 * ```ts
 * import { requestContext } from 'logbridge/node';
 * http.createServer(requestContext((req, res) => { log.info('hello'); res.end('ok'); }));
 * ```
 */

export type { RequestContextOptions, AccessLogOptions, CanonicalLineOptions } from './core.ts';

/** A node:http request listener. */
export type NodeHandler<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse> =
  (req: Req, res: Res) => unknown;

/**
 * Wraps a node:http request listener so the whole request — the handler and
 * everything it starts — runs in its request context: the request ID (from
 * `x-request-id` when valid, else a new one, echoed on the response), the
 * caller's trace, and the access-log record when asked. The route for the
 * span and access log can be given with `setRequestAttributes({ 'http.route': ... })`.
 * Throws a TypeError at once for invalid options; never per request.
 */
export function requestContext<Req extends IncomingMessage, Res extends ServerResponse>(
  handler: NodeHandler<Req, Res>, options?: RequestContextOptions): NodeHandler<Req, Res> {
  const core = createRequestCore(options);
  return function requestContextListener(req, res) {
    const scope = core.begin(fromIncomingMessage(req));
    trackNodeResponse(scope, res);
    return scope.run(() => handler(req, res));
  };
}
