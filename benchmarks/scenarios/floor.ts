/**
 * Scenario 5 — the floor: what the scenario-3 line costs with nothing but
 * serialization and the write. `per-field+chunks` is the reference floor of
 * the targets: a pino-style per-field serializer (epoch-ms time, constant
 * correlation fields, each attribute stringified by type) plus 64 KiB
 * chunked writes. The others separate the parts: the same line already
 * serialized (the write alone), JSON.stringify alone (no write), and
 * JSON.stringify with chunked writes or with console.log.
 */
import type { Bench, Case, Scenario } from '../harness/types.ts';
import { VARIANTS } from '../harness/variants.ts';
import { ChunkWriter } from '../harness/libraries.ts';

const variant = VARIANTS.attrs3!;
const attrs = variant.attrs!;
const message = variant.message;
const TRACE = ',"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","trace_flags":"01","request.id":"req-7f3a9c"';
const BINDING = ',"service":"checkout"';

/** One line the way pino builds one: a fixed prefix, then each field by its type. */
function perField(i: number): string {
  const a = attrs(i);
  let out = '{"level":30,"time":' + Date.now() + BINDING + TRACE + ',"msg":' + JSON.stringify(message);
  for (const key in a) {
    const value = a[key];
    out += ',"' + key + '":' + (typeof value === 'string' ? JSON.stringify(value) : String(value));
  }
  return out + '}\n';
}

function asObject(i: number): Record<string, unknown> {
  return {
    level: 30, time: Date.now(), service: 'checkout', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    span_id: '00f067aa0ba902b7', trace_flags: '01', 'request.id': 'req-7f3a9c', msg: message, ...attrs(i),
  };
}

/** The reference floor (per-field serializer + 64 KiB writes), also run side by side in scenario 3. */
export function floorBench(): Bench {
  return chunked(perField);
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

let sink = 0;
const mustContain = ['order placed', 'req-7f3a9c'];
const cases: Case[] = [
  { id: 'floor/per-field+chunks', variant: 'floor', library: 'per-field serializer + 64 KiB writes (the floor)', mustContain,
    setup: async () => floorBench() },
  { id: 'floor/preserialized+chunks', variant: 'floor', library: 'pre-serialized line + 64 KiB writes', mustContain,
    setup: async () => {
      const line = perField(0);
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
  warmup: 20_000,
  cases,
};

/** Keeps the stringify-only loop's result observable. */
export function sinkValue(): number {
  return sink;
}
