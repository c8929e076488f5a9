import type { AnyValue } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecord } from '../../core/record.ts';
import type { Limits } from '../../values/limits.ts';
import type { AnyValue as ValueAny } from '../../values/any-value.ts';
import { mapRecord, type MappedRecord } from '../mapping.ts';
import { encodeLogsRequest, encodeResource } from './protobuf-logs.ts';
import { otlpJsonRequest, otlpJsonResource } from './json-logs.ts';
import { ProtobufWriter } from './protobuf-writer.ts';
import { readPartialSuccess, type PartialSuccess } from './response.ts';

/**
 * Records → OTLP request bytes, on the default pipeline: every record goes
 * through the one mapping (`mapping.ts`) as the protobuf writer
 * (`protobuf-logs.ts`) or the OTLP/JSON writer (`json-logs.ts`) writes it,
 * without a MappedRecord in between. Measured
 * before the writers: the SDK's LogRecord construction (per-attribute
 * validation, limit checks, context lookup) was about 1.6 µs of the 3.4 µs
 * spent per record on encoding, the official serializer's two passes most
 * of the rest. The official pipeline, for teams that must use it, is
 * `sdk-pipeline.ts`; tests decode both and require the same records.
 *
 * Runs on batches, off the logging call's stack.
 */

export type { PartialSuccess } from './response.ts';

/** A record not yet mapped, or one mapped already (the exit child gets those). */
export type EncoderInput = LogRecord | MappedRecord;

/** Turns batches of records into OTLP ExportLogsServiceRequest bytes. */
export class OtlpEncoder {
  readonly #limits: Limits;
  readonly #json: boolean;
  readonly #resourceBytes: Uint8Array | undefined;
  readonly #resourceJson: string | undefined;
  readonly #writer: ProtobufWriter | undefined;
  #writing = false;

  constructor(resource: Readonly<Record<string, AnyValue>>, limits: Limits, format: 'protobuf' | 'json') {
    this.#limits = limits;
    this.#json = format === 'json';
    if (this.#json) this.#resourceJson = otlpJsonResource(resource as Readonly<Record<string, ValueAny>>);
    else {
      this.#resourceBytes = encodeResource(resource);
      this.#writer = new ProtobufWriter();
    }
  }

  /** The records mapped (the ones already mapped as they are). */
  map(records: readonly EncoderInput[]): MappedRecord[] {
    const out: MappedRecord[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      out[i] = 'observedTime' in r ? r : mapRecord(r, this.#limits);
    }
    return out;
  }

  /** OTLP request bytes (protobuf or JSON); empty when there is nothing to send. */
  encode(records: readonly EncoderInput[]): Uint8Array {
    if (records.length === 0) return new Uint8Array(0);
    if (this.#writer !== undefined) {
      // Protobuf maps each record as it writes it, so a getter runs mid-request: one that ends up
      // here again (a flush at exit) gets a writer of its own.
      if (this.#writing) return encodeLogsRequest(records, this.#resourceBytes!, new ProtobufWriter(), this.#limits);
      this.#writing = true;
      try {
        return encodeLogsRequest(records, this.#resourceBytes!, this.#writer, this.#limits);
      } finally {
        this.#writing = false;
      }
    }
    return Buffer.from(otlpJsonRequest(records, this.#resourceJson!, this.#limits), 'utf8');
  }

  /** Reads a 2xx answer body; `undefined` unless it reports a partial success. Never throws. */
  decodeResponse(body: Uint8Array): PartialSuccess | undefined {
    return readPartialSuccess(body, this.#json);
  }
}

/**
 * The SDK's readable records (the form the official exporters take) of
 * mapped records: the same fields, renamed. One resource and one scope
 * object per scope name, as the serializers group by identity.
 */
export function toReadableLogRecords(records: readonly MappedRecord[], resource: Resource): ReadableLogRecord[] {
  const scopes = new Map<string, ReadableLogRecord['instrumentationScope']>();
  return records.map((r) => {
    let instrumentationScope = scopes.get(r.scope);
    if (instrumentationScope === undefined) {
      instrumentationScope = { name: r.scope, version: undefined, schemaUrl: undefined };
      scopes.set(r.scope, instrumentationScope);
    }
    const t = r.trace;
    return {
      hrTime: r.time,
      hrTimeObserved: r.observedTime,
      spanContext: t === undefined ? undefined : { traceId: t.traceId, spanId: t.spanId, traceFlags: t.traceFlags },
      severityText: r.severityText,
      severityNumber: r.severityNumber,
      body: r.body,
      eventName: r.eventName,
      resource,
      instrumentationScope,
      attributes: r.attributes,
      droppedAttributesCount: r.droppedAttributesCount,
    };
  });
}
