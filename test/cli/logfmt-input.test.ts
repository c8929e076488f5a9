import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { parseLogfmtLine } from '../../src/cli/logfmt-input.ts';
import { runViewer } from '../../src/cli/run-viewer.ts';
import { PassThrough } from 'node:stream';
import { runNode, SRC_INDEX } from '../helpers/run-node.ts';

async function viewHere(args: string[], input: string): Promise<string[]> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const out: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stdin.end(input);
  await runViewer(args, { stdin, stdout, stderr: new PassThrough(), env: { NO_COLOR: '1' } });
  return Buffer.concat(out).toString().split('\n').filter((l) => l !== '');
}

const PRODUCER = `
import { getLogger, withRequestContext } from ${JSON.stringify(SRC_INDEX)};
const api = getLogger('orders.api');
console.log('plain console text');
withRequestContext({ requestId: 'req-42' }, () => {
  api.info('order placed', { orderId: 42, user: { id: 7, tags: ['a b'] } });
  api.warn('slow "quoted" path', { ms: 812 });
});
api.error('payment failed', new Error('card declined'));
`;

describe('parseLogfmtLine()', () => {
  it('reads bare and quoted values, with JSON escapes and quoted JSON', () => {
    assert.deepEqual({ ...parseLogfmtLine('timestamp=t level=INFO message="a \\"b\\"\\nc" n=1 o="{\\"k\\":[1]}"') },
      { timestamp: 't', level: 'INFO', message: 'a "b"\nc', n: '1', o: { k: [1] } });
  });

  it('is not fooled by prose or by pairs without a level and a message or time', () => {
    assert.equal(parseLogfmtLine('Server listening on port=3000'), undefined);
    assert.equal(parseLogfmtLine('a=1 b=2'), undefined);
    assert.equal(parseLogfmtLine('level=info message="unterminated'), undefined);
  });
});

describe('logbridge viewer over LOGBRIDGE_FORMAT=logfmt output', () => {
  let produced = '';
  before(async () => {
    const result = await runNode(PRODUCER, { env: { LOGBRIDGE_FORMAT: 'logfmt' } });
    assert.equal(result.code, 0, result.stderr);
    produced = result.stdout;
  });

  it('shows the records as pretty lines and passes other lines through', async () => {
    const lines = await viewHere([], produced);
    assert.equal(lines[0], 'plain console text');
    assert.match(lines[1]!, /^\d\d:\d\d:\d\d\.\d{3} INFO  orders\.api: order placed orderId=42 user=\{"id":7,"tags":\["a b"\]\} req=req-42$/);
    assert.match(lines[2]!, / WARN  orders\.api: slow "quoted" path ms=812 req=req-42$/);
    assert.match(lines[3]!, / ERROR orders\.api: payment failed$/);
    assert.equal(lines[4], '    Error: card declined');
  });

  it('keeps only records at or above --level', async () => {
    const lines = await viewHere(['--level', 'error'], produced);
    assert.deepEqual(lines.filter((l) => /^\d/.test(l)).map((l) => l.split(/ +/)[1]), ['ERROR']);
  });

  it('shows the records, and nothing else, with --only-logs', async () => {
    const lines = await viewHere(['--only-logs'], produced);
    assert.equal(lines.filter((l) => /^\d/.test(l)).length, 3);
    assert.ok(!lines.includes('plain console text'));
  });

  it('keeps the records of one request with -r', async () => {
    const lines = await viewHere(['-r', 'req-42', '--only-logs'], produced);
    assert.deepEqual(lines.map((l) => l.split(/ +/)[1]), ['INFO', 'WARN']);
  });
});

describe('logbridge viewer -r over pino-http style lines', () => {
  it('matches the req.id pino-http binds to every line of a request', async () => {
    let text = '';
    const sink = new Writable({ write(chunk, _enc, done) { text += chunk; done(); } });
    const root = pino({ name: 'http' }, sink);
    // What pino-http does: a child logger bound to the serialized request, id included.
    root.child({ req: { id: 1, method: 'GET', url: '/a' } }).info('request completed');
    root.child({ req: { id: 2, method: 'GET', url: '/b' } }).info('request completed');
    await new Promise((resolve) => setImmediate(resolve));
    const lines = await viewHere(['-r', '2'], text);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /url":"\/b".* req=2$/);
  });
});
