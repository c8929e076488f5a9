import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLevelFile, fromLoggerConfigurator } from '../../src/config/live-levels.ts';
import { parseLines, ROOT, runNode, SRC_INDEX } from '../helpers/run-node.ts';

const dir = mkdtempSync(join(tmpdir(), 'logbridge-live-'));
let n = 0;
function file(content: string, ext = '.txt'): string {
  const path = join(dir, `f${++n}${ext}`);
  writeFileSync(path, content);
  return path;
}

/** Child script prelude: logbridge from the sources, a helper that waits until the level rules change. */
const PRELUDE = `
import { writeFileSync } from 'node:fs';
import { configure, getLogger, getLevel } from ${JSON.stringify(SRC_INDEX)};
const log = getLogger('orders.db');
async function until(test, ms = 5000) {
  const end = Date.now() + ms;
  while (!test() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}
`;

const CONFIG_YAML = (level: string) => `file_format: "1.0"
logger_provider:
  processors:
    - simple:
        exporter:
          console: {}
  logger_configurator/development:
    default_config:
      minimum_severity: ${level}
    loggers:
      - name: orders.*
        config:
          minimum_severity: debug
          trace_based: true
`;

describe('live levels (src/config/live-levels.ts)', () => {
  describe('parseLevelFile()', () => {
    it('reads bare level rules and named settings, with comments', () => {
      const parsed = parseLevelFile('# levels\ninfo,db=debug\nthrottle: 10/1s  # storms\ntrace-based: warn\ndebug-buffer: trace\n');
      assert.deepEqual(parsed, { ok: true, value: { level: 'info,db=debug', throttle: '10/1s', traceBased: 'warn', debugBuffer: 'trace' } });
    });

    it('refuses the whole file for one bad line, saying which', () => {
      const parsed = parseLevelFile('info\nthrottle: lots\n');
      assert.equal(parsed.ok, false);
      assert.match(!parsed.ok ? parsed.problem : '', /^line 2: invalid throttle limit "lots"/);
      assert.match(String(!parsed.ok && parsed.problem), /./);
      const unknown = parseLevelFile('colour: red');
      assert.match(!unknown.ok ? unknown.problem : '', /unknown setting "colour"/);
      const level = parseLevelFile('info,db=loud');
      assert.match(!level.ok ? level.problem : '', /unknown level "loud"/);
    });
  });

  describe('fromLoggerConfigurator()', () => {
    it('maps enabled, minimum_severity and trace_based per pattern', () => {
      assert.deepEqual(fromLoggerConfigurator({
        default_config: { minimum_severity: 'warn', trace_based: false },
        loggers: [
          { name: 'orders.*', config: { minimum_severity: 'debug2', trace_based: true } },
          { name: 'noisy', config: { enabled: false } },
        ],
      }), { level: 'warn,orders.*=info,noisy=off', traceBased: 'off,orders.*=on' });
    });
  });

  describe('in a running process (child processes)', function () {
    this.timeout(30_000);

    it('applies an edited level file while the process runs, and logs the change once', async () => {
      const path = file('info\n');
      const result = await runNode(`${PRELUDE}
log.debug('before');
writeFileSync(${JSON.stringify(path)}, 'info,orders=debug\\nthrottle: 5/1s\\n');
await until(() => getLevel() !== 'info');
log.debug('after');
`, { env: { LOGBRIDGE_LEVEL_FILE: path, LOGBRIDGE_LEVEL_FILE_INTERVAL_MS: '30', LOGBRIDGE_FORMAT: 'json' } });
      assert.equal(result.code, 0, result.stderr);
      const lines = parseLines(result.stdout);
      assert.deepEqual(lines.map((l) => l.message), ['logging configuration changed (file change: ' + path + ')', 'after']);
      const change = lines[0]!;
      assert.equal(change.event_name, 'logbridge.config.changed');
      assert.match(String(change['logbridge.config.old']), /^level=info; throttle=off;/);
      assert.match(String(change['logbridge.config.new']), /^level=info,orders=debug; throttle=5\/1000ms;/);
    });

    it('keeps the rules in force when the file turns bad, and says why on stderr', async () => {
      const path = file('info,orders=debug\n');
      const result = await runNode(`${PRELUDE}
import { writeSync } from 'node:fs';
import { setDiagnosticSink } from ${JSON.stringify(join(ROOT, 'src/core/diagnostics.ts'))};
let said = false; // waits for the diagnostic itself, not a guess at how long a loaded machine takes
setDiagnosticSink((line) => { said ||= line.includes('INVALID_LEVEL_FILE'); writeSync(2, line); });
log.debug('one');
writeFileSync(${JSON.stringify(path)}, 'info,orders=chatty\\n');
await until(() => said, 15000);
log.debug('two');
`, { env: { LOGBRIDGE_LEVEL_FILE: path, LOGBRIDGE_LEVEL_FILE_INTERVAL_MS: '30', LOGBRIDGE_FORMAT: 'json' } });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(parseLines(result.stdout).map((l) => l.message), ['one', 'two']);
      assert.match(result.stderr, /logbridge: INVALID_LEVEL_FILE: LOGBRIDGE_LEVEL_FILE=".*" not applied \(line 1: unknown level "chatty"\); the rules in force stay/);
    });

    it('re-reads the file on SIGHUP when turned on, and the process lives on', async () => {
      const path = file('info\n');
      const result = await runNode(`${PRELUDE}
writeFileSync(${JSON.stringify(path)}, 'debug\\n');
log.debug('not yet: the watch is slow');
process.kill(process.pid, 'SIGHUP');
await until(() => getLevel() === 'debug');
log.debug('after SIGHUP');
`, { env: { LOGBRIDGE_LEVEL_FILE: path, LOGBRIDGE_LEVEL_FILE_INTERVAL_MS: '3600000', LOGBRIDGE_RELOAD_ON_SIGHUP: 'true', LOGBRIDGE_FORMAT: 'json' } });
      assert.equal(result.signal, null);
      assert.equal(result.code, 0, result.stderr);
      const lines = parseLines(result.stdout);
      assert.deepEqual(lines.map((l) => l.message), ['logging configuration changed (SIGHUP)', 'after SIGHUP']);
    });

    it('leaves SIGHUP alone unless turned on', async () => {
      const path = file('info\n');
      const result = await runNode(`${PRELUDE}
log.info('started');
process.kill(process.pid, 'SIGHUP');
await new Promise((r) => setTimeout(r, 2000));
log.info('survived');
`, { env: { LOGBRIDGE_LEVEL_FILE: path, LOGBRIDGE_FORMAT: 'json' } });
      assert.ok(!result.stdout.includes('survived'));
      assert.ok(result.signal === 'SIGHUP' || result.code !== 0, `ended by SIGHUP (${result.signal}/${result.code})`);
    });

    it('honours OTEL_CONFIG_FILE\'s logger_configurator and reloads it the same way', async () => {
      const path = file(CONFIG_YAML('warn'), '.yaml');
      const result = await runNode(`${PRELUDE}
configure();
getLogger('billing').info('hidden: the default is warn');
log.debug('orders.* is at debug');
writeFileSync(${JSON.stringify(path)}, ${JSON.stringify(CONFIG_YAML('info'))});
process.kill(process.pid, 'SIGHUP');
await until(() => getLevel().startsWith('info'));
getLogger('billing').info('shown after the reload');
`, { env: { OTEL_CONFIG_FILE: path, LOGBRIDGE_RELOAD_ON_SIGHUP: 'true', LOGBRIDGE_LEVEL_FILE_INTERVAL_MS: '3600000', LOGBRIDGE_FORMAT: 'json' } });
      assert.equal(result.code, 0, result.stderr);
      const lines = parseLines(result.stdout);
      assert.deepEqual(lines.map((l) => l.message), ['orders.* is at debug', 'logging configuration changed (SIGHUP)', 'shown after the reload']);
      assert.match(String(lines[1]!['logbridge.config.new']), /trace-based=off,orders\.\*=on/);
    });
  });
});
