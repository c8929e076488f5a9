import { fstatSync, writeSync } from 'node:fs';
import { diagnose } from '../core/diagnostics.ts';

/**
 * A buffered writer to a file descriptor: the stdout sink's transport.
 *
 * Lines are appended to a string and written at the end of the current
 * event-loop turn, or as soon as about 64 KiB wait, whichever comes first;
 * one syscall serves hundreds of lines. A full non-blocking pipe (EAGAIN)
 * does not block the application: the data waits and is retried with an
 * unref'd timer. Only when `maxBufferedChars` are waiting does a write wait
 * for the reader, for at most `blockMs`; a reader stuck longer than that
 * puts the writer in drop mode (lines counted) until it drains.
 *
 * No torn lines: to a pipe or a socket, data goes out in pieces that end at
 * a line boundary and that the kernel takes whole or not at all (a pipe
 * write of at most PIPE_BUF = 4096 bytes is atomic; a Unix stream socket
 * takes a 32 KiB write as one buffer), so a reader that stops, even for
 * good, sees whole lines only. Only a single line longer than the piece can
 * be cut by the kernel; the writer then finishes that line (a bounded wait
 * at exit) or counts it lost. Measured: 4 KiB pieces add about 0.15 µs per
 * 200-byte line over one 64 KiB write.
 *
 * We write this by hand instead of using sonic-boom for those guarantees:
 * drops counted instead of an unbounded buffer, whole lines, and no async
 * write in flight that `process.exit()` could cut off.
 */
export class FdWriter {
  readonly fd: number;
  readonly #chunkChars: number;
  readonly #maxBufferedChars: number;
  /** Largest write that cannot come back partial, in bytes (Infinity for files and terminals). */
  readonly #pieceBytes: number;
  /** Text not yet handed to the kernel. */
  #current = '';
  /** Bytes left over from a partial write (the rest of one line); written before `#current`. */
  #leftover: Buffer | undefined;
  #scheduled = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #retryDelay = 1;
  #closed = false;
  /** Set when a full buffer could not drain within `blockMs`: drop instead of block until it does. */
  #stalled = false;
  readonly #blockMs: number;
  /** Lines accepted by `write()`. */
  #accepted = 0;
  /** Accepted lines given up later (the descriptor closed, or the exit deadline passed). */
  #lost = 0;
  /** Lines dropped: refused by a full buffer or a closed descriptor, or given up at exit. */
  dropped = 0;
  /** Characters ever queued, and ever finished (written whole, or given up): a flush waits for a mark in between. */
  #queuedChars = 0;
  #doneChars = 0;
  /** Characters of the piece whose rest is in `#leftover`. */
  #leftoverChars = 0;

  constructor(fd: number, options: { chunkChars?: number; maxBufferedChars?: number; blockMs?: number } = {}) {
    this.fd = fd;
    this.#chunkChars = options.chunkChars ?? 65_536;
    this.#maxBufferedChars = options.maxBufferedChars ?? 16 * 1024 * 1024;
    this.#blockMs = options.blockMs ?? 1000;
    this.#pieceBytes = atomicWriteSize(fd);
    // A pipe inherited as stdout/stderr is in blocking mode until Node opens its stream, which
    // sets O_NONBLOCK: without this, a reader that stops reading froze the whole process in writeSync.
    if (fd === 1) void process.stdout;
    else if (fd === 2) void process.stderr;
  }

  /** Queues `text` (one or more whole lines). Never throws, never blocks on a full pipe (but see `blockMs`). */
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
    this.#accepted++;
    this.#queuedChars += text.length;
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

