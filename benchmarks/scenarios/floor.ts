/**
 * Scenario 5 — the floor: what the scenario-1 line costs with nothing but
 * serialization and the write. `per-field+chunks` (plain) and
 * `per-field+correlation` (with constant correlation fields) are the floors
 * of the targets (floorLine below: five lines). The others separate the
 * parts: the same line already serialized (the write alone), JSON.stringify
 * alone (no write), and JSON.stringify with chunked writes or console.log.
 */
import type { Bench, Case, Scenario } from '../harness/types.ts';
import { VARIANTS } from '../harness/variants.ts';
import { ChunkWriter } from '../harness/libraries.ts';

const variant = VARIANTS.attrs3!;
const attrs = variant.attrs!;
const message = variant.message;
const BINDING = ',"service":"checkout"';

/**
 * The floor, in five lines a reader can check: the same record serialized
 * field by field into one string (epoch-ms time, as pino writes it), with
 * the correlation members given as one ready string (constant, or made once
 * per request by the caller), keys written as they are (they need no escape)
 * and each value by its type, then written in 64 KiB chunks.
 */
export function floorLine(i: number, correlation: string): string {
  const a = attrs(i);
  let out = '{"time":' + Date.now() + ',"level":"INFO","message":' + JSON.stringify(message) + BINDING + correlation;
  for (const key in a) out += ',"' + key + '":' + (typeof a[key] === 'string' ? JSON.stringify(a[key]) : String(a[key]));
  return out + '}\n';
}

/** The correlation members of a line: trace, span, flags, request ID and request attributes. */
export function correlationMembers(traceId: string, spanId: string, requestId: string, requestAttributes = ''): string {
  return ',"trace_id":"' + traceId + '","span_id":"' + spanId + '","trace_flags":"01","request.id":' +
    JSON.stringify(requestId) + requestAttributes;
}

const CONSTANT = correlationMembers('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', '0192f4c1-7a3e-7cc4-b2a9-3c5e1f0a7d21');

/** The plain floor (no correlation) or, with `correlation`, the correlated one (the string read per line). */
export function floorBench(correlation: () => string = () => ''): Bench {
  const writer = new ChunkWriter(1);
  return {
    loop(start, count) {
      for (let i = start; i < start + count; i++) writer.write(floorLine(i, correlation()));
    },
    end: () => writer.flush(),
  };
}

function chunked(line: (i: number) => string): Bench {
  const writer = new ChunkWriter(1);
  return {
    loop(start, count) {
      for (let i = start; i < start + count; i++) writer.write(line(i));
    },
    end: () => writer.flush(),
  };
}

function asObject(i: number): Record<string, unknown> {
  return {
    time: Date.now(), level: 'INFO', message, service: 'checkout', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    span_id: '00f067aa0ba902b7', trace_flags: '01', 'request.id': '0192f4c1-7a3e-7cc4-b2a9-3c5e1f0a7d21', ...attrs(i),
  };
}

let sink = 0;
const mustContain = ['order placed', 'checkout'];
const cases: Case[] = [
  { id: 'floor/per-field+chunks', variant: 'floor', library: 'per-field serializer + 64 KiB writes (the plain floor)', mustContain,
    setup: async () => floorBench() },
  { id: 'floor/per-field+correlation', variant: 'floor', library: 'the same with constant correlation fields (the correlated floor)',
    mustContain: [...mustContain, '0192f4c1-7a3e'], setup: async () => floorBench(() => CONSTANT) },
  { id: 'floor/preserialized+chunks', variant: 'floor', library: 'pre-serialized line + 64 KiB writes', mustContain,
    setup: async () => {
      const line = floorLine(0, '');
      return chunked(() => line);
    } },
  { id: 'floor/stringify+chunks', variant: 'floor', library: 'JSON.stringify + 64 KiB writes', mustContain,
    setup: async () => chunked((i) => JSON.stringify(asObject(i)) + '\n') },
  { id: 'floor/stringify', variant: 'floor', library: 'JSON.stringify alone (no write)', expectedLines: () => 0,
    setup: async () => ({
      loop(start, count) {
        for (let i = start; i < start + count; i++) sink += JSON.stringify(asObject(i)).length;
      },
      end: () => undefined,
    }) },
  { id: 'floor/console.log', variant: 'floor', library: 'console.log(JSON.stringify(…))', mustContain, scale: 0.5,
    setup: async () => ({
      loop(start, count) {
        for (let i = start; i < start + count; i++) console.log(JSON.stringify(asObject(i)));
      },
      end: () => undefined,
    }) },
];

export const scenario: Scenario = {
  name: 'floor',
  title: 'Scenario 5 — the floor',
  unit: 'record',
  count: 30_000,
  warmup: 40_000, // as scenario 1's (see there)
  cases,
};

/** Keeps the stringify-only loop's result observable. */
export function sinkValue(): number {
  return sink;
}
