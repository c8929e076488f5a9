import { context, propagation } from '@opentelemetry/api';
import type { OutgoingHttpHeaders } from 'node:http';
import type { TraceContext } from '../core/record.ts';
import { getRequestContext } from '../core/context.ts';
import { activeTraceContext } from '../core/trace-context.ts';

/**
 * Carrying a request across services: the W3C Trace Context `traceparent`
 * header (parse and format, no tracing SDK needed) and the outgoing headers
 * (`X-Request-ID`, `traceparent`, `tracestate`) that let the next service
 * continue the same request and trace.
 */

/** A caller's span context taken from `traceparent`, with its `tracestate` when valid. */
export interface RemoteParent extends TraceContext {
  /** The raw `tracestate` header that came with it, forwarded unchanged. */
  readonly traceState?: string | undefined;
  /** Always `true`: the span lives in another process. */
  readonly isRemote: true;
}

/** The default header for request IDs, in and out. */
export const REQUEST_ID_HEADER = 'x-request-id';

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const HEX2 = /^[0-9a-f]{2}$/;
const ZERO32 = '0'.repeat(32);
const ZERO16 = '0'.repeat(16);
// tracestate: at most 32 members of at most 256 characters; printable ASCII only.
const TRACESTATE = /^[\x20-\x7e]{1,512}$/;

/**
 * Parses a W3C `traceparent` header value (`00-<trace-id>-<parent-id>-<flags>`),
 * following the Trace Context rules: lowercase hex, no all-zero IDs,
 * version `ff` invalid, version `00` exactly 55 characters, later versions
 * may append `-…` fields. Surrounding spaces and tabs are ignored. A
 * `tracestate` is kept when it is printable ASCII of at most 512
 * characters. Anything else (arrays, repeated headers joined by commas)
 * gives `undefined`. Never throws.
 */
export function parseTraceparent(value: unknown, traceState?: unknown): RemoteParent | undefined {
  if (typeof value !== 'string' || value.length < 55 || value.length > 512) return undefined;
  const text = value.trim();
  if (text.length < 55) return undefined;
  const version = text.slice(0, 2);
  if (!HEX2.test(version) || version === 'ff') return undefined;
  if (version === '00' ? text.length !== 55 : text.length > 55 && text[55] !== '-') return undefined;
  if (text[2] !== '-' || text[35] !== '-' || text[52] !== '-') return undefined;
  const traceId = text.slice(3, 35);
  const spanId = text.slice(36, 52);
  const flags = text.slice(53, 55);
  if (!HEX32.test(traceId) || traceId === ZERO32) return undefined;
  if (!HEX16.test(spanId) || spanId === ZERO16) return undefined;
  if (!HEX2.test(flags)) return undefined;
  const state = Array.isArray(traceState) ? traceState.join(',') : traceState;
  return {
    traceId,
    spanId,
    traceFlags: parseInt(flags, 16),
    traceState: typeof state === 'string' && TRACESTATE.test(state) ? state : undefined,
    isRemote: true,
  };
}

