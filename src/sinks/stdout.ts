import { ABSORB, type AbsorbingSink, type Encoder, type FlushOptions, type Processor, type Sink, type SinkStats } from '../core/sink.ts';
import type { LogRecord } from '../core/record.ts';
import { FdWriter } from './fd-writer.ts';
import { createJsonEncoder, fuseRedaction } from '../encoders/json.ts';
import { redactionCheckOf } from '../redact/redactor.ts';
import { SEVERITY } from '../core/levels.ts';
import { exitTimeLeft } from '../core/exit-deadline.ts';
import { ENV, readEnv } from '../config/env.ts';

/** Options for {@link createStdoutSink}. */
export interface StdoutSinkOptions {
  /** File descriptor to write to (default 1, stdout; 2 for stderr). */
  readonly fd?: number;
  /** Line encoder (default: JSON lines). */
  readonly encoder?: Encoder;
  /** Characters buffered before the writer stops accepting lines and counts drops (default 16 Mi). */
  readonly maxBufferedChars?: number;
  /**
   * Write-through mode (default false): every line is written at once with
   * `writeSync`, so it lands in order with `console.log` output and nothing
   * waits for the exit flush. For CLIs, tests and local development; costs
   * one system call per line.
   */
  readonly sync?: boolean;
}

/**
 * Longest wait, in ms, of a record at FATAL for a reader that does not read:
 * the record is written through when the pipe has room, and a stuck reader
 * costs the application at most this long (what is not written stays
 * buffered for the exit flush).
 */
export const FATAL_WRITE_WAIT_MS = 50;

/** Longest wait, in ms, of a line in write-through mode for a reader that does not read (what is not written stays buffered). */
export const SYNC_WRITE_WAIT_MS = 1000;

/** Stdout counters: lines written and still buffered, beyond {@link SinkStats}. */
export interface StdoutSinkStats extends SinkStats {
  /** Lines completely written to the descriptor. */
  readonly delivered: number;
  /** Lines still buffered. */
  readonly pending: number;
}

/**
 * The default sink: one line per record on stdout, buffered and written in
 * large chunks (see FdWriter). Records at FATAL and above are written
 * through at once (waiting at most {@link FATAL_WRITE_WAIT_MS} for a full
 * pipe), so a crash right after loses nothing; everything else buffered is
 * written at the end of the event-loop turn, and at exit within what is
 * left of the exit deadline — or at once, every line, with `sync: true`
 * (write-through mode; a full pipe is waited for at most
 * {@link SYNC_WRITE_WAIT_MS} per line, and nothing is discarded).
 */
export function createStdoutSink(options: StdoutSinkOptions = {}): Sink {
  const writer = new FdWriter(options.fd ?? 1, { maxBufferedChars: options.maxBufferedChars });
  const encoder = options.encoder ?? createJsonEncoder();
  let encode = encoder;
  const sync = options.sync === true;
  let received = 0;
  let closed = false;
  const sink: AbsorbingSink = {
    // Alone in the pipeline, a JSON sink runs redaction in its encoder: one read of each attribute for the check and the line.
    [ABSORB](processor: Processor | undefined): boolean {
      const check = redactionCheckOf(processor);
      encode = (check === undefined ? undefined : fuseRedaction(encoder, check)) ?? encoder;
      return encode !== encoder;
    },
    emit(record: LogRecord): void {
      if (closed) return;
      received++;
      writer.write(encode(record));
      if (sync) writer.writeThrough(SYNC_WRITE_WAIT_MS);
      else if (record.severityNumber >= SEVERITY.fatal) writer.writeThrough(FATAL_WRITE_WAIT_MS);
    },
    flush: (options?: FlushOptions) => writer.flush(exitTimeLeft() ?? readEnv(ENV.exitTimeout), options?.holdProcess !== false),
    flushSync: (timeoutMs?: number) => void writer.flushSync(timeoutMs ?? exitTimeLeft() ?? readEnv(ENV.exitTimeout)),
    async shutdown(): Promise<void> {
      closed = true;
      await writer.flush(exitTimeLeft() ?? readEnv(ENV.exitTimeout));
    },
    stats(): StdoutSinkStats {
      return {
        name: 'stdout', received, delivered: writer.written, pending: writer.pendingLines,
        dropped: writer.dropped > 0 ? { stdout_unwritable: writer.dropped } : {},
      };
    },
  };
  return sink;
}
