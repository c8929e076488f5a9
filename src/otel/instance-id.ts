import { readFileSync } from 'node:fs';

/**
 * This process's `service.instance.id`: a random (version 4) UUID, made
 * once. On Linux it is the kernel's (`/proc/sys/kernel/random/uuid`, a
 * read of a few microseconds); elsewhere Web Crypto's `randomUUID()`. Loading
 * `node:crypto` for this one call costs about 8 ms of CPU at start-up, a
 * few per cent of a short-lived process's whole OTLP export (docs/performance.md,
 * "Cold OTLP"). Not `Math.random()`: its outputs give away the generator's
 * state, and this value is sent to the backend.
 */
export function processInstanceId(): string {
  return instanceId ??= kernelUuid() ?? globalThis.crypto.randomUUID();
}

let instanceId: string | undefined;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function kernelUuid(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const uuid = readFileSync('/proc/sys/kernel/random/uuid', 'latin1').trim();
    return UUID_V4.test(uuid) ? uuid : undefined;
  } catch {
    return undefined; // no /proc (a sandbox, gVisor without it)
  }
}
