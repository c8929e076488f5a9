/**
 * One factory per library: builds a child logger with one binding writing
 * JSON lines to fd 1 and returns the measured loop. Each library is set up
 * the way its documentation recommends for JSON to stdout; libraries load
 * only inside the child process that measures them.
 */
import { createRequire } from 'node:module';
import { writeSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Bench } from './types.ts';
import { BINDING, type Variant } from './variants.ts';

const require = createRequire(import.meta.url);

/** Which method the loop calls: `info` (enabled) or `debug` (disabled at level info). */
export type Method = 'info' | 'debug';

type Attrs = Record<string, unknown>;
type LogFn = (message: string, attrs: Attrs | undefined, i: number) => void;

/**
 * The loop shared by every library: `call` is monomorphic in each child
 * process (one case per process), so V8 inlines it.
 */
function loopOf(variant: Variant, call: LogFn): (start: number, count: number) => void {
  const { message, attrs } = variant;
  if (attrs === undefined) {
    return (start, count) => {
      for (let i = start; i < start + count; i++) call(message, undefined, i);
    };
  }
  return (start, count) => {
    for (let i = start; i < start + count; i++) call(message, attrs(i), i);
  };
}

/** logbridge from `dist/` (what users install), configured with its defaults: JSON lines to stdout. */
export async function loadLogbridge(): Promise<typeof import('../../src/index.ts')> {
  const dist = new URL('../../dist/index.js', import.meta.url).href;
  return await import(dist) as typeof import('../../src/index.ts');
}

export async function logbridge(variant: Variant, method: Method = 'info', options: { redact?: false } = {}): Promise<Bench> {
  const lb = await loadLogbridge();
  lb.configure({ level: 'info', ...options });
  const log = lb.getLogger('bench').child(BINDING);
  const error = variant.error;
  let call: LogFn;
  if (error !== undefined) call = (m) => log.error(m, error);
  else if (method === 'debug') call = (m, a) => log.debug(m, a);
  else call = (m, a) => log.info(m, a);
  return { loop: loopOf(variant, call), end: () => lb.flush() };
}

type PinoFactory = typeof import('pino').default;

/** pino: `pino()` (sonic-boom, asynchronous) or `pino(pino.destination({ sync }))`. */
export async function pino(variant: Variant, destination: 'default' | 'async' | 'sync', method: Method = 'info',
  mixin?: () => Attrs): Promise<Bench> {
  const pinoFn = require('pino') as PinoFactory;
  const options = mixin === undefined ? { level: 'info' } : { level: 'info', mixin };
  const base = destination === 'default' ? pinoFn(options)
    : pinoFn(options, pinoFn.destination({ dest: 1, sync: destination === 'sync' }));
  const log = base.child(BINDING);
  const error = variant.error;
  let call: LogFn;
  if (error !== undefined) call = (m) => log.error({ err: error }, m);
  else if (method === 'debug') call = (m, a) => log.debug(a, m);
  else call = (m, a) => log.info(a, m);
  return {
    loop: loopOf(variant, call),
    end: () => new Promise<void>((resolve, reject) => log.flush((err) => (err ? reject(err) : resolve()))),
  };
}

/** winston: JSON format with timestamps, Console transport (its documented default). */
export async function winston(variant: Variant, method: Method = 'info', mixin?: () => Attrs): Promise<Bench> {
  const w = require('winston') as typeof import('winston');
  const formats = [w.format.timestamp(), w.format.errors({ stack: true }), w.format.json()];
  if (mixin !== undefined) formats.unshift(w.format((info) => Object.assign(info, mixin()))());
  const base = w.createLogger({
    level: 'info',
    format: w.format.combine(...formats),
    transports: [new w.transports.Console()],
  });
  const log = base.child(BINDING);
  const error = variant.error;
  let call: LogFn;
  if (error !== undefined) call = (m) => log.error(m, { error });
  else if (method === 'debug') call = (m, a) => log.debug(m, a);
  else call = (m, a) => log.info(m, a);
  return { loop: loopOf(variant, call), end: () => nextTurn() };
}

interface BunyanLogger {
  child(bindings: object): BunyanLogger;
  info(obj: object | undefined, msg: string): void;
  debug(obj: object | undefined, msg: string): void;
  error(obj: object, msg: string): void;
}

/** bunyan: `createLogger` with stdout as its stream. */
export async function bunyan(variant: Variant, method: Method = 'info'): Promise<Bench> {
  const b = require('bunyan') as { createLogger(o: object): BunyanLogger };
  const log = b.createLogger({ name: 'bench', level: 'info', stream: process.stdout }).child(BINDING);
  const error = variant.error;
  let call: LogFn;
  if (error !== undefined) call = (m) => log.error({ err: error }, m);
  else if (method === 'debug') call = (m, a) => log.debug(a ?? {}, m);
  else call = (m, a) => log.info(a ?? {}, m);
  return { loop: loopOf(variant, call), end: () => nextTurn() };
}

