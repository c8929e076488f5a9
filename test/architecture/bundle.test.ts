import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, parseLines, runNode } from '../helpers/run-node.ts';
import { startOtlpReceiver } from '../helpers/otlp-receiver.ts';
import { modulesLoadedBy } from '../helpers/loaded-modules.ts';

/**
 * The build (`npm run build`, docs/architecture.md "Build"): esbuild bundles
 * every entry point and every module loaded on demand into a file of its own
 * in dist/, and the code they share into dist/chunks/. `npm test` builds
 * first; these tests read and run that dist/.
 */

const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  exports: Record<string, string | { default?: string }>;
  bin: Record<string, string>;
};
const BUNDLED = PKG.scripts.bundle!.split(/\s+/).filter((w) => w.startsWith('src/'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

/** Paths in src/ that code loads by name at run time: `loadOnDemand('x.ts')` and `ownFile('x.ts')`. */
function namedAtRunTime(): string[] {
  return sourceFiles(join(ROOT, 'src')).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:loadOnDemand(?:<[^>]*>)?|ownFile)\(\s*'([^']+)'/g)].map((m) => m[1]!));
}

/** Our built files (relative to dist/) a child loads after running `body` with the built package as `lb`; and stdout. */
async function builtModulesLoadedBy(body: string): Promise<{ own: string[]; stdout: string }> {
  const dist = pathToFileURL(join(ROOT, 'dist/')).href;
  const { urls, stdout } = await modulesLoadedBy(join(ROOT, 'dist/index.js'), body, { LOGBRIDGE_FORMAT: 'json' });
  return { own: urls.filter((u) => u.startsWith(dist)).map((u) => u.slice(dist.length)), stdout };
}

describe('the built package (dist/, bundled)', function () {
  this.timeout(30_000);

  it('has an entry point of its own for every module loaded by name at run time', () => {
    const named = namedAtRunTime();
    assert.ok(named.includes('sinks/otlp.ts') && named.includes('otel/otlp/exit-sender.ts'), named.join(', '));
    const missing = named.filter((path) => !BUNDLED.includes(`src/${path}`) || !existsSync(join(ROOT, 'dist', path.replace(/\.ts$/, '.js'))));
    assert.deepEqual(missing, []);
  });

  it('builds every export and bin of package.json', () => {
    const targets = [...Object.values(PKG.exports).map((e) => (typeof e === 'string' ? e : e.default)), ...Object.values(PKG.bin)]
      .filter((t): t is string => t !== undefined && t.startsWith('./dist/'));
    assert.ok(targets.length >= 10);
    assert.deepEqual(targets.filter((t) => !existsSync(join(ROOT, t))), []);
    assert.deepEqual(targets.map((t) => `src/${relative('./dist', t).replace(/\.js$/, '.ts')}`).filter((s) => !BUNDLED.includes(s)), []);
  });

  it('loads a handful of files on the default path, and the OTLP sink only when one is made', async () => {
    const plain = await builtModulesLoadedBy(`lb.configure({ level: 'info' }); lb.log.info('built'); await lb.flush();`);
    assert.equal(parseLines(plain.stdout)[0]?.message, 'built');
    assert.ok(plain.own.includes('index.js'));
    // unbundled, this path loaded 76 of our modules
    assert.ok(plain.own.length <= 20, `${plain.own.length} files: ${plain.own.join(', ')}`);
    assert.ok(!plain.own.includes('sinks/otlp.js'));
    const otlp = await builtModulesLoadedBy(`lb.configure({ otlp: { endpoint: 'http://127.0.0.1:9/v1/logs' } });`);
    assert.ok(otlp.own.includes('sinks/otlp.js'), otlp.own.join(', '));
  });

  it('shares one runtime between its entry points: logbridge/testing captures what logbridge logs', async () => {
    const result = await runNode(`
      import { getLogger } from ${JSON.stringify(join(ROOT, 'dist/index.js'))};
      import { captureLogs } from ${JSON.stringify(join(ROOT, 'dist/testing/index.js'))};
      const sink = await captureLogs(() => getLogger('shared').info('caught', { n: 1 }));
      console.log(JSON.stringify(sink.records.map((r) => [r.body, r.attributes?.n])));
    `, { ext: '.mjs' });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout.trim().split('\n').at(-1)!), [['caught', 1]]);
  });

  it('sends what is queued at process.exit() through its own exit child (dist/otel/otlp/exit-sender.js)', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const result = await runNode(`
        import { getLogger } from ${JSON.stringify(join(ROOT, 'dist/index.js'))};
        for (let i = 0; i < 3; i++) getLogger('built.exit').info('queued', { seq: i });
        process.exit(0);
      `, { ext: '.mjs', env: { OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' } });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(receiver.records.map((r) => r.attributes.seq), [0, 1, 2]);
    } finally {
      await receiver.close();
    }
  });

  it('imports and writes lines when copied to a directory not named dist/ (an application\'s own bundle)', async () => {
    // inside the repository, so that its dependencies resolve from node_modules/
    const copy = join(ROOT, '.test-scripts', `copied-${process.pid}`, 'lib');
    cpSync(join(ROOT, 'dist'), copy, { recursive: true, filter: (f) => !f.endsWith('.d.ts') && !f.endsWith('.map') });
    const result = await runNode(`
      const lb = await import(${JSON.stringify(join(copy, 'index.js'))});
      lb.getLogger('copied').info('still here');
      await lb.flush();
    `, { ext: '.mjs', env: { OTEL_LOGS_EXPORTER: undefined, LOGBRIDGE_FORMAT: 'json' } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(parseLines(result.stdout)[0]?.message, 'still here');
  });
});
