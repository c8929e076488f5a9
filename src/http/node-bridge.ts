import type { IncomingRequest, RequestScope } from './core.ts';

/**
 * What the node-based adapters (node:http, Express, Fastify, Koa) share:
 * the {@link IncomingRequest} view of an `IncomingMessage`, and response
 * tracking on a `ServerResponse`. Internal to the adapters.
 */

/** The response side the node-based adapters share (node:http `ServerResponse`). */
export interface NodeResponse {
  statusCode: number;
  readonly writableFinished: boolean;
  readonly headersSent: boolean;
  hasHeader(name: string): boolean;
  setHeader(name: string, value: string): unknown;
  writeHead: (...args: never[]) => unknown;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * Echoes the request ID on `res` when its headers are written (unless the
 * handler set that header itself) — at write time, so frameworks that clear
 * headers before an error response keep it — and ends `scope` when the
 * response closes. `route` is read at the end, after routing.
 */
export function trackNodeResponse(scope: RequestScope, res: NodeResponse, route?: () => string | undefined): void {
  const name = scope.responseHeader;
  if (name !== undefined) {
    const writeHead = res.writeHead as (...args: unknown[]) => unknown;
    res.writeHead = function writeHeadWithRequestId(this: NodeResponse, ...args: unknown[]) {
      try {
        if (!this.headersSent && !this.hasHeader(name) && !headerInArgs(args, name)) this.setHeader(name, scope.requestId);
      } catch {
        // headers already sent or the name refused: the response matters more than the echo
      }
      return writeHead.apply(this, args);
    } as NodeResponse['writeHead'];
  }
  res.once('close', () => {
    let routeName: string | undefined;
    try {
      routeName = route?.();
    } catch {
      routeName = undefined;
    }
    scope.end({ statusCode: res.statusCode, route: routeName, aborted: !res.writableFinished, responseStarted: res.headersSent });
  });
}

/** Whether `writeHead(status, [message], headers)` sets `name` itself. */
function headerInArgs(args: unknown[], name: string): boolean {
  const headers = args.find((a, i) => i > 0 && typeof a === 'object' && a !== null) as object | undefined;
  if (headers === undefined) return false;
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === name) return true;
    return false;
  }
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

/** The {@link IncomingRequest} view of a node:http `IncomingMessage` (used by the node-based adapters). */
export function fromIncomingMessage(req: {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly socket?: unknown;
}, url?: string): IncomingRequest {
  const raw = url ?? req.url ?? '/';
  const q = raw.indexOf('?');
  return {
    method: req.method ?? 'GET',
    path: q === -1 ? raw : raw.slice(0, q),
    // The connection's own scheme; X-Forwarded-Proto is not trusted here.
    scheme: (req.socket as { encrypted?: unknown } | undefined)?.encrypted === true ? 'https' : 'http',
    header: (name) => req.headers[name],
  };
}
