import { writeSync } from 'node:fs';
import { diagnose } from '../core/diagnostics.ts';

/**
 * A buffered writer to a file descriptor: the stdout sink's transport.
 *
 * Lines are appended to a string and written with one `writeSync` per chunk
 * of about 64 KiB, or at the end of the current event-loop turn, whichever
 * comes first; one syscall serves hundreds of lines. A full non-blocking
 * pipe (EAGAIN) does not block the application: the data waits and is
 * retried with a timer. Only when `maxBufferedChars` are waiting does a
 * write wait for the reader, for at most `blockMs`; a reader stuck longer
 * than that puts the writer in drop mode (lines counted) until it drains. `flushSync()` (process exit, fatal records) blocks until all is
 * written or the deadline passes. We write this by hand instead of using
 * sonic-boom for those two guarantees: drops counted instead of an unbounded
 * buffer, and no async write in flight that `process.exit()` could cut off.
 */
export class FdWriter {
  readonly fd: number;
  readonly #chunkChars: number;
  readonly #maxBufferedChars: number;
  /** Text not yet handed to the kernel. */
  #current = '';
  /** Bytes left over from a partial write; written before `#current`. */
  #leftover: Buffer | undefined;
  #scheduled = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #retryDelay = 1;
  #closed = false;
  /** Set when a full buffer could not drain within `blockMs`: drop instead of block until it does. */
  #stalled = false;
  readonly #blockMs: number;
  /** Lines dropped because the buffer was full or the descriptor closed. */
  dropped = 0;

  constructor(fd: number, options: { chunkChars?: number; maxBufferedChars?: number; blockMs?: number } = {}) {
    this.fd = fd;
    this.#chunkChars = options.chunkChars ?? 65_536;
    this.#maxBufferedChars = options.maxBufferedChars ?? 16 * 1024 * 1024;
    this.#blockMs = options.blockMs ?? 1000;
    // A pipe inherited as stdout/stderr is in blocking mode until Node opens its stream, which
    // sets O_NONBLOCK: without this, a reader that stops reading froze the whole process in writeSync.
    if (fd === 1) void process.stdout;
    else if (fd === 2) void process.stderr;
  }

  /** Queues `text` (whole lines). Never throws, never blocks on a full pipe. */
  write(text: string): void {
    if (this.#closed) {
      this.dropped++;
      return;
    }
    let size = this.#current.length + text.length;
    if (size > this.#maxBufferedChars) {
      // Full: wait for a slow reader (bounded), rather than lose lines; a
      // reader that stays stuck puts us in drop mode until the buffer drains.
      if (!this.#stalled && this.#drain(true, Date.now() + this.#blockMs) === 'done') {
        size = text.length;
      } else {
        this.#stalled = true;
        this.dropped++;
        diagnose('STDOUT_FULL', `fd ${this.fd} is not draining; dropping lines (${this.dropped} so far)`);
        if (this.#retryTimer === undefined) this.#scheduleRetry();
        return;
      }
    }
    this.#current += text;
    if (size >= this.#chunkChars) {
      if (this.#retryTimer === undefined) this.#writeOut();
    } else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#onImmediate);
    }
  }

  /** Whether anything is still waiting to be written. */
  get pending(): boolean {
    return this.#current.length > 0 || this.#leftover !== undefined;
  }

  #onImmediate = (): void => {
    this.#scheduled = false;
    if (this.#retryTimer === undefined) this.#writeOut();
  };

  /** One non-blocking attempt to write everything; on EAGAIN, retry later. */
  #writeOut(): void {
    const result = this.#drain(false);
    if (result === 'again') this.#scheduleRetry();
    else {
      this.#retryDelay = 1;
      this.#stalled = false;
    }
  }

  #scheduleRetry(): void {
    if (this.#retryTimer !== undefined) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#writeOut();
    }, this.#retryDelay);
    this.#retryTimer.unref(); // the exit flush writes what is left
    this.#retryDelay = Math.min(this.#retryDelay * 2, 100);
  }

  /**
   * Writes everything now. With `block`, waits out EAGAIN until `deadline`
   * (epoch ms). Returns 'done', 'again' (would block) or 'closed'.
   */
  #drain(block: boolean, deadline = Infinity): 'done' | 'again' | 'closed' {
    for (;;) {
      if (this.#closed) return 'closed';
      let data: Buffer | string;
      if (this.#leftover !== undefined) data = this.#leftover;
      else if (this.#current.length > 0) data = this.#current;
      else return 'done';
      try {
        const written = typeof data === 'string' ? writeSync(this.fd, data) : writeSync(this.fd, data);
        this.#consume(data, written);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          if (!block) return 'again';
          if (Date.now() >= deadline) return 'again';
          sleep(1);
          continue;
        }
        this.#close(code ?? 'error');
        return 'closed';
      }
    }
  }

  #consume(data: Buffer | string, written: number): void {
    if (typeof data !== 'string') {
      this.#leftover = written >= data.length ? undefined : data.subarray(written);
      return;
    }
    this.#current = '';
    // Partial writes are rare (full non-blocking pipe); byteLength is a fast scan.
    if (written < Buffer.byteLength(data, 'utf8')) {
      this.#leftover = Buffer.from(data, 'utf8').subarray(written);
    }
  }

  #close(code: string): void {
    this.#closed = true;
    const lost = this.#pendingLines();
    this.dropped += lost;
    this.#current = '';
    this.#leftover = undefined;
    diagnose('STDOUT_CLOSED', `fd ${this.fd} failed with ${code}; logging to it stops (${lost} lines lost)`);
  }

  /** Lines not yet written: those in the text buffer and those ending in the bytes left over from a partial write. */
  #pendingLines(): number {
    let n = countLines(this.#current);
    const leftover = this.#leftover;
    if (leftover !== undefined) for (let i = leftover.indexOf(10); i !== -1; i = leftover.indexOf(10, i + 1)) n++;
    return n;
  }

  /**
   * Writes everything synchronously, waiting out a full pipe for at most
   * `timeoutMs`. Returns true when nothing is left. Never throws.
   */
  flushSync(timeoutMs = 10_000): boolean {
    if (this.#retryTimer !== undefined) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
    }
    const result = this.#drain(true, Date.now() + timeoutMs);
    if (result === 'again') {
      const lost = this.#pendingLines();
      this.dropped += lost;
      diagnose('STDOUT_TIMEOUT', `fd ${this.fd} did not drain within ${timeoutMs} ms; ${lost} lines lost`);
      this.#current = '';
      this.#leftover = undefined;
      return false;
    }
    return result === 'done';
  }

  /** Writes everything buffered, waiting asynchronously for a full pipe to drain. */
  async flush(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending && !this.#closed) {
      if (this.#drain(false) !== 'again') break;
      if (Date.now() >= deadline) {
        this.flushSync(0);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
