import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import pino from 'pino';
import winston from 'winston';
import { ROOT, SRC_INDEX, runNode } from '../helpers/run-node.ts';
import { runViewer } from '../../src/cli/run-viewer.ts';
import { DEFAULT_VIEWER_OPTIONS, viewLine } from '../../src/cli/viewer.ts';
import fc from 'fast-check';

const BIN = join(ROOT, 'src/cli/logbridge.ts');
const NO_COLOR_ENV = { NO_COLOR: '1', FORCE_COLOR: undefined };

interface Result { code: number | null; stdout: Buffer; stderr: string }

/** Runs the viewer as a child process, writing `input` to its stdin through a pipe. */
function view(args: string[], input: string | Buffer, env: Record<string, string | undefined> = NO_COLOR_ENV): Promise<Result> {
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  const child = spawn(process.execPath, [BIN, ...args], { env: merged as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }));
  });
}

/** Runs the viewer in this process (same code path as the bin, streams instead of fds), for the filter cases. */
async function viewHere(args: string[], input: string, env: Record<string, string | undefined> = NO_COLOR_ENV): Promise<Result> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  let err = '';
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => { err += c; });
  stdin.end(input);
  const code = await runViewer(args, { stdin, stdout, stderr, env });
  return { code, stdout: Buffer.concat(out), stderr: err };
}