  /** Lines accepted and not yet (completely) written. */
  get pendingLines(): number {
    let n = countLines(this.#current);
    const leftover = this.#leftover;
    if (leftover !== undefined) for (let i = leftover.indexOf(10); i !== -1; i = leftover.indexOf(10, i + 1)) n++;
    return n;
  }

  /** Lines completely handed to the kernel. */
  get written(): number {
    return this.#accepted - this.#lost - this.pendingLines;
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

  #cancelRetry(): void {
    if (this.#retryTimer === undefined) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  /**
   * Writes everything now. With `block`, waits out EAGAIN until `deadline`
   * (epoch ms). Returns 'done', 'again' (would block) or 'closed'.
   */
  #drain(block: boolean, deadline = Infinity): 'done' | 'again' | 'closed' {
    for (;;) {
      if (this.#closed) return 'closed';
      const data = this.#leftover ?? this.#nextPiece();
      if (data === undefined) return 'done';
      try {
        this.#consume(data, typeof data === 'string' ? writeSync(this.fd, data) : writeSync(this.fd, data));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          if (!block || Date.now() >= deadline) return 'again';
          sleep(1);
          continue;
        }
        this.#close(code ?? 'error');
        return 'closed';
      }
    }
  }

  /** The next piece of `#current` to write: whole lines, at most `#pieceBytes` bytes unless one line is longer. */
  #nextPiece(): string | undefined {
    const text = this.#current;
    if (text.length === 0) return undefined;
    const limit = this.#pieceBytes;
    if (text.length <= limit && (limit === Infinity || Buffer.byteLength(text, 'utf8') <= limit)) return text;
    let end = text.lastIndexOf('\n', limit - 1);
    // A UTF-16 unit is at most 3 bytes: a third of the limit in characters always fits.
    if (end !== -1 && Buffer.byteLength(text.slice(0, end + 1), 'utf8') > limit) end = text.lastIndexOf('\n', Math.floor(limit / 3) - 1);
    if (end === -1) end = text.indexOf('\n'); // one line longer than a piece: it may be cut, and is finished later
    return end === -1 ? text : text.slice(0, end + 1);
  }

  #consume(data: Buffer | string, written: number): void {
    if (typeof data !== 'string') {
      this.#leftover = written >= data.length ? undefined : data.subarray(written);
      if (this.#leftover === undefined) this.#doneChars += this.#leftoverChars;
      return;
    }
    this.#current = this.#current.length === data.length ? '' : this.#current.slice(data.length);
    // Partial writes only happen for a line longer than a piece (or an unknown kind of descriptor).
    if (written < data.length || written < Buffer.byteLength(data, 'utf8')) {
      this.#leftover = Buffer.from(data, 'utf8').subarray(written);
      this.#leftoverChars = data.length;
    } else this.#doneChars += data.length;
  }

  #close(code: string): void {
    this.#closed = true;
    const lost = this.#giveUp();
    diagnose('STDOUT_CLOSED', `fd ${this.fd} failed with ${code}; logging to it stops (${lost} lines lost)`);
  }

  /** Counts everything still buffered as dropped and forgets it; returns how many lines that was. */
  #giveUp(): number {
    const lost = this.pendingLines;
    this.dropped += lost;
    this.#lost += lost;
    this.#doneChars = this.#queuedChars;
    this.#current = '';
    this.#leftover = undefined;
    return lost;
  }

  /**
   * Writes what it can within `waitMs` (a record at FATAL), keeping the rest
   * for later: nothing is discarded. Returns true when nothing is left.
   * Never throws.
   */
  writeThrough(waitMs: number): boolean {
    this.#cancelRetry();
    const result = this.#drain(true, Date.now() + waitMs);
    if (result === 'again') this.#scheduleRetry();
    return result === 'done';
  }

  /**
   * Writes everything synchronously, waiting out a full pipe for at most
   * `timeoutMs` (the exit flush); past it, a line already cut by the kernel
   * gets up to `tornLineGraceMs` more to be finished, then everything left is
   * counted as dropped. Returns true when nothing is left. Never throws.
   */
  flushSync(timeoutMs: number, tornLineGraceMs = TORN_LINE_GRACE_MS): boolean {
    this.#cancelRetry();
    let result = this.#drain(true, Date.now() + timeoutMs);
    if (result === 'again' && this.#leftover !== undefined) {
      // Finish the cut line only: a complete stream end matters more than the last few ms.
      const rest = this.#current;
      this.#current = '';
      result = this.#drain(true, Date.now() + tornLineGraceMs);
      this.#current = rest;
      if (result === 'done') result = this.#current.length > 0 ? 'again' : 'done';
    }
    if (result === 'again') {
      const lost = this.#giveUp();
      diagnose('STDOUT_TIMEOUT', `fd ${this.fd} did not drain before the exit deadline (${timeoutMs} ms were left); ${lost} lines lost`);
      return false;
    }
    return result === 'done';
  }

  /**
   * Writes everything buffered now, waiting (asynchronously) for a full pipe
   * to drain, at most `timeoutMs`. Lines queued meanwhile are written too
   * but not waited for, so a busy application cannot keep a flush from
   * settling. With `holdProcess` (default) the wait keeps the event loop
   * alive: whoever awaits the flush gets its answer, and a top-level
   * `await flush()` never ends as an unsettled await; without it the wait
   * is unref'd (the exit flush takes over if the process ends). Never rejects.
   */
  async flush(timeoutMs = 10_000, holdProcess = true): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const mark = this.#queuedChars;
    while (this.#doneChars < mark && !this.#closed) {
      if (this.#drain(false) !== 'again') break;
      if (this.#doneChars >= mark || Date.now() >= deadline) break;
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 2);
        if (!holdProcess) timer.unref();
      });
    }
  }
}

/** Extra time, past the deadline, for finishing a line the kernel cut (only lines longer than a piece). */
export const TORN_LINE_GRACE_MS = 100;

/** The largest write the kernel takes whole or not at all, for `fd` (see the class comment). */
function atomicWriteSize(fd: number): number {
  try {
    const stat = fstatSync(fd);
    if (stat.isFIFO()) return 4096;
    if (stat.isSocket()) return 32_768;
  } catch {
    // not a descriptor we can inspect: write as it comes
  }
  return Infinity;
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
