/**
 * Reads an OTLP ExportLogsServiceResponse (protobuf or JSON) for its
 * partial success, without the OTLP packages (the exit child loads none):
 * protobuf field 1 `partial_success` → field 1 `rejected_log_records`
 * (int64 varint) and field 2 `error_message`; or the JSON
 * `partialSuccess.rejectedLogRecords` / `errorMessage`.
 */

/** An OTLP partial-success answer. */
export interface PartialSuccess {
  readonly rejected: number;
  readonly message: string;
}

/** The partial success a 2xx answer body reports; `undefined` when it reports none or cannot be read. Never throws. */
export function readPartialSuccess(body: Uint8Array, json: boolean): PartialSuccess | undefined {
  if (body.length === 0) return undefined;
  try {
    const { rejected, message } = json ? fromJson(body) : fromProtobuf(body);
    return rejected > 0 || message !== '' ? { rejected, message } : undefined;
  } catch {
    // unreadable answer: the collector said 2xx, so count it delivered
    return undefined;
  }
}

function fromJson(body: Uint8Array): PartialSuccess {
  const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as { partialSuccess?: { rejectedLogRecords?: unknown; errorMessage?: unknown } };
  const partial = parsed.partialSuccess;
  return { rejected: Number(partial?.rejectedLogRecords ?? 0) || 0, message: typeof partial?.errorMessage === 'string' ? partial.errorMessage : '' };
}

function fromProtobuf(body: Uint8Array): PartialSuccess {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = body[at++];
      if (byte === undefined) throw new RangeError('truncated');
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
  };
  let rejected = 0;
  let message = '';
  while (at < body.length) {
    const tag = varint();
    if (tag !== 0x0a) {
      skip(tag, varint, (n) => (at += n));
      continue;
    }
    const end = varint() + at;
    while (at < end) {
      const inner = varint();
      if (inner === 0x08) rejected = varint();
      else if (inner === 0x12) {
        const n = varint();
        message = Buffer.from(body.subarray(at, at + n)).toString('utf8');
        at += n;
      } else skip(inner, varint, (n) => (at += n));
    }
  }
  return { rejected, message };
}

/** Skips one field of an unknown tag (forward compatibility). */
function skip(tag: number, varint: () => number, advance: (n: number) => void): void {
  switch (tag & 7) {
    case 0: varint(); return;
    case 1: advance(8); return;
    case 2: advance(varint()); return;
    case 5: advance(4); return;
    default: throw new RangeError(`wire type ${tag & 7}`);
  }
}
