import { AsyncLocalStorage } from 'node:async_hooks';
import type { Attributes, TraceContext } from './record.ts';

/**
 * The request context: what every record made while handling one unit of
 * work carries — its request ID, attributes bound for the request (user,
 * tenant, route) and, without a tracing SDK, the caller's remote trace
 * context. Bound with AsyncLocalStorage `run()`, never `enterWith()`, so it
 * follows awaits, timers, emitters and streams, and concurrent requests never
 * see each other's.
 */
export interface RequestContext {
  /** The request ID, as the `request.id` attribute of every record. */
  readonly requestId?: string | undefined;
  /** Attributes added to every record of the request (the call's own attributes win). */
  readonly attributes?: Attributes | undefined;
  /** A remote parent (from `traceparent`) used when no span is active. */
  readonly trace?: TraceContext | undefined;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The request context of the current async execution, if any. */
export function getRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` with `context` as the request context; inner contexts inherit
 * the outer one's fields they do not set. Returns what `fn` returns.
 */
export function withRequestContext<T>(context: RequestContext, fn: () => T): T {
  const outer = storage.getStore();
  const merged: RequestContext = outer === undefined ? context : {
    requestId: context.requestId ?? outer.requestId,
    trace: context.trace ?? outer.trace,
    attributes: outer.attributes === undefined ? context.attributes
      : context.attributes === undefined ? outer.attributes
      : { ...outer.attributes, ...context.attributes },
  };
  return storage.run(merged, fn);
}

/** The current request ID, if the code runs inside a request context. */
export function getRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
