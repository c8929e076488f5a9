/**
 * Realistic correlation IDs for the correlated scenarios: random 32/16 hex
 * trace and span IDs (what a tracing SDK makes) and UUIDv7 request IDs
 * (what logbridge's adapters generate). Every library sees the same ones.
 */
import { randomBytes } from 'node:crypto';

export function traceId(): string {
  return randomBytes(16).toString('hex');
}

export function spanId(): string {
  return randomBytes(8).toString('hex');
}

/** A UUIDv7 (RFC 9562): 48-bit ms timestamp, version 7, variant 10, random rest. */
export function uuidv7(): string {
  const b = randomBytes(16);
  const ms = Date.now();
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
