import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, parseLines, runFile } from '../helpers/run-node.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';

/**
 * A request crossing two services: the demo (both services in one process,
 * real tracing SDK) and two separate processes talking over 127.0.0.1, with
 * and without a tracing SDK. Assertions are on real stdout lines.
 */

type Line = Record<string, unknown>;

/** An RFC 3339 timestamp with 6 fraction digits (logbridge's stdout), as nanoseconds since the epoch. */
function rfc3339Nanos(text: string): bigint {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{6})Z$/.exec(text);
  assert.ok(match, `not RFC 3339 with microseconds: ${text}`);
  return BigInt(Date.parse(match[1] + 'Z')) * 1_000_000n + BigInt(match[2]!) * 1000n;
}

function groupBy(lines: Line[], key: string): Map<unknown, Line[]> {
  const groups = new Map<unknown, Line[]>();
  for (const line of lines) {
    let group = groups.get(line[key]);
    if (group === undefined) groups.set(line[key], group = []);
    group.push(line);
  }
  return groups;
}

describe('two services (integration)', () => {
  describe('npm run demo (examples/demo.ts, with an OTLP endpoint)', () => {
    // One run serves every assertion below: stdout lines, and (OTEL_EXPORTER_OTLP_ENDPOINT
    // set) the same records received over OTLP by an independent decoder.
    let result: Awaited<ReturnType<typeof runFile>>;
    let lines: Line[];
    let receiver: OtlpReceiver;
    before(async function () {
      this.timeout(30_000);
      receiver = await startOtlpReceiver();
      result = await runFile(join(ROOT, 'examples/demo.ts'), {
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: undefined, LOGBRIDGE_FORMAT: undefined },
      });
      lines = parseLines(result.stdout);
    });
    after(() => receiver.close());

    it('exits 0 on its own, quickly', () => {
      assert.equal(result.code, 0, result.stderr);
      // About 1 s on an idle machine (most of it loading modules); the bound is
      // generous because test machines may be shared and loaded.
      assert.ok(result.ms < 15_000, `took ${result.ms} ms`);
    });

    it('gives every line a request.id and a trace_id', () => {
      assert.ok(lines.length >= 20, `${lines.length} lines`);
      for (const line of lines) {
        assert.equal(typeof line['request.id'], 'string', JSON.stringify(line));
        assert.match(String(line.trace_id), /^[0-9a-f]{32}$/);
      }
    });

    it('gives all lines of one request, in both services, one trace ID, and each request its own', () => {
      const groups = groupBy(lines, 'request.id');
      assert.equal(groups.size, 5);
      const traces = new Set<unknown>();
      for (const [id, group] of groups) {
        const scopes = new Set(group.map((l) => l.scope));
        assert.ok(scopes.has('shop') && scopes.has('inventory'), `${String(id)}: ${[...scopes].join(',')}`);
        assert.ok(scopes.has('shop.http') && scopes.has('inventory.http'), `${String(id)}: access logs`);
        const traceIds = new Set(group.map((l) => l.trace_id));
        assert.equal(traceIds.size, 1, `${String(id)} spans traces ${[...traceIds].join(',')}`);
        traces.add(group[0]!.trace_id);
      }
      assert.equal(traces.size, 5);
    });

    it('keeps incoming IDs, generates UUIDv7s otherwise, and joins the upstream trace', () => {
      const groups = groupBy(lines, 'request.id');
      assert.ok(groups.has('order-7f3a'));
      assert.ok(groups.has('order-9c1e'));
      const generated = [...groups.keys()].filter((id) => String(id).startsWith('order-') === false);
      assert.equal(generated.length, 3);
      for (const id of generated) assert.match(String(id), /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
      const upstream = lines.filter((l) => l.trace_id === '4bf92f3577b34da6a3ce929d0e0e4736');
      assert.ok(upstream.length >= 4);
    });

    it('also exports every record over OTLP, with the same request.id, trace ID and time (to the ns) as its stdout line', async () => {
      const records = await receiver.waitForRecords(lines.length);
      assert.equal(records.length, lines.length);
      const exported = new Set(records.map((r) => `${String(r.attributes['request.id'])} ${r.traceId} ${r.timeUnixNano} ${String(r.body)}`));
      for (const line of lines) {
        const key = `${String(line['request.id'])} ${String(line.trace_id)} ${rfc3339Nanos(String(line.timestamp))} ${String(line.message)}`;
        assert.ok(exported.has(key), `not exported: ${key}`);
      }
    });

    it('logs the expected failure at WARN in both services, and never writes the rejected ID', () => {
      const failed = groupBy(lines, 'request.id').get('order-9c1e')!;
      assert.ok(failed.some((l) => l.scope === 'inventory' && l.level === 'WARN'));
      assert.ok(failed.some((l) => l.scope === 'shop' && l.level === 'WARN' && l['exception.type'] === 'UnknownProductError' &&
        l['exception.expected'] === true && l['exception.stacktrace'] === undefined));
      assert.ok(failed.some((l) => l.scope === 'shop.http' && l['http.response.status_code'] === 404));
      assert.equal(result.stdout.includes('drop table'), false);
      assert.ok(lines.some((l) => l['request.id.rejected'] === true));
    });
  });

  describe('two processes', () => {
    const back = join(ROOT, 'test/integration/two-services/back.ts');
    const front = join(ROOT, 'test/integration/two-services/front.ts');

    async function startBack(env: Record<string, string>): Promise<{ child: ChildProcessWithoutNullStreams; url: string; stdout: () => string }> {
      const child = spawn(process.execPath, [back], { cwd: ROOT, env: { ...process.env, ...env } });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
      const port = await new Promise<string>((resolve, reject) => {
        let err = '';
        child.stderr.on('data', (chunk: Buffer) => {
          err += chunk.toString('utf8');
          const match = /PORT (\d+)/.exec(err);
          if (match !== null) resolve(match[1]!);
        });
        child.on('exit', () => reject(new Error(`back exited early: ${err}`)));
      });
      return { child, url: `http://127.0.0.1:${port}`, stdout: () => out };
    }

    async function run(withSdk: boolean, clientHeaders: Array<Record<string, string>>): Promise<{ front: Line[]; back: Line[] }> {
      const env = { WITH_SDK: withSdk ? '1' : '0', LOGBRIDGE_FORMAT: 'json', OTEL_EXPORTER_OTLP_ENDPOINT: '' };
      const server = await startBack(env);
      const closed = new Promise((resolve) => server.child.on('close', resolve));
      try {
        const result = await runFile(front, { env: { ...env, BACK_URL: server.url, CLIENT_HEADERS: JSON.stringify(clientHeaders) } });
        assert.equal(result.code, 0, result.stderr);
        server.child.stdin.end();
        await closed;
        return { front: parseLines(result.stdout), back: parseLines(server.stdout()) };
      } finally {
        server.child.kill();
      }
    }

    const TRACE = '0af7651916cd43dd8448eb211c80319c';
    const TRACEPARENT = `00-${TRACE}-b7ad6b7169203331-01`;

    it('without a tracing SDK, share request.id and the caller\'s trace ID (remote parent), or a generated ID', async () => {
      const { front, back } = await run(false, [{ 'x-request-id': 'cross-1', traceparent: TRACEPARENT }, {}]);
      assert.deepEqual(front.map((l) => l.message), ['front before', 'front after', 'front before', 'front after']);
      assert.deepEqual(back.map((l) => l.message), ['back work', 'back work']);
      for (const line of [front[0]!, front[1]!, back[0]!]) {
        assert.equal(line['request.id'], 'cross-1');
        assert.equal(line.trace_id, TRACE);
      }
      const generated = front[2]!['request.id'];
      assert.match(String(generated), /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
      for (const line of [front[2]!, front[3]!, back[1]!]) {
        assert.equal(line['request.id'], generated);
        assert.equal(line.trace_id, undefined);
      }
    });

    it('with a tracing SDK in both, share request.id and trace ID, each service with its own span', async () => {
      const { front, back } = await run(true, [{ traceparent: TRACEPARENT }]);
      const id = front[0]!['request.id'];
      for (const line of [...front, ...back]) {
        assert.equal(line['request.id'], id);
        assert.equal(line.trace_id, TRACE);
      }
      assert.notEqual(front[0]!.span_id, back[0]!.span_id);
      assert.notEqual(front[0]!.span_id, 'b7ad6b7169203331');
    });
  });
});
