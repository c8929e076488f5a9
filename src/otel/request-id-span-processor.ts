import { getRequestId } from '../core/context.ts';

/** The part of a span the processor touches (an SDK `Span`). */
export interface AttributeSettable {
  /** Sets one span attribute. */
  setAttribute(key: string, value: string): unknown;
}

/**
 * A span processor for `@opentelemetry/sdk-trace` that puts the current
 * request ID on every span started inside a request context, as the
 * `request.id` attribute, so each span of a request can be found from a log
 * line's ID, not only the server span:
 *
 * ```ts
 * new TracerProvider({ spanProcessors: [new RequestIdSpanProcessor(), batch] });
 * ```
 *
 * It reads the request context where the span starts; it never exports.
 */
export class RequestIdSpanProcessor {
  /** Sets `request.id` on `span` when it starts inside a request context. Never throws. */
  onStart(span: AttributeSettable, _parentContext?: unknown): void {
    try {
      const id = getRequestId();
      if (id !== undefined) span.setAttribute('request.id', id);
    } catch {
      // a span that refuses attributes must not break the caller's span
    }
  }

  /** Nothing to do when a span ends. */
  onEnd(_span: unknown): void {}

  /** Resolves at once: nothing is buffered. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Resolves at once: nothing to release. */
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
