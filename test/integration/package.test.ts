import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, parseLines, runFile } from '../helpers/run-node.ts';

/**
 * The package as a new user gets it: `npm pack` (with its prepack build),
 * the tarball unpacked into a temporary app's node_modules as npm would,
 * its dependencies linked from this repository's node_modules (so the test
 * needs no network at all), then used from ESM, CommonJS and TypeScript
 * (nodenext and legacy `node` resolution), and its contents checked
 * (LICENSE, source maps, docs). `npm install ./logbridge-*.tgz` against the
 * registry gives the same tree; that needs the network, so it is not run here.
 */

const run = promisify(execFile);
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

function npm(args: string[], cwd: string) {
  // The npm on PATH, run by the Node running this test (its own shebang would pick whichever `node` is first).
  return run('npm', args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } });
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

const ESM_CONSUMER = `
import http from 'node:http';
import express from 'express';
import { getLogger, configure } from 'logbridge';
import { requestContext } from 'logbridge/express';
import { captureLogs } from 'logbridge/testing';

const app = express();
app.set('env', 'test');
app.use(requestContext({ accessLog: true }));
const api = express.Router();
api.get('/fail/:id', () => { throw new Error('boom'); });
app.use('/api', api);
const server = http.createServer(app);
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const sink = await captureLogs(async () => {
  await (await fetch('http://127.0.0.1:' + server.address().port + '/api/fail/7')).arrayBuffer();
});
server.close();
const access = sink.find('http.server.request')[0];
configure({ format: 'json' });
getLogger('esm').info('hello %s', 'esm', { route: access.allAttributes['http.route'], body: access.body });
`;

const CJS_CONSUMER = `
const { getLogger, configure } = require('logbridge');
const { requestContext } = require('logbridge/express');
const { MemorySink } = require('logbridge/testing');
configure({ format: 'json' });
getLogger('cjs').info('from commonjs', { middleware: typeof requestContext, sink: typeof MemorySink });
`;

const TS_CONSUMER = `
import { getLogger, type Logger } from 'logbridge';
import { requestContext } from 'logbridge/express';
import { captureLogs } from 'logbridge/testing';
import { StdoutLogRecordExporter } from 'logbridge/otel';

const log: Logger = getLogger('ts');
log.info('hello %s', 'ts');
log.child({}, { level: 'debug' }).debug('x');
// @ts-expect-error a number is no message
log.info(42);
void requestContext;
void captureLogs;
void StdoutLogRecordExporter;
`;

const TS_RESOLUTIONS = [['nodenext', 'nodenext'], ['legacy node', 'node']] as const;

