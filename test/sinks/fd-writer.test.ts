import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FdWriter } from '../../src/sinks/fd-writer.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';

/**
 * FdWriter against a real named pipe (FIFO) that nobody reads while the test
 * writes: the kernel's 64 KiB fill up, as with a stuck stdout reader. The
 * test then reads what the pipe holds.
 */

function openFifo(): { reader: number; writer: number; close: () => void } {
  const path = join(mkdtempSync(join(tmpdir(), 'logbridge-fifo-')), 'pipe');
  execFileSync('mkfifo', [path]);
  const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  return { reader, writer, close: () => { closeSync(writer); closeSync(reader); } };
}

function readAll(fd: number): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(65_536);
  for (;;) {
    let n = 0;
    try {
      n = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break;
      throw error;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

const line = (i: number): string => JSON.stringify({ seq: i, pad: 'z'.repeat(100 + (i * 37) % 200) }) + '\n';

describe('FdWriter', () => {
  let fifo: ReturnType<typeof openFifo>;
  beforeEach(() => {
    fifo = openFifo();
    setDiagnosticSink(() => {});
  });
  afterEach(() => {
    fifo.close();
    setDiagnosticSink(undefined);
  });

  describe('flushSync()', () => {
    it('leaves a pipe that is not read at a line boundary, and counts exactly the lines it could not write', () => {
      const writer = new FdWriter(fifo.writer);
      for (let i = 0; i < 3000; i++) writer.write(line(i));
      assert.equal(writer.flushSync(0, 0), false);
      const text = readAll(fifo.reader);
      assert.ok(text.length > 0 && text.endsWith('\n'), `ends with ${JSON.stringify(text.slice(-40))}`);
      const lines = text.split('\n').slice(0, -1);
      lines.forEach((l, i) => assert.equal((JSON.parse(l) as { seq: number }).seq, i));
      assert.equal(writer.written, lines.length);
      assert.equal(writer.dropped, 3000 - lines.length);
      assert.equal(writer.pending, false);
    });

    it('writes everything when the reader reads', () => {
      const writer = new FdWriter(fifo.writer);
      for (let i = 0; i < 100; i++) writer.write(line(i));
      assert.equal(writer.flushSync(1000), true);
      assert.equal(readAll(fifo.reader).split('\n').length - 1, 100);
      assert.deepEqual([writer.written, writer.dropped], [100, 0]);
    });
  });

  describe('writeThrough()', () => {
    it('gives up on a stuck reader after its wait, keeping every line for later', () => {
      const writer = new FdWriter(fifo.writer);
      for (let i = 0; i < 3000; i++) writer.write(line(i));
      const started = Date.now();
      assert.equal(writer.writeThrough(20), false);
      assert.ok(Date.now() - started < 1000);
      assert.equal(writer.dropped, 0);
      const left = writer.pendingLines;
      assert.ok(left > 0);
      // the reader comes back: what was kept goes out, whole and in order
      let text = '';
      for (let round = 0; round < 1000 && writer.pending; round++) {
        text += readAll(fifo.reader);
        writer.writeThrough(5);
      }
      text += readAll(fifo.reader);
      const seqs = text.split('\n').slice(0, -1).map((l) => (JSON.parse(l) as { seq: number }).seq);
      assert.deepEqual(seqs, Array.from({ length: 3000 }, (_, i) => i));
      assert.deepEqual([writer.written, writer.dropped], [3000, 0]);
    });
  });
});
