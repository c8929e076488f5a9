import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode, parseLines, SRC_INDEX, ROOT } from '../helpers/run-node.ts';

const IMPORT = `import { log, getLogger, flush } from ${JSON.stringify(SRC_INDEX)};\n`;

describe('stdout sink (child processes)', () => {
  it('writes JSON lines at info and above with no configuration', async () => {
    const { stdout, stderr, code } = await runNode(`${IMPORT}
      log.debug('hidden');
      log.info('order placed', { orderId: 42 });
      getLogger('orders.db').warn('slow query', { ms: 1200 });
    `, { env: { LOGBRIDGE_LEVEL: undefined } });
    assert.equal(code, 0, stderr);
    const lines = parseLines(stdout);
    assert.equal(lines.length, 2);
    assert.equal(lines[0]!.message, 'order placed');
    assert.equal(lines[0]!.level, 'INFO');
    assert.equal(lines[0]!.severity_number, 9);
    assert.equal(lines[0]!.scope, 'default');
    assert.equal(lines[0]!.orderId, 42);
    assert.match(String(lines[0]!.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(lines[1]!.scope, 'orders.db');
    assert.equal(stderr, '');
  });

  it('delivers 100,000 lines, in order, when the program calls process.exit(0)', async () => {
    const { stdout, code } = await runNode(`${IMPORT}
      for (let i = 0; i < 100_000; i++) log.info('line', { seq: i });
      process.exit(0);
    `);
    assert.equal(code, 0);
    const lines = parseLines(stdout);
    assert.equal(lines.length, 100_000);
    lines.forEach((line, i) => assert.equal(line.seq, i));
  });

  it('delivers every line when the program simply returns', async () => {
    const { stdout, code } = await runNode(`${IMPORT}
      for (let i = 0; i < 30_000; i++) log.info('line', { seq: i });
      setTimeout(() => { for (let i = 30_000; i < 30_010; i++) log.info('late', { seq: i }); }, 5);
    `);
    assert.equal(code, 0);
    const lines = parseLines(stdout);
    assert.equal(lines.length, 30_010);
    assert.equal(lines.at(-1)!.seq, 30_009);
  });

  it('writes a fatal record through at once, so a hard kill right after loses nothing', async () => {
    const { stdout, signal } = await runNode(`${IMPORT}
      for (let i = 0; i < 1000; i++) log.info('before', { seq: i });
      log.fatal('dying', new Error('out of memory'));
      process.kill(process.pid, 'SIGKILL');
    `);
    assert.equal(signal, 'SIGKILL');
    const lines = parseLines(stdout);
    assert.equal(lines.length, 1001);
    assert.equal(lines.at(-1)!.level, 'FATAL');
    assert.equal(lines.at(-1)!['exception.message'], 'out of memory');
  });

  it('delivers lines logged right before process.exit(1)', async () => {
    const { stdout, code } = await runNode(`${IMPORT}
      log.info('starting');
      log.error('about to exit', { reason: 'config' });
      process.exit(1);
    `);
    assert.equal(code, 1);
    assert.deepEqual(parseLines(stdout).map((l) => l.message), ['starting', 'about to exit']);
  });

  it('reads level rules from LOGBRIDGE_LEVEL', async () => {
    const { stdout } = await runNode(`${IMPORT}
      getLogger('db').debug('db debug');
      getLogger('db.pool').trace('pool trace');
      getLogger('http').info('http info');
      getLogger('http').warn('http warn');
    `, { env: { LOGBRIDGE_LEVEL: 'warn,db=debug' } });
    assert.deepEqual(parseLines(stdout).map((l) => l.message), ['db debug', 'http warn']);
  });

  it('reports a bad LOGBRIDGE_LEVEL part once on stderr and keeps going', async () => {
    const { stdout, stderr, code } = await runNode(`${IMPORT}
      log.debug('shown');
    `, { env: { LOGBRIDGE_LEVEL: 'debug,db=loud' } });
    assert.equal(code, 0);
    assert.equal(parseLines(stdout).length, 1);
    const problems = stderr.trim().split('\n');
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /LOGBRIDGE_LEVEL.*"loud"/);
  });

  it('keeps lines whole through a slow pipe reader (backpressure)', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'logbridge-slow-'));
    const file = join(dir, 'burst.ts');
    // Touching process.stdout makes libuv set the pipe non-blocking, so the writer meets EAGAIN.
    writeFileSync(file, `${IMPORT}
      void process.stdout;
      const payload = 'x'.repeat(1000) + 'é✓';
      for (let i = 0; i < 20_000; i++) log.info('burst', { seq: i, payload });
    `);
    const child = spawn(process.execPath, [file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.stdout.on('data', (c: Buffer) => {
      chunks.push(c);
      if (chunks.length % 20 === 0) {
        child.stdout.pause();
        setTimeout(() => child.stdout.resume(), 20);
      }
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    const lines = parseLines(Buffer.concat(chunks).toString('utf8'));
    // A reader starved for over a second (a loaded machine) may cost lines; they must be counted.
    const dropped = Number(/stdout_unwritable: (\d+)/.exec(stderr)?.[1] ?? 0);
    assert.equal(lines.length + dropped, 20_000, stderr);
    assert.ok(dropped < 1000, `dropped ${dropped}`);
    let previous = -1;
    for (const line of lines) {
      assert.ok((line.seq as number) > previous, 'in order, no duplicates');
      previous = line.seq as number;
      assert.equal((line.payload as string).length, 1002);
    }
  });

  it('loads with require() from CommonJS, as an installed package', async () => {
    // An app directory with logbridge in node_modules (a link to this checkout's built package).
    const app = mkdtempSync(join(tmpdir(), 'logbridge-cjs-'));
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(ROOT, join(app, 'node_modules', 'logbridge'), 'dir');
    const { stdout, stderr, code } = await runNode(`
      const { log, getLogger } = require('logbridge');
      log.info('from commonjs', { ok: true });
      if (typeof getLogger !== 'function') process.exit(3);
    `, { ext: '.cjs', cwd: app, scriptDir: app });
    assert.equal(code, 0, stderr);
    assert.equal(parseLines(stdout)[0]!.message, 'from commonjs');
  });
});
