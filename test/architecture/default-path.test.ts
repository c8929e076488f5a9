import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { parseLines, SRC_INDEX } from '../helpers/run-node.ts';
import { modulesLoadedBy } from '../helpers/loaded-modules.ts';

/**
 * What `import 'logbridge'` loads on the default path (JSON lines to stdout):
 * the OTLP sink, the other encoders and the OTel mapping load on demand
 * (src/core/on-demand.ts), so a stdout-only program does not pay for them
 * (docs/performance.md, "Memory"). A child process records every module it
 * resolves (module.registerHooks sees `import` and `require` alike).
 */

const SRC = new URL('./', pathToFileURL(SRC_INDEX)).href;

/** Modules the default path must not load (relative to src/, or a package / builtin name). */
const NOT_ON_DEFAULT_PATH = [
  'sinks/otlp.ts', 'sinks/otlp-exit.ts', 'sinks/otlp-queue.ts', 'otel/otlp/send-sync.ts', 'otel/otlp/provider-sink.ts',
  'otel/mapping.ts', 'encoders/pretty.ts', 'encoders/logfmt.ts', 'encoders/otlp-json.ts',
  '@opentelemetry/sdk-logs', 'node:child_process', 'node:crypto', 'node:http',
];

/** The modules loaded after `body` ran with logbridge (src/) as `lb`, relative to src/ when ours; and stdout. */
async function loadedBy(body: string, env: Record<string, string | undefined> = {}): Promise<{ loaded: string[]; stdout: string }> {
  const { urls, stdout } = await modulesLoadedBy(SRC_INDEX, body, env);
  return { loaded: urls.map((u) => (u.startsWith(SRC) ? u.slice(SRC.length) : u)), stdout };
}

function matching(loaded: readonly string[], names: readonly string[]): string[] {
  return names.filter((name) => loaded.some((url) => url === name || url.includes(`/node_modules/${name}/`)));
}

describe('the default path (import, configure, one JSON line to stdout)', () => {
  it('loads neither the OTLP sink, the other encoders, the OTel mapping nor node:child_process/crypto/http', async () => {
    const { loaded, stdout } = await loadedBy(`
      lb.configure({ level: 'info' });
      lb.getLogger('app').child({ service: 'checkout' }).info('order placed', { orderId: 1 });
      await lb.flush();
    `);
    assert.equal(parseLines(stdout)[0]?.message, 'order placed');
    assert.ok(loaded.includes('core/logger.ts'), 'the hook sees our modules');
    assert.deepEqual(matching(loaded, NOT_ON_DEFAULT_PATH), []);
  });

  it('loads the pretty encoder when the format asks for it', async () => {
    const { loaded } = await loadedBy(`lb.configure({ format: 'pretty' }); lb.log.info('hello'); await lb.flush();`);
    assert.deepEqual(matching(loaded, ['encoders/pretty.ts']), ['encoders/pretty.ts']);
  });

  it('loads the OTLP sink and its exit path with the sink, before any record (the exit child\'s builtins wait for the exit)', async () => {
    const { loaded } = await loadedBy(`lb.configure({ otlp: { endpoint: 'http://127.0.0.1:9/v1/logs' } });`);
    assert.deepEqual(matching(loaded, ['sinks/otlp.ts', 'sinks/otlp-exit.ts', 'otel/otlp/send-sync.ts', 'node:child_process', 'node:v8']),
      ['sinks/otlp.ts', 'sinks/otlp-exit.ts', 'otel/otlp/send-sync.ts']);
  });
});
