import type { AnyValue } from '@opentelemetry/api';
import { numberKind } from '../mapping.ts';
import type { ProtobufWriter } from './protobuf-writer.ts';

/**
 * The OTLP common/v1 values in protobuf: `KeyValue` and `AnyValue`, for
 * the log writer (`protobuf-logs.ts`) and the resource. Numbers follow
 * {@link numberKind}, as in OTLP/JSON. Attribute keys repeat from record to
 * record, so each key's encoded head (its key field and the value's tag)
 * is made once and copied.
 */

// Tags: (field number << 3) | wire type.
const T = {
  kvKey: 0x0a, kvValue: 0x12,
  string: 0x0a, bool: 0x10, int: 0x18, double: 0x21, array: 0x2a, kvlist: 0x32, bytes: 0x3a, listItem: 0x0a,
} as const;

/** Keys seen (attribute keys repeat from record to record) → their KeyValue head: the key field and the value's tag. */
const KEY_HEADS = new Map<string, Uint8Array>();
const MAX_KEY_HEADS = 4096;

/** The encoded head of a KeyValue for `key`, cached; `undefined` for a key too long for a one-byte length, or past the cache's size. */
function keyHead(key: string): Uint8Array | undefined {
  const cached = KEY_HEADS.get(key);
  if (cached !== undefined || KEY_HEADS.size >= MAX_KEY_HEADS || key.length > 127) return cached;
  const bytes = Buffer.from(key, 'utf8'); // the bytes ProtobufWriter.string writes
  if (bytes.length > 127) return undefined;
  const head = new Uint8Array(bytes.length + 3);
  head[0] = T.kvKey;
  head[1] = bytes.length;
  head.set(bytes, 2);
  head[bytes.length + 2] = T.kvValue;
  KEY_HEADS.set(key, head);
  return head;
}

/** A `KeyValue` as a field with tag `tag` (an attribute, a kvlist entry). */
export function writeKeyValue(w: ProtobufWriter, tag: number, key: string, value: AnyValue): void {
  const head = keyHead(key);
  if (head !== undefined) {
    const kv = w.head(tag, head);
    writeAnyValue(w, value);
    w.end(kv + head.length + 1);
    w.end(kv);
    return;
  }
  w.byte(tag);
  const kv = w.begin();
  w.byte(T.kvKey);
  w.string(key);
  w.byte(T.kvValue);
  const v = w.begin();
  writeAnyValue(w, value);
  w.end(v);
  w.end(kv);
}

/** The fields of an `AnyValue` message (its tag and length written by the caller); nothing for `null`/`undefined`. */
export function writeAnyValue(w: ProtobufWriter, value: AnyValue): void {
  switch (typeof value) {
    case 'string':
      w.byte(T.string);
      w.string(value);
      return;
    case 'boolean':
      w.byte(T.bool);
      w.byte(value ? 1 : 0);
      return;
    case 'number': {
      const kind = numberKind(value);
      if (kind === 'safe') {
        w.byte(T.int);
        w.int64(value);
      } else if (kind === 'big') {
        w.byte(T.int);
        writeBigInt64(w, BigInt(value));
      } else {
        w.byte(T.double);
        w.double(value);
      }
      return;
    }
    default:
      break;
  }
  if (value === null || value === undefined) return; // an empty AnyValue
  if (value instanceof Uint8Array) {
    w.byte(T.bytes);
    w.bytes(value);
  } else if (Array.isArray(value)) {
    w.byte(T.array);
    const list = w.begin();
    for (const item of value) {
      w.byte(T.listItem);
      const it = w.begin();
      writeAnyValue(w, item);
      w.end(it);
    }
    w.end(list);
  } else {
    w.byte(T.kvlist);
    const list = w.begin();
    const map = value as Record<string, AnyValue>;
    for (const key in map) writeKeyValue(w, T.listItem, key, map[key]!);
    w.end(list);
  }
}

function writeBigInt64(w: ProtobufWriter, value: bigint): void {
  let v = BigInt.asUintN(64, value);
  const bytes: number[] = [];
  while (v > 0x7fn) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  w.raw(Uint8Array.from(bytes));
}
