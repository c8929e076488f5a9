import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SRC_INDEX } from '../helpers/run-node.ts';
import { createFormatEncoder, resolveFormat } from '../../src/encoders/format.ts';
import { LogbridgeError } from '../../src/core/errors.ts';
import { ENV, readEnv } from '../../src/config/env.ts';
import { makeRecord } from './record-fixture.ts';

describe('resolveFormat()', () => {
  it('returns an explicit format as it is', () => {
    assert.equal(resolveFormat('logfmt', 1, {}), 'logfmt');
  });

  it('gives json for auto when the descriptor is not a TTY', () => {
    assert.equal(resolveFormat('auto', 99, {}), 'json');
  });

  it('gives json for auto under NODE_ENV=production', () => {
    assert.equal(resolveFormat('auto', 99, { NODE_ENV: 'production' }), 'json');
  });
});

describe('createFormatEncoder()', () => {
  it('makes the encoder of each format', () => {
    const record = makeRecord();
    assert.ok(createFormatEncoder('json')(record).startsWith('{"timestamp":'));
    assert.ok(createFormatEncoder('pretty', { env: { NO_COLOR: '1' } })(record).startsWith('09:14:03.123 INFO'));
    assert.ok(createFormatEncoder('logfmt')(record).startsWith('timestamp='));
    assert.ok(createFormatEncoder('otlp-json')(record).startsWith('{"resourceLogs":'));
  });

  it('throws LOGBRIDGE_ERR_INVALID_CONFIG for an unknown format', () => {
    assert.throws(() => createFormatEncoder('yaml' as 'json'),
      (e: unknown) => e instanceof LogbridgeError && e.code === 'LOGBRIDGE_ERR_INVALID_CONFIG');
  });
});

describe('ENV.format', () => {
  it('accepts every format name and auto, in any case', () => {
    for (const name of ['json', 'pretty', 'logfmt', 'otlp-json', 'auto']) {
      assert.equal(readEnv(ENV.format, { LOGBRIDGE_FORMAT: name.toUpperCase() }), name);
    }
  });

  it('defaults to auto', () => {
    assert.equal(readEnv(ENV.format, {}), 'auto');
  });
});

describe('LOGBRIDGE_FORMAT=auto (child process on a pseudo-terminal)', () => {
  const hasScript = spawnSync('script', ['--version']).status === 0;
  const source = `import { getLogger } from ${JSON.stringify(SRC_INDEX)}; getLogger('tty').info('hello', { n: 1 });`;

  /** Runs the script with stdout on a pseudo-terminal (util-linux `script`) and returns what the terminal got. */
  function onTty(env: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'logbridge-tty-'));
    const file = join(dir, 'app.ts');
    writeFileSync(file, source);
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');
    const result = spawnSync('script', ['-qec', `env -u NO_COLOR -u FORCE_COLOR -u LOGBRIDGE_FORMAT -u NODE_ENV TERM=xterm-256color ${assignments} "${process.execPath}" "${file}"`, '/dev/null'],
      { encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout.replaceAll('\r\n', '\n');
  }

  it('writes coloured pretty lines on a TTY', function () {
    if (!hasScript) this.skip();
    const out = onTty({});
    assert.match(out, /\x1b\[32mINFO \x1b\[0m \x1b\[35mtty\x1b\[0m: hello/);
  });

  it('writes pretty lines without colour on a TTY when NO_COLOR is set', function () {
    if (!hasScript) this.skip();
    assert.match(onTty({ NO_COLOR: '1' }), /^\d\d:\d\d:\d\d\.\d{3} INFO  tty: hello n=1\n$/);
  });

  it('writes JSON lines on a TTY under NODE_ENV=production, and with LOGBRIDGE_FORMAT=json', function () {
    if (!hasScript) this.skip();
    for (const env of [{ NODE_ENV: 'production' }, { LOGBRIDGE_FORMAT: 'json' }] as Array<Record<string, string>>) {
      const line = JSON.parse(onTty(env)) as Record<string, unknown>;
      assert.equal(line.message, 'hello');
    }
  });
});
