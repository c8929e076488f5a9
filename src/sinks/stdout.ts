import type { Encoder, Sink, SinkStats } from '../core/sink.ts';
import type { LogRecord } from '../core/record.ts';
import { FdWriter } from './fd-writer.ts';
import { createJsonEncoder } from '../encoders/json.ts';
import { SEVERITY } from '../core/levels.ts';

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
 * The default sink: one line per record on stdout, buffered and written in
 * large chunks (see FdWriter). Records at FATAL and above are written
 * through synchronously, so a crash right after loses nothing; everything
 * else buffered is written soon after, and at the latest at process exit —
 * or at once, every line, with `sync: true` (write-through mode).
 */
export function createStdoutSink(options: StdoutSinkOptions = {}): Sink {
  const writer = new FdWriter(options.fd ?? 1, { maxBufferedChars: options.maxBufferedChars });
  const encode = options.encoder ?? createJsonEncoder();
  const sync = options.sync === true;
  let received = 0;
  let closed = false;
  return {
    emit(record: LogRecord): void {
      if (closed) return;
      received++;
      writer.write(encode(record));
      if (sync || record.severityNumber >= SEVERITY.fatal) writer.flushSync();
    },
    flush: () => writer.flush(),
    flushSync: () => void writer.flushSync(),
    async shutdown(): Promise<void> {
      closed = true;
      await writer.flush();
    },
    stats(): SinkStats {
      return { name: 'stdout', received, dropped: writer.dropped > 0 ? { stdout_unwritable: writer.dropped } : {} };
    },
  };
}
