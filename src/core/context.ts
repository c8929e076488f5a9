import { AsyncLocalStorage } from 'node:async_hooks';
import type { Attributes, TraceContext } from './record.ts';
import { mergeAttributes } from './attributes.ts';
import { safeString } from '../values/safe.ts';
import { runInOwnBuffer } from './debug-buffer.ts';

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

/**
 * The stored form: one object per `withRequestContext` call, owned by it.
 * `attributes` is replaced (never mutated) by setRequestAttributes, so a
 * record made earlier keeps the attributes it was made with.
 */
interface ContextState {
  readonly requestId: string | undefined;
  attributes: Attributes | undefined;
  readonly trace: TraceContext | undefined;
}

const storage = new AsyncLocalStorage<ContextState>();

/** The request context of the current async execution, if any. */
export function getRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` with `context` as the request context; inner contexts inherit
 * the outer one's fields they do not set. Returns what `fn` returns. With
 * the debug buffer on, an outermost context is one unit of work with a
 * buffer of its own, ended when `fn` returns or its promise settles.
 */
export function withRequestContext<T>(context: RequestContext, fn: () => T): T {
  context = readContext(context);
  const outer = storage.getStore();
  // Always a fresh object: setRequestAttributes must not write into the caller's.
  const state: ContextState = outer === undefined
    ? { requestId: context.requestId, trace: context.trace, attributes: frozen(context.attributes) }
    : {
      requestId: context.requestId ?? outer.requestId,
      trace: context.trace ?? outer.trace,
      attributes: outer.attributes === undefined ? frozen(context.attributes)
        : context.attributes === undefined ? outer.attributes
        : Object.freeze(mergeAttributes(outer.attributes, context.attributes)),
    };
  return outer === undefined ? runInOwnBuffer(() => storage.run(state, fn)) : storage.run(state, fn);
}

/**
 * The request's attributes as a frozen copy (or themselves, when frozen):
 * every record of the request then shares one immutable object, which the
 * encoders and the redactor serialize and check once per request instead of
 * once per record, and a caller changing its object later cannot change
 * records already made.
 */
function frozen(attributes: Attributes | undefined): Attributes | undefined {
  if (attributes === undefined) return undefined;
  try {
    if (Object.isFrozen(attributes)) return attributes;
  } catch {
    // a hostile proxy: the safe copy below
  }
  // a plain object, as the caller's was (the merge's copy has no prototype); `__proto__` stays an own key
  const merged = mergeAttributes(attributes);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(merged)) {
    if (key === '__proto__') Object.defineProperty(copy, key, { value: merged[key], enumerable: true, writable: true, configurable: true });
    else copy[key] = merged[key];
  }
  return Object.freeze(copy);
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/**
 * The caller's context in the shape records need, read once: a request ID
 * that is not a string is converted, a trace context that is not valid
 * lowercase-hex W3C IDs is left out, attributes that are not an object are
 * left out. Never throws (a hostile context object counts as empty).
 */
function readContext(context: RequestContext): RequestContext {
  try {
    const { requestId, attributes, trace } = context;
    return {
      requestId: requestId === undefined || typeof requestId === 'string' ? requestId : safeString(() => String(requestId)),
      attributes: typeof attributes === 'object' && attributes !== null ? attributes : undefined,
      trace: readTrace(trace),
    };
  } catch {
    return {};
  }
}

function readTrace(trace: unknown): TraceContext | undefined {
  if (typeof trace !== 'object' || trace === null) return undefined;
  const { traceId, spanId, traceFlags } = trace as Record<string, unknown>;
  if (typeof traceId !== 'string' || !TRACE_ID.test(traceId) || typeof spanId !== 'string' || !SPAN_ID.test(spanId)) {
    return undefined;
  }
  const valid = Number.isInteger(traceFlags) && (traceFlags as number) >= 0 && (traceFlags as number) <= 255;
  // A copy holding the values checked (a getter could answer differently later); other fields, such as a
  // remote parent's tracestate, come along.
  return Object.freeze({ ...trace, traceId, spanId, traceFlags: valid ? traceFlags as number : 0 });
}

/**
 * Adds `attributes` (user id, tenant, route...) to every record made from
 * now on in the current request context — in this function and in every
 * async continuation of the request — without a child logger. Later calls
 * win per key; a key set to `undefined` is left out of records. Records
 * made earlier keep what they had. Outside any request context it does
 * nothing and returns `false`. Never throws.
 */
export function setRequestAttributes(attributes: Attributes): boolean {
  const state = storage.getStore();
  if (state === undefined) return false;
  state.attributes = Object.freeze(mergeAttributes(state.attributes, attributes));
  return true;
}

/** The current request ID, if the code runs inside a request context. */
export function getRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
