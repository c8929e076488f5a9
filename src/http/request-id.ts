/**
 * Request IDs: what an incoming ID must look like to be trusted, and how a
 * new one is made. See docs/context-and-correlation.md for the reasons.
 */

/** Longest request ID accepted from a caller, in characters. */
export const MAX_REQUEST_ID_LENGTH = 128;

// 1–128 of a charset that is safe in a header, a URL, a shell, a JSON string,
// a logfmt value and a query language without quoting or escaping.
const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Whether `value` may be used as a request ID as it is: a string of 1 to 128
 * characters from `A-Z a-z 0-9 . _ : -`. Anything else (too long, empty,
 * control characters, spaces, commas from repeated headers, non-ASCII,
 * arrays) is `false`. Never throws.
 */
export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && VALID.test(value);
}

// Random bytes come from a pool refilled 256 IDs at a time: one
// randomFillSync call per 256 IDs instead of one per ID. node:crypto loads
// with the first ID (process.getBuiltinModule), not with `import 'logbridge'`:
// a program that never makes one does not pay for it (~1.5 MiB of RSS).
const POOL_IDS = 256;
const pool = Buffer.allocUnsafe(10 * POOL_IDS);
let poolOffset = pool.length;
let lastMs = -1;
let lastText = '';

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

/**
 * A new request ID: a UUID version 7 (RFC 9562), e.g.
 * `01936d6f-3a4b-7c2d-9e8f-0123456789ab` — 48 bits of Unix milliseconds then
 * 74 random bits. Time-ordered, so the ID tells roughly when the request
 * started and sorts with time; unmistakable for a 32-hex trace ID; valid for
 * {@link isValidRequestId}. Never throws.
 */
export function generateRequestId(): string {
  if (poolOffset + 10 > pool.length) {
    process.getBuiltinModule('node:crypto').randomFillSync(pool);
    poolOffset = 0;
  }
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastText = ms.toString(16).padStart(12, '0');
    lastText = lastText.slice(0, 8) + '-' + lastText.slice(8, 12) + '-';
  }
  const b = pool;
  const o = poolOffset;
  poolOffset += 10;
  return lastText +
    HEX[0x70 | (b[o]! & 0x0f)]! + HEX[b[o + 1]!]! + '-' +
    HEX[0x80 | (b[o + 2]! & 0x3f)]! + HEX[b[o + 3]!]! + '-' +
    HEX[b[o + 4]!]! + HEX[b[o + 5]!]! + HEX[b[o + 6]!]! + HEX[b[o + 7]!]! + HEX[b[o + 8]!]! + HEX[b[o + 9]!]!;
}
