/**
 * A minimal protobuf writer for the OTLP encoder: one growable buffer,
 * single pass. A length-delimited field reserves one byte for its length
 * and moves its content when the length needs more (rare below 128 bytes,
 * once per batch for the outer messages) — cheaper than the two passes
 * (size estimate, then write) of the general serializer.
 */
export class ProtobufWriter {
  #buf: Buffer;
  #view: DataView;
  pos = 0;

  constructor(capacity = 64 * 1024) {
    this.#buf = Buffer.allocUnsafe(capacity);
    this.#view = new DataView(this.#buf.buffer, this.#buf.byteOffset, this.#buf.byteLength);
  }

  /** The bytes written so far (a copy, the writer can be reused). */
  finish(): Uint8Array {
    return new Uint8Array(this.#buf.subarray(0, this.pos));
  }

  reset(): void {
    this.pos = 0;
  }

  // the check alone, small enough to inline into every write; growing is the rare call
  #ensure(extra: number): void {
    if (this.pos + extra > this.#buf.length) this.#grow(extra);
  }

  #grow(extra: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.pos + extra));
    this.#buf.copy(next, 0, 0, this.pos);
    this.#buf = next;
    this.#view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  /** A tag or any small value below 128. */
  byte(value: number): void {
    this.#ensure(1);
    this.#buf[this.pos++] = value;
  }

  /** An unsigned varint below 2^53. */
  varint(value: number): void {
    this.#ensure(10);
    while (value > 0x7f) {
      this.#buf[this.pos++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    this.#buf[this.pos++] = value;
  }

  /** A signed 64-bit integer (int64 field) from a safe integer: negative values take ten bytes, two's complement. */
  int64(value: number): void {
    if (value >= 0) return this.varint(value);
    let lo = value >>> 0;
    let hi = Math.floor(value / 4294967296) >>> 0;
    this.#ensure(10);
    while (hi > 0 || lo > 0x7f) {
      this.#buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.#buf[this.pos++] = lo;
  }

  fixed32(value: number): void {
    this.#ensure(4);
    this.#view.setUint32(this.pos, value, true);
    this.pos += 4;
  }

  /** fixed64 from its low and high 32-bit words. */
  fixed64(lo: number, hi: number): void {
    this.#ensure(8);
    this.#view.setUint32(this.pos, lo, true);
    this.#view.setUint32(this.pos + 4, hi, true);
    this.pos += 8;
  }

  double(value: number): void {
    this.#ensure(8);
    this.#view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** A length-prefixed UTF-8 string (lone surrogates become U+FFFD, as in every UTF-8 encoder). */
  string(value: string): void {
    const n = value.length;
    this.#ensure(5 + n * 3);
    if (n < 128) {
      // ASCII fast path: one length byte, one byte per character
      const buf = this.#buf;
      const start = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === n) {
        buf[this.pos] = n;
        this.pos = start + n;
        return;
      }
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    this.varint(bytes);
    this.pos += this.#buf.write(value, this.pos, 'utf8');
  }

  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.#ensure(value.length);
    this.#buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** Raw, already encoded bytes. */
  raw(value: Uint8Array): void {
    this.#ensure(value.length);
    this.#buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** 16 or 8 bytes from lowercase or uppercase hex (trace and span IDs). */
  hexBytes(hex: string): void {
    const n = hex.length >>> 1;
    this.#ensure(1 + n);
    this.#buf[this.pos++] = n;
    for (let i = 0; i < n; i++) this.#buf[this.pos++] = (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1));
  }

  /**
   * Starts a message with tag `tag` whose first bytes are `head`, already
   * encoded (a KeyValue's key field and its value's tag), and reserves the
   * length of the field `head` ends with. Returns the message's mark for
   * {@link end}; that last field's mark is `mark + head.length + 1`.
   * One bounds check and a byte copy instead of a call per field.
   */
  head(tag: number, head: Uint8Array): number {
    const n = head.length;
    this.#ensure(n + 3);
    const buf = this.#buf;
    let p = this.pos;
    buf[p++] = tag;
    const mark = p++;
    for (let i = 0; i < n; i++) buf[p++] = head[i]!;
    this.pos = p + 1;
    return mark;
  }

  /** Starts a length-delimited field (its tag already written); returns the mark for {@link end}. */
  begin(): number {
    this.#ensure(1);
    return this.pos++;
  }

  /** Ends the field begun at `mark`: writes its length, moving the content when it needs more than one byte. */
  end(mark: number): void {
    const len = this.pos - mark - 1;
    if (len < 128) {
      this.#buf[mark] = len;
      return;
    }
    let size = 1;
    for (let v = len; v > 0x7f; v = Math.floor(v / 128)) size++;
    this.#ensure(size - 1);
    this.#buf.copyWithin(mark + size, mark + 1, this.pos);
    let v = len;
    let at = mark;
    while (v > 0x7f) {
      this.#buf[at++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.#buf[at] = v;
    this.pos += size - 1;
  }
}

function nibble(c: number): number {
  return c <= 57 ? c - 48 : (c | 0x20) - 87;
}