/** LogTape: the documented Node setup, a stream sink on stdout with the JSON Lines formatter. */
export async function logtape(variant: Variant, method: Method = 'info'): Promise<Bench> {
  const lt = await import('@logtape/logtape');
  const { Writable } = await import('node:stream');
  const sink = lt.getStreamSink(Writable.toWeb(process.stdout), { formatter: lt.jsonLinesFormatter });
  await lt.configure({
    sinks: { stdout: sink },
    loggers: [
      { category: ['bench'], sinks: ['stdout'], lowestLevel: 'info' },
      { category: ['logtape', 'meta'], sinks: [], lowestLevel: 'warning' },
    ],
  });
  const log = lt.getLogger(['bench']).with(BINDING);
  const error = variant.error;
  let call: LogFn;
  if (error !== undefined) call = (m) => log.error(m, { error });
  else if (method === 'debug') call = (m, a) => log.debug(m, a);
  else call = (m, a) => log.info(m, a);
  return { loop: loopOf(variant, call), end: () => (sink as unknown as { drain(): Promise<void> }).drain() };
}

/**
 * The raw OpenTelemetry SDK: LoggerProvider + SimpleLogRecordProcessor and a
 * minimal exporter writing one JSON line per record, buffered in 64 KiB
 * chunks like logbridge's writer — so the table shows the SDK's own cost.
 * (The SDK's ConsoleLogRecordExporter prints `console.dir` output, not JSON.)
 */
export async function otelSdk(variant: Variant, method: Method = 'info', mixin?: () => Attrs): Promise<Bench> {
  const sdk = await import('@opentelemetry/sdk-logs');
  const { hrTimeToTimeStamp } = await import('@opentelemetry/core');
  const writer = new ChunkWriter(1);
  const exporter = {
    export(records: ReadonlyArray<import('@opentelemetry/sdk-logs').ReadableLogRecord>, done: (r: { code: number }) => void): void {
      for (const r of records) {
        const sc = r.spanContext;
        writer.write(JSON.stringify({
          timestamp: hrTimeToTimeStamp(r.hrTime),
          level: r.severityText,
          severity_number: r.severityNumber,
          scope: r.instrumentationScope.name,
          message: r.body,
          trace_id: sc?.traceId,
          span_id: sc?.spanId,
          ...r.attributes,
        }) + '\n');
      }
      done({ code: 0 });
    },
    shutdown: () => Promise.resolve(),
    forceFlush: () => Promise.resolve(),
  };
  const provider = new sdk.LoggerProvider({
    processors: [new sdk.SimpleLogRecordProcessor({ exporter })],
    // The SDK's own level gate: records below INFO are dropped inside emit().
    loggerConfigurator: sdk.createLoggerConfigurator([{ pattern: '*', config: { minimumSeverity: 9 } }]),
  });
  const logger = provider.getLogger('bench');
  const error = variant.error;
  const attrsOf = mixin !== undefined ? (a: Attrs | undefined): Attrs => ({ ...BINDING, ...mixin(), ...a })
    : (a: Attrs | undefined): Attrs => (a === undefined ? { ...BINDING } : { ...BINDING, ...a });
  let call: LogFn;
  if (error !== undefined) {
    call = (m) => logger.emit({ severityNumber: 17, severityText: 'ERROR', body: m, attributes: {
      ...BINDING, 'exception.type': error.name, 'exception.message': error.message, 'exception.stacktrace': error.stack,
    } });
  } else if (method === 'debug') {
    call = (m, a) => logger.emit({ severityNumber: 5, severityText: 'DEBUG', body: m, attributes: attrsOf(a) });
  } else {
    call = (m, a) => logger.emit({ severityNumber: 9, severityText: 'INFO', body: m, attributes: attrsOf(a) });
  }
  return { loop: loopOf(variant, call), end: () => { writer.flush(); } };
}

/** The floor's writer: appends lines and writes 64 KiB chunks with one syscall each. */
export class ChunkWriter {
  readonly #fd: number;
  #buffer = '';
  #scheduled = false;
  constructor(fd: number) {
    this.#fd = fd;
  }
  write(line: string): void {
    this.#buffer += line;
    if (this.#buffer.length >= 65_536) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }
  flush(): void {
    const text = this.#buffer;
    this.#buffer = '';
    if (text.length === 0) return;
    // Encode once: writeSync(fd, string) would encode too, and checking its count would need a second scan.
    const bytes = Buffer.from(text);
    let written = 0;
    try {
      written = writeSync(this.#fd, bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
    // A full non-blocking pipe (the verification run): write the rest, waiting as needed.
    if (written < bytes.length) writeFully(this.#fd, bytes.subarray(written));
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `bytes`, sleeping 1 ms whenever the descriptor would block. */
function writeFully(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
