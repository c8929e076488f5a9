import assert from 'node:assert/strict';
import { volumeSettingsFrom } from '../../src/config/volume-controls.ts';
import { formatThrottleRules, formatTraceBasedRules, parseThrottleRules } from '../../src/config/volume-rules.ts';
import { setDiagnosticSink } from '../../src/core/diagnostics.ts';
import { configure, getLevel, LogbridgeError } from '../../src/index.ts';

function captureStderr(fn: () => void): string {
  const lines: string[] = [];
  setDiagnosticSink((line) => lines.push(line));
  try {
    fn();
  } finally {
    setDiagnosticSink(undefined);
  }
  return lines.join('');
}

describe('volumeSettingsFrom()', () => {
  it('reads every control from the environment', () => {
    const s = volumeSettingsFrom({
      LOGBRIDGE_DEBUG_BUFFER: 'trace', LOGBRIDGE_DEBUG_BUFFER_TRIGGER: 'warn', LOGBRIDGE_DEBUG_BUFFER_MAX_RECORDS: '50',
      LOGBRIDGE_THROTTLE: '10/1s,db=off', LOGBRIDGE_TRACE_BASED: 'warn', LOGBRIDGE_SOURCE_LOCATION: 'error',
    }, {});
    assert.deepEqual([s.debugBuffer?.level, s.debugBuffer?.trigger, s.debugBuffer?.maxRecords], [1, 13, 50]);
    assert.equal(formatThrottleRules(s.throttle), '10/1000ms,db=off');
    assert.equal(formatTraceBasedRules(s.traceBased), 'warn');
    assert.equal(s.sourceLocation, 17);
  });

  it('is all off by default', () => {
    const s = volumeSettingsFrom({}, {});
    assert.deepEqual([s.debugBuffer, formatThrottleRules(s.throttle), formatTraceBasedRules(s.traceBased), s.sourceLocation],
      [undefined, 'off', 'off', undefined]);
  });

  it('says on stderr which variable is bad and uses its default', () => {
    let s!: ReturnType<typeof volumeSettingsFrom>;
    const err = captureStderr(() => {
      s = volumeSettingsFrom({ LOGBRIDGE_THROTTLE: 'lots', LOGBRIDGE_DEBUG_BUFFER: 'loud', LOGBRIDGE_TRACE_BASED: 'maybe',
        LOGBRIDGE_SOURCE_LOCATION: 'everywhere', LOGBRIDGE_DEBUG_BUFFER_TRIGGER: 'off' }, {});
    });
    assert.match(err, /INVALID_ENV: LOGBRIDGE_THROTTLE="lots" is not valid; using the default "off"/);
    assert.match(err, /INVALID_ENV: LOGBRIDGE_DEBUG_BUFFER="loud" is not valid; using the default "off"/);
    assert.match(err, /INVALID_ENV: LOGBRIDGE_TRACE_BASED="maybe" is not valid/);
    assert.match(err, /INVALID_ENV: LOGBRIDGE_SOURCE_LOCATION="everywhere" is not valid/);
    assert.equal(s.debugBuffer, undefined);
    assert.equal(formatThrottleRules(s.throttle), 'off');
  });

  it('lets code options win over the environment', () => {
    const s = volumeSettingsFrom({ LOGBRIDGE_THROTTLE: '10/1s', LOGBRIDGE_DEBUG_BUFFER: 'debug' }, { throttle: false, debugBuffer: false });
    assert.equal(formatThrottleRules(s.throttle), 'off');
    assert.equal(s.debugBuffer, undefined);
  });
});

describe('configure() volume options', () => {
  after(() => configure({ sinks: [], level: 'info', env: {} }));

  it('throws LOGBRIDGE_ERR_INVALID_CONFIG for a bad option and changes nothing', () => {
    configure({ sinks: [], level: 'info', env: {} });
    for (const options of [{ throttle: '10 per second' }, { traceBased: 'sometimes' }, { debugBuffer: { maxRecords: 0 } },
      { sourceLocation: 'loud' as never }, { level: 'debug', debugBuffer: 'verbose' as never }]) {
      assert.throws(() => configure({ sinks: [], env: {}, ...options }),
        (e: unknown) => e instanceof LogbridgeError && e.code === 'LOGBRIDGE_ERR_INVALID_CONFIG', JSON.stringify(options));
    }
    assert.equal(getLevel(), 'info');
  });
});

describe('parseThrottleRules()', () => {
  it('takes ms, s, m and h windows and refuses what is not a limit', () => {
    const ok = parseThrottleRules('5/250ms,a=1/2m,b=3/1h');
    assert.ok(ok.ok);
    assert.equal(formatThrottleRules(ok.value), '5/250ms,a=1/120000ms,b=3/3600000ms');
    for (const bad of ['0/1s', '5', '5/0s', 'x=5/1d', '5/1s,bad name=1/1s']) assert.equal(parseThrottleRules(bad).ok, false, bad);
  });
});