/** Runs a producer script using logbridge (JSON format) and returns its stdout. */
async function produce(source: string): Promise<string> {
  const result = await runNode(source, { env: { LOGBRIDGE_FORMAT: 'json', LOGBRIDGE_LEVEL: 'trace' } });
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

/** Runs a producer with its stdout piped straight into the viewer's stdin. */
function produceAndView(source: string, args: string[]): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'logbridge-viewer-'));
  const script = join(dir, 'producer.ts');
  writeFileSync(script, source);
  const producer = spawn(process.execPath, [script], { env: { ...process.env, LOGBRIDGE_FORMAT: 'json', LOGBRIDGE_LEVEL: 'trace' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const viewer = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: [producer.stdout, 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  viewer.stdout.on('data', (c: Buffer) => out.push(c));
  viewer.stderr.on('data', (c: Buffer) => { err += c; });
  return new Promise((resolve, reject) => {
    viewer.on('error', reject);
    viewer.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
  });
}

const PRODUCER = `
import { getLogger, withRequestContext } from ${JSON.stringify(SRC_INDEX)};
const api = getLogger('orders.api');
const db = getLogger('orders.db');
const other = getLogger('ordersx');
api.debug('cache warm', { entries: 3 });
withRequestContext({ requestId: 'req-42' }, () => {
  api.info('order placed', { orderId: 42 });
  db.warn('slow query', { ms: 812 });
});
other.error('payment failed', new Error('card declined', { cause: new TypeError('bad cvc') }));
api.info('line one\\nFAKE 00:00:00.000 FATAL forged');
`;

describe('logbridge viewer (real child processes with pipes; filter cases in process)', () => {
  let produced = '';
  before(async () => {
    produced = await produce(PRODUCER);
  });

  it('shows real logbridge JSON output as pretty lines with stacks and causes', async () => {
    const { code, stdout, stderr } = await produceAndView(PRODUCER, []);
    assert.equal(code, 0, stderr);
    const lines = stdout.toString().split('\n');
    assert.match(lines[0]!, /^\d\d:\d\d:\d\d\.\d{3} DEBUG orders\.api: cache warm entries=3$/);
    assert.match(lines[1]!, /^\d\d:\d\d:\d\d\.\d{3} INFO  orders\.api: order placed orderId=42 req=req-42$/);
    assert.match(lines[2]!, / WARN  orders\.db: slow query ms=812 req=req-42$/);
    assert.match(lines[3]!, / ERROR ordersx: payment failed$/);
    assert.equal(lines[4], '    Error: card declined');
    assert.ok(lines.includes('    Caused by: TypeError: bad cvc'), stdout.toString());
    const forged = lines.filter((l) => l.includes('forged'));
    assert.equal(forged.length, 1);
    assert.match(forged[0]!, /INFO  orders\.api: line one\\nFAKE 00:00:00\.000 FATAL forged$/);
  });

  it('keeps only records at or above --level', async () => {
    const { stdout } = await viewHere(['--level', 'warn'], produced);
    const lines = stdout.toString().split('\n').filter((l) => /^\d/.test(l));
    assert.deepEqual(lines.map((l) => l.split(' ')[1]), ['WARN', 'ERROR']);
  });

  it('keeps a logger and those below it with --logger, not a name that merely starts alike', async () => {
    const { stdout } = await viewHere(['--logger', 'orders'], produced);
    const scopes = stdout.toString().split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split(/ +/)[2]);
    assert.deepEqual([...new Set(scopes)], ['orders.api:', 'orders.db:']);
  });

  it('keeps the records of one request with --request-id', async () => {
    const { stdout } = await viewHere(['-r', 'req-42'], produced);
    const lines = stdout.toString().trim().split('\n');
    assert.equal(lines.length, 2);
    assert.ok(lines.every((l) => l.endsWith('req=req-42')));
  });

  it('matches text case-insensitively with --grep', async () => {
    const { stdout } = await viewHere(['-g', 'SLOW'], produced);
    assert.equal(stdout.toString().trim().split('\n').length, 1);
    assert.match(stdout.toString(), /slow query/);
  });

  it('filters by trace ID or its 8-character prefix with --trace-id', async () => {
    const lines = [
      JSON.stringify({ timestamp: '2026-11-28T09:14:03.123456Z', level: 'INFO', severity_number: 9, scope: 'a', message: 'in trace', trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331', trace_flags: '01' }),
      JSON.stringify({ timestamp: '2026-11-28T09:14:03.123456Z', level: 'INFO', severity_number: 9, scope: 'a', message: 'other', trace_id: 'ffffffffffffffffffffffffffffffff' }),
      JSON.stringify({ timestamp: '2026-11-28T09:14:03.123456Z', level: 'INFO', severity_number: 9, scope: 'a', message: 'none' }),
    ].join('\n') + '\n';
    for (const id of ['0af7651916cd43dd8448eb211c80319c', '0AF76519']) {
      const { stdout } = await viewHere(['--trace-id', id], lines);
      assert.equal(stdout.toString(), '09:14:03.123 INFO  a: in trace trace=0af76519\n');
    }
  });

  it('passes non-JSON lines and JSON that is not a log record through byte for byte, and survives bad lines', async () => {
    const input = Buffer.concat([
      Buffer.from('plain text\r\n'),
      Buffer.from([0xff, 0xfe, 0x41, 0x0a]), // invalid UTF-8
      Buffer.from('{"truncated": \n'),
      Buffer.from('[1,2,3]\n'),
      Buffer.from('{"config":{"port":8080}}\n'),
      Buffer.from('{"level":"INFO","message":"still here","timestamp":"2026-11-28T09:14:03.123456Z","scope":"s"}\n'),
      Buffer.from('\x1b[31mraw escape kept\n'),
      Buffer.from('last line without newline'),
    ]);
    const { code, stdout, stderr } = await view([], input);
    assert.equal(code, 0);
    assert.equal(stderr, '');
    const expected = Buffer.concat([
      Buffer.from('plain text\r\n'), Buffer.from([0xff, 0xfe, 0x41, 0x0a]), Buffer.from('{"truncated": \n'), Buffer.from('[1,2,3]\n'), Buffer.from('{"config":{"port":8080}}\n'),
      Buffer.from('09:14:03.123 INFO  s: still here\n'), Buffer.from('\x1b[31mraw escape kept\n'), Buffer.from('last line without newline'),
    ]);
    assert.deepEqual(stdout, expected);
  });

  it('hides non-JSON lines with --only-logs', async () => {
    const { stdout } = await viewHere(['--only-logs'], 'noise\n{"level":"WARN","message":"m","scope":"s","timestamp":"x"}\n');
    assert.equal(stdout.toString(), 'x WARN  s: m\n');
  });

  it('reads pino lines and otlp-json lines', async () => {
    const pino = '{"level":50,"time":1795857243123,"pid":7,"hostname":"h","name":"app","msg":"boom","err":{"type":"Error","message":"x","stack":"Error: x\\n    at y"}}\n';
    const otlp = '{"resourceLogs":[{"resource":{"attributes":[]},"scopeLogs":[{"scope":{"name":"orders"},"logRecords":[{"timeUnixNano":"1795857243123456000","severityNumber":13,"severityText":"WARN","body":{"stringValue":"low stock"},"attributes":[{"key":"request.id","value":{"stringValue":"r-1"}},{"key":"sku","value":{"intValue":"7"}}],"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331"}]}]}]}\n';
    const { stdout } = await viewHere([], pino + otlp);
    assert.equal(stdout.toString(), [
      '09:14:03.123 ERROR app: boom pid=7 hostname=h',
      '    Error: x',
      '        at y',
      '09:14:03.123 WARN  orders: low stock sku=7 req=r-1 trace=0af76519',
      '',
    ].join('\n'));
  });

  it('reads real pino and winston JSON output', async () => {
    let text = '';
    const sink = new Writable({ write(chunk, _enc, done) { text += chunk; done(); } });
    const p = pino({ name: 'pino-app' }, sink);
    p.warn({ orderId: 1 }, 'from pino');
    p.error(new Error('pino boom'), 'pino failed');
    const w = winston.createLogger({ format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
      transports: [new winston.transports.Stream({ stream: sink })] });
    w.warn('from winston', { orderId: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    const { stdout } = await viewHere(['--level', 'warn'], text);
    const lines = stdout.toString().split('\n');
    assert.match(lines[0]!, /^\d\d:\d\d:\d\d\.\d{3} WARN  pino-app: from pino pid=\d+ hostname=\S+ orderId=1$/);
    assert.match(lines[1]!, / ERROR pino-app: pino failed/);
    assert.match(lines[2]!, /^    Error: pino boom$/);
    assert.ok(lines.some((l) => /^\d\d:\d\d:\d\d\.\d{3} WARN  from winston orderId=2$/.test(l)), stdout.toString());
  });

  it('reads the files given, reporting one it cannot read and going on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logbridge-viewer-'));
    const file = join(dir, 'app.log');
    writeFileSync(file, '{"level":"INFO","message":"from file","scope":"f","timestamp":"2026-11-28T09:14:03.123456Z"}\n');
    const { code, stdout, stderr } = await view([join(dir, 'missing.log'), file], '');
    assert.equal(code, 1);
    assert.match(stderr, /missing\.log/);
    assert.equal(stdout.toString(), '09:14:03.123 INFO  f: from file\n');
  });

  it('exits quietly with status 0 when piped to head', async function () {
    const dir = mkdtempSync(join(tmpdir(), 'logbridge-viewer-'));
    const file = join(dir, 'big.log');
    const line = '{"level":"INFO","message":"' + 'x'.repeat(200) + '","scope":"s","timestamp":"2026-11-28T09:14:03.123456Z"}\n';
    writeFileSync(file, line.repeat(40_000));
    const script = `set -o pipefail; "${process.execPath}" "${BIN}" "${file}" 2>"${dir}/err" | head -n 1 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c; });
    await new Promise((resolve) => child.on('close', resolve));
    assert.equal(out.trim(), '0');
    assert.equal(readFileSync(join(dir, 'err'), 'utf8'), '');
  });

  it('colours with FORCE_COLOR and never with NO_COLOR', async () => {
    const line = '{"level":"ERROR","severity_number":17,"message":"m","scope":"s","timestamp":"2026-11-28T09:14:03.123456Z"}\n';
    assert.ok((await viewHere([], line, { FORCE_COLOR: '1', NO_COLOR: undefined })).stdout.includes('\x1b[31mERROR'));
    assert.ok(!(await view([], line, { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout.includes('\x1b'));
    assert.ok((await viewHere(['--color'], line, { NO_COLOR: '1' })).stdout.includes('\x1b['));
  });

  it('prints usage for --help and exits 2 on an invalid level', async () => {
    const help = await viewHere(['--help'], '');
    assert.equal(help.code, 0);
    assert.match(help.stdout.toString(), /^Usage: logbridge/);
    const bad = await viewHere(['--level', 'loud'], '');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--level must be one of/);
  });
});

describe('logbridge bin (package)', () => {
  it('points package.json bin at the compiled entry, which has a shebang', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
    assert.equal(pkg.bin?.logbridge, './dist/cli/logbridge.js');
    assert.ok(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n'));
  });
});

describe('viewLine()', () => {
  it('never throws, and returns lines it cannot read byte for byte (property)', () => {
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.json().map((j) => new TextEncoder().encode(j)),
      fc.record({ level: fc.anything(), message: fc.anything(), timestamp: fc.anything(), scope: fc.anything(), 'exception.type': fc.anything() })
        .map((o) => new TextEncoder().encode(JSON.stringify(o) ?? ''))), (bytes) => {
      const line = Buffer.from(bytes.filter((b) => b !== 0x0a));
      const shown = viewLine(line, DEFAULT_VIEWER_OPTIONS, true);
      if (typeof shown !== 'string') assert.deepEqual(shown, Buffer.concat([line, Buffer.from('\n')]));
      else assert.ok(shown === '' || shown.endsWith('\n'));
    }), { numRuns: 300 });
  });
});
