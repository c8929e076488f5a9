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
}

/**
 * The default sink: one line per record on stdout, buffered and written in
 * large chunks (see FdWriter). Records at FATAL and above are written
 * through synchronously, so a crash right after loses nothing; everything
 * else buffered is written at process exit.
 */
export function createStdoutSink(options: StdoutSinkOptions = {}): Sink {
  const writer = new FdWriter(options.fd ?? 1, { maxBufferedChars: options.maxBufferedChars });
  const encode = options.encoder ?? createJsonEncoder();
  let received = 0;
  let closed = false;
  return {
    emit(record: LogRecord): void {
      if (closed) return;
      received++;
      writer.write(encode(record));
      if (record.severityNumber >= SEVERITY.fatal) writer.flushSync();
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
