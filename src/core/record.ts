/**
 * The record: one log call, captured on the caller's async context, immutable
 * from then on. Its fields follow the OpenTelemetry log data model, so the
 * OTLP bridge copies them rather than translating them.
 */

import type { Attributes } from '../values/attributes.ts';
import type { ExceptionInfo } from '../values/exception.ts';

export type { Attributes, ExceptionInfo };

/**
 * Child-logger bindings, merged once at `child()` time. Encoders keep their
 * own serialized form of them, keyed by this object (it is frozen).
 */
export interface Bindings {
  /** The merged bound attributes (frozen). */
  readonly attributes: Attributes;
  /** The bound keys, to spot a call attribute that overrides one. */
  readonly keys: ReadonlySet<string>;
}

/** The trace context a record belongs to (lowercase hex IDs, as in W3C traceparent). */
export interface TraceContext {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits. */
  readonly spanId: string;
  /** W3C trace flags; bit 0 is "sampled". */
  readonly traceFlags: number;
}

/** One log record. Processors may replace a record with a copy; nobody mutates one. */
export interface LogRecord {
  /** Wall-clock time of the call, in milliseconds since the Unix epoch, with sub-millisecond precision. */
  readonly time: number;
  /** OpenTelemetry SeverityNumber (1 … 24). */
  readonly severityNumber: number;
  /** OpenTelemetry SeverityText (`INFO`). */
  readonly severityText: string;
  /** The logger's dotted name; becomes the OpenTelemetry instrumentation scope. */
  readonly scope: string;
  /** The message (OpenTelemetry body). */
  readonly body: string;
  /** OpenTelemetry event name, for event records. */
  readonly eventName: string | undefined;
  /** Attributes bound by `child()`. */
  readonly bindings: Bindings | undefined;
  /** Attributes bound to the current request (see `withRequestContext`). */
  readonly contextAttributes: Attributes | undefined;
  /** Attributes of the call itself; they win over bindings and request attributes. */
  readonly attributes: Attributes | undefined;
  /** The exception logged with the record, if any. */
  readonly exception: ExceptionInfo | undefined;
  /** The request ID of the work this record belongs to. */
  readonly requestId: string | undefined;
  /** The active span's context, or the caller's remote parent. */
  readonly trace: TraceContext | undefined;
  /**
   * Attributes already left out by the count limit before encoding (redaction cuts a huge
   * attributes object there instead of reading all of it); encoders add it to their own count.
   */
  readonly droppedAttributes?: number;
  /**
   * Set only by the record size limit on the cut-down copy it encodes: what was cut. Encoders
   * write it as `logbridge.truncated`; a user attribute of that name is renamed, like other reserved keys.
   */
  readonly truncated?: string;
}