/** Formats a trace context as a version-00 `traceparent` value. Never throws. */
export function formatTraceparent(trace: TraceContext): string {
  const flags = (trace.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${trace.traceId}-${trace.spanId}-${flags}`;
}

/** Options of the outgoing-header helpers. */
export interface PropagationOptions {
  /** The header that carries the request ID (default `x-request-id`). */
  readonly requestIdHeader?: string;
}

/**
 * The headers that continue the current request in the next service:
 * the request ID (`x-request-id`) when the code runs in a request context,
 * and the trace context when there is one — through the registered
 * OpenTelemetry propagator when an SDK is running (so `tracestate` and
 * `baggage` follow too), else as a `traceparent` built from the active span
 * or, without any tracing SDK, forwarded from the caller's remote parent.
 * Header names are lowercase. Empty outside any request or trace. Never throws.
 */
export function getPropagationHeaders(options: PropagationOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  try {
    const request = getRequestContext();
    if (request?.requestId !== undefined) headers[(options.requestIdHeader ?? REQUEST_ID_HEADER).toLowerCase()] = request.requestId;
    propagation.inject(context.active(), headers);
    if (headers.traceparent === undefined) {
      const trace = activeTraceContext() ?? request?.trace;
      if (trace !== undefined) {
        headers.traceparent = formatTraceparent(trace);
        const state = (trace as Partial<RemoteParent>).traceState;
        if (typeof state === 'string') headers.tracestate = state;
      }
    }
  } catch {
    // a faulty propagator must not break the caller's request
  }
  return headers;
}

/** Header containers the outgoing helpers understand. */
export type HeadersLike =
  | Headers
  | Array<[string, string]>
  | OutgoingHttpHeaders
  | Record<string, string>;

/** A node:http `ClientRequest` (or any OutgoingMessage) whose headers are not sent yet. */
export interface OutgoingMessageLike {
  /** Whether the header is set (any case). */
  hasHeader(name: string): boolean;
  /** Sets a header. */
  setHeader(name: string, value: string): unknown;
  /** Whether the headers have gone out (then nothing is injected). */
  readonly headersSent: boolean;
}

/**
 * Adds the propagation headers ({@link getPropagationHeaders}) to `headers`
 * without ever replacing one the caller set (names compared without case;
 * a caller's `traceparent` also keeps `tracestate` and `baggage` out).
 * - a fetch `Headers` or a node:http `ClientRequest`: changed in place and returned;
 * - an array of `[name, value]` pairs or a plain object (fetch `init.headers`,
 *   node:http and undici `options.headers`): a new one is returned, the
 *   argument is left alone;
 * - `undefined`: a new plain object.
 * Never throws; a request whose headers were already sent is left alone.
 */
export function injectPropagationHeaders(headers: Headers, options?: PropagationOptions): Headers;
export function injectPropagationHeaders<T extends OutgoingMessageLike>(request: T, options?: PropagationOptions): T;
export function injectPropagationHeaders(headers: Array<[string, string]>, options?: PropagationOptions): Array<[string, string]>;
export function injectPropagationHeaders<T extends OutgoingHttpHeaders | Record<string, string>>(headers?: T, options?: PropagationOptions): T & Record<string, string>;
export function injectPropagationHeaders(headers?: unknown, options?: PropagationOptions): unknown {
  const added = getPropagationHeaders(options);
  try {
    if (headers === undefined || headers === null) return added;
    if (typeof Headers === 'function' && headers instanceof Headers) {
      addMissing(added, (name) => headers.has(name), (name, value) => headers.set(name, value));
      return headers;
    }
    if (isOutgoingMessage(headers)) {
      if (!headers.headersSent) addMissing(added, (name) => headers.hasHeader(name), (name, value) => headers.setHeader(name, value));
      return headers;
    }
    if (Array.isArray(headers)) {
      const pairs = [...headers] as Array<[string, string]>;
      const names = new Set(pairs.map((pair) => String(pair[0]).toLowerCase()));
      addMissing(added, (name) => names.has(name), (name, value) => pairs.push([name, value]));
      return pairs;
    }
    if (typeof headers === 'object') {
      const copy: Record<string, unknown> = { ...headers };
      const names = new Set(Object.keys(copy).filter((k) => copy[k] !== undefined).map((k) => k.toLowerCase()));
      addMissing(added, (name) => names.has(name), (name, value) => { copy[name] = value; });
      return copy;
    }
  } catch {
    // never break the caller's request over a header
  }
  return headers;
}

function addMissing(added: Record<string, string>, has: (name: string) => boolean,
  set: (name: string, value: string) => void): void {
  const callerTrace = has('traceparent');
  for (const name of Object.keys(added)) {
    if (callerTrace && (name === 'tracestate' || name === 'baggage')) continue;
    if (!has(name)) set(name, added[name]!);
  }
}

function isOutgoingMessage(value: unknown): value is OutgoingMessageLike {
  const v = value as Partial<OutgoingMessageLike> | null;
  return typeof v === 'object' && v !== null && typeof v.setHeader === 'function' && typeof v.hasHeader === 'function';
}

/** The `fetch` signature the propagating wrapper accepts and returns. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Wraps a `fetch` (the global one, undici's, or any with the same
 * signature) so every call carries the propagation headers; headers set by
 * the caller, in `init.headers` or on a `Request`, are never replaced.
 */
export function createPropagatingFetch(fetchFn?: FetchLike, options?: PropagationOptions): FetchLike {
  return (input, init) => {
    const target = fetchFn ?? globalThis.fetch;
    let base: Headers;
    try {
      base = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    } catch {
      return target(input, init);
    }
    return target(input, { ...init, headers: injectPropagationHeaders(base, options) });
  };
}

/**
 * `fetch` that continues the current request: `propagatingFetch(url, init)`
 * is the global `fetch` with the propagation headers added (never
 * replacing the caller's).
 */
export const propagatingFetch: FetchLike = createPropagatingFetch();
