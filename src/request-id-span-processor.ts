import { getRequestId } from './context.ts';

/** The part of a span the processor touches (an SDK `Span`). */
export interface AttributeSettable {
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
  onStart(span: AttributeSettable, _parentContext?: unknown): void {
    const id = getRequestId();
    if (id !== undefined) span.setAttribute('request.id', id);
  }

  onEnd(_span: unknown): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
