import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configure, getLogger } from '../../src/index.ts';
import { MemorySink } from '../../src/testing/index.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import ts from 'typescript';
import { ROOT, runNode, runFile, parseLines } from '../helpers/run-node.ts';

const HERE = fileURLToPath(import.meta.url);

/** The 1-based line of this file holding `marker`. */
function lineOf(marker: string, file = HERE): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(marker) && !l.includes('lineOf('));
  assert.ok(index >= 0, marker);
  return index + 1;
}

describe('source location (src/core/source-location.ts)', () => {
  after(() => configure({ sinks: [], sourceLocation: false, env: {} }));

  it('points at the caller\'s file, line, column and function in TypeScript run directly', () => {
    const sink = new MemorySink();
    configure({ sinks: [sink], level: 'info', sourceLocation: true, env: {} });
    function placeOrder(): void {
      getLogger('shop').info('order placed'); // marker:info-call
    }
    placeOrder();
    const a = sink.records[0]!.attributes!;
    assert.equal(a['code.file.path'], HERE);
    assert.equal(a['code.line.number'], lineOf('marker:info-call'));
    assert.equal(a['code.column.number'], readFileSync(HERE, 'utf8').split('\n')[lineOf('marker:info-call') - 1]!.indexOf('getLogger') + 'getLogger(\'shop\').'.length + 1);
    assert.equal(a['code.function.name'], 'placeOrder');
  });

  it('works for events, children and expected errors alike', () => {
    const sink = new MemorySink();
    configure({ sinks: [sink], level: 'info', sourceLocation: true, env: {} });
    getLogger('shop').event('cart.updated'); // marker:event
    getLogger('shop').child({ k: 1 }).warn('w'); // marker:child
    getLogger('shop').expected(new Error('declined')); // marker:expected
    assert.deepEqual(sink.records.map((r) => r.attributes?.['code.line.number']),
      [lineOf('marker:event'), lineOf('marker:child'), lineOf('marker:expected')]);
  });

  it('adds it from the configured level up only', () => {
    const sink = new MemorySink();
    configure({ sinks: [sink], level: 'info', sourceLocation: 'warn', env: {} });
    getLogger('shop').info('no location');
    getLogger('shop').warn('location');
    assert.equal(sink.records[0]!.attributes?.['code.line.number'], undefined);
    assert.equal(typeof sink.records[1]!.attributes?.['code.line.number'], 'number');
  });

  it('lets a call attribute of the same name win', () => {
    const sink = new MemorySink();
    configure({ sinks: [sink], level: 'info', sourceLocation: true, env: {} });
    getLogger('shop').info('x', { 'code.function.name': 'mine' });
    assert.equal(sink.records[0]!.attributes?.['code.function.name'], 'mine');
  });

  it('points at the caller\'s line in compiled JS (dist/ from npm run build), from the environment', async function () {
    this.timeout(60_000);
    if (!existsSync(join(ROOT, 'dist/index.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT }); // `npm test` builds first
    const source = [
      `import { getLogger } from ${JSON.stringify(join(ROOT, 'dist/index.js'))};`,
      'function handle() {',
      '  getLogger("compiled").error("from compiled js");',
      '}',
      'handle();',
    ].join('\n');
    const result = await runNode(source, { ext: '.mjs', env: { LOGBRIDGE_SOURCE_LOCATION: 'on', LOGBRIDGE_FORMAT: 'json' } });
    assert.equal(result.code, 0, result.stderr);
    const [line] = parseLines(result.stdout);
    assert.match(String(line!['code.file.path']), /\.mjs$/);
    assert.ok(!String(line!['code.file.path']).includes('/dist/'));
    assert.equal(line!['code.line.number'], 3);
    assert.equal(line!['code.column.number'], 25); // where `error` begins
    assert.equal(line!['code.function.name'], 'handle');
  });

  it('follows the source map of a compiled TypeScript caller under --enable-source-maps', async function () {
    this.timeout(60_000);
    if (!existsSync(join(ROOT, 'dist/index.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT }); // `npm test` builds first
    // Type-only lines vanish from the JS, so the JS line differs from the TypeScript one.
    const source = [
      `import { getLogger } from ${JSON.stringify(join(ROOT, 'dist/index.js'))};`,
      'interface Order {',
      '  id: number;',
      '  total: number;',
      '}',
      'type Id = number;',
      'function place(order: Order): Id {',
      '  getLogger("mapped").warn("placed", { id: order.id });',
      '  return order.id;',
      '}',
      'place({ id: 1, total: 2 });',
    ].join('\n');
    const out = ts.transpileModule(source, {
      fileName: 'caller.ts',
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true },
    });
    const dir = join(ROOT, '.test-scripts', `source-map-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'caller.ts'), source);
    writeFileSync(join(dir, 'caller.mjs'), out.outputText.replace(/sourceMappingURL=caller\.js\.map/, 'sourceMappingURL=caller.mjs.map'));
    writeFileSync(join(dir, 'caller.mjs.map'), out.sourceMapText!.replace('"caller.js"', '"caller.mjs"'));
    assert.notEqual(out.outputText.split('\n').findIndex((l) => l.includes('warn(')) + 1, 8, 'the JS line differs');
    const result = await runFile(join(dir, 'caller.mjs'), {
      nodeArgs: ['--enable-source-maps'], env: { LOGBRIDGE_SOURCE_LOCATION: 'warn', LOGBRIDGE_FORMAT: 'json' },
    });
    assert.equal(result.code, 0, result.stderr);
    const [line] = parseLines(result.stdout);
    assert.equal(line!['code.file.path'], join(dir, 'caller.ts'));
    assert.equal(line!['code.line.number'], 8);
    assert.equal(line!['code.function.name'], 'place');
  });
});