/** Runs tsc over a TypeScript consumer of the installed package with `moduleResolution` (and its matching `module`). */
function typeCheck(app: string, resolution: 'nodenext' | 'node'): Promise<{ code: number; stdout: string }> {
  const dir = join(app, `ts-${resolution}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.ts'), TS_CONSUMER);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      module: resolution === 'node' ? 'commonjs' : 'nodenext', moduleResolution: resolution,
      target: 'es2022', strict: true, noEmit: true, types: ['node'],
    },
    files: ['index.ts'],
  }));
  return run(process.execPath, [TSC, '-p', dir], { cwd: dir }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code?: number; stdout?: string }) => ({ code: error.code ?? 1, stdout: error.stdout ?? '' }));
}

describe('the npm package (packed, installed offline into a new app)', function () {
  this.timeout(240_000);
  let work: string;
  let app: string;
  let installed: string;
  const typeChecks = new Map<string, Promise<{ code: number; stdout: string }>>();

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'logbridge-pack-'));
    const { stdout } = await npm(['pack', '--json', '--pack-destination', work], ROOT);
    const tarball = join(work, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const modules = join(app, 'node_modules');
    installed = join(modules, 'logbridge');
    mkdirSync(installed, { recursive: true });
    await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
    // Every installed package of ours (dependencies hoisted by npm, express and @types included) but logbridge itself.
    for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
      if (entry === 'logbridge' || entry === '.bin' || entry.startsWith('.')) continue;
      symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry), 'dir');
    }
    mkdirSync(join(modules, '.bin'));
    symlinkSync(join(installed, 'dist/cli/logbridge.js'), join(modules, '.bin/logbridge'));
    chmodSync(join(installed, 'dist/cli/logbridge.js'), 0o755); // as npm does for a package's bin
    // Both TypeScript checks start now and run side by side (each takes seconds); the tests await them.
    for (const [, resolution] of TS_RESOLUTIONS) typeChecks.set(resolution, typeCheck(app, resolution));
  });

  after(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('maps every subpath export in typesVersions, for legacy moduleResolution node', () => {
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      exports: Record<string, string | { types?: string }>; typesVersions: { '*': Record<string, string[]> };
    };
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (subpath === '.' || typeof target === 'string') continue;
      assert.deepEqual(pkg.typesVersions['*'][subpath.slice(2)], [target.types], subpath);
    }
  });

  it('ships the Apache-2.0 LICENSE', () => {
    assert.match(readFileSync(join(installed, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
  });

  it('ships the sources every source map points to', () => {
    const maps = filesUnder(join(installed, 'dist')).filter((f) => f.endsWith('.map'));
    assert.ok(maps.length > 0);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const target = resolve(dirname(map), source);
        if (!existsSync(target)) missing.push(`${relative(installed, map)} → ${source}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('has docs whose relative links and cited paths exist in the package', () => {
    const docs = [join(installed, 'README.md'), ...filesUnder(join(installed, 'docs')).filter((f) => f.endsWith('.md'))];
    const missing: string[] = [];
    for (const doc of docs) {
      const text = readFileSync(doc, 'utf8');
      for (const [, link] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(link!)) continue;
        if (!existsSync(resolve(dirname(doc), link!))) missing.push(`${relative(installed, doc)}: (${link})`);
      }
      // Paths cited in code spans are relative to the package root, unless the line says they are the repository's.
      for (const line of text.split('\n')) {
        if (line.includes('source repository')) continue;
        for (const [, path] of line.matchAll(/`((?:src|examples|docs|test|benchmarks)\/[\w./-]*\w)`/g)) {
          if (!existsSync(join(installed, path!))) missing.push(`${relative(installed, doc)}: \`${path}\``);
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  it('works from an ES module: the logger, printf messages and the Express route of a mounted, throwing route', async () => {
    writeFileSync(join(app, 'esm.mjs'), ESM_CONSUMER);
    const result = await runFile(join(app, 'esm.mjs'), { cwd: app });
    assert.equal(result.code, 0, result.stderr);
    const [line] = parseLines(result.stdout);
    assert.equal(line!.message, 'hello esm');
    assert.equal(line!.route, '/api/fail/:id');
    assert.equal(line!.body, 'GET /api/fail/:id 500');
  });

  it('works from CommonJS with require()', async () => {
    writeFileSync(join(app, 'cjs.cjs'), CJS_CONSUMER);
    const result = await runFile(join(app, 'cjs.cjs'), { cwd: app });
    assert.equal(result.code, 0, result.stderr);
    const [line] = parseLines(result.stdout);
    assert.equal(line!.message, 'from commonjs');
    assert.equal(line!.middleware, 'function');
    assert.equal(line!.sink, 'function');
  });

  for (const [label, resolution] of TS_RESOLUTIONS) {
    it(`type-checks a TypeScript consumer with moduleResolution ${label}, subpath imports included`, async () => {
      const result = await typeChecks.get(resolution)!;
      assert.equal(result.stdout, '');
      assert.equal(result.code, 0);
    });
  }

  it('installs the logbridge viewer command', async () => {
    const bin = join(app, 'node_modules/.bin/logbridge');
    const { stdout } = await run(bin, ['--help'], { cwd: app });
    assert.match(stdout, /^Usage: logbridge/);
  });
});
