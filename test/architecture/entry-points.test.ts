import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../helpers/run-node.ts';

/**
 * Every exported name is a semver promise. These lists pin what each entry
 * point of package.json `exports` offers, types included, so that adding or
 * removing a name is a conscious change: update the list, docs/architecture.md
 * ("Entry points") and CHANGELOG.md together.
 */
const PINNED: Record<string, readonly string[]> = {
  '.': [
    // loggers, levels, lifecycle
    'Logger', 'EventOptions', 'ExpectedErrorOptions', 'ChildOptions', 'MessageArguments', 'Thrown', 'log',
    'configure', 'getLogger', 'getLevel', 'setLevel', 'flush', 'shutdown', 'ConfigureOptions',
    'getVolumeStats', 'VolumeOptions', 'VolumeStats', 'DebugBufferOptions', 'DebugBufferStats', 'ThrottleStats',
    'SEVERITY', 'LevelName', 'Threshold', 'LogbridgeError', 'LogbridgeErrorCode',
    // request context and propagation
    'withRequestContext', 'getRequestContext', 'getRequestId', 'setRequestAttributes', 'addRequestAttributes', 'RequestContext',
    'generateRequestId', 'isValidRequestId',
    'parseTraceparent', 'getPropagationHeaders', 'injectPropagationHeaders', 'createPropagatingFetch', 'propagatingFetch',
    'RemoteParent', 'PropagationOptions', 'FetchLike', 'OutgoingMessageLike',
    'RequestIdSpanProcessor', 'AttributeSettable', 'SpanEventBridgeOptions',
    // errors and crashes
    'toExceptionInfo', 'ExceptionOptions', 'installCrashHandlers', 'uninstallCrashHandlers', 'CrashHandlerOptions',
    // sinks, encoders, processors
    'createStdoutSink', 'StdoutSinkOptions', 'createOtlpSink', 'CreateOtlpSinkOptions',
    'createJsonEncoder', 'JsonEncoderOptions', 'createPrettyEncoder', 'PrettyEncoderOptions',
    'createLogfmtEncoder', 'LogfmtEncoderOptions', 'createOtlpJsonEncoder', 'OtlpJsonEncoderOptions',
    'createRedactor', 'DEFAULT_REDACT_KEYS', 'Redactor', 'RedactOptions', 'RedactMode', 'RedactPatternName',
    'Sink', 'SinkStats', 'FlushOptions', 'Processor', 'Encoder', 'LogRecord', 'Attributes', 'Bindings', 'ExceptionInfo', 'TraceContext',
    'DEFAULT_LIMITS', 'Limits',
    // configuration
    'getEffectiveConfiguration', 'printConfiguration', 'EffectiveConfiguration', 'EffectiveVariable',
    'FormatChoice', 'FormatName', 'Env', 'OtlpProtocol',
  ],
  './testing': [
    'captureLogs', 'MemorySink', 'CapturedRecord',
    'testEncoder', 'testSink', 'CheckName', 'ConformanceFailure', 'ConformanceOptions', 'EncoderUnderTest', 'SinkUnderTest',
    'parseJsonLines', 'parseOtlpJsonLines', 'fromFlatRecord', 'fromOtlpRecord', 'fromCapturedRecord', 'RecordView', 'ExceptionView', 'OtlpRecordLike',
  ],
  './otel': ['StdoutLogRecordExporter', 'StdoutLogRecordExporterOptions'],
  './register': [],
  './node': ['requestContext', 'RequestContextOptions', 'AccessLogOptions', 'CanonicalLineOptions', 'NodeHandler'],
  './express': ['captureErrors', 'requestContext', 'RequestContextOptions', 'AccessLogOptions', 'CanonicalLineOptions', 'UNMATCHED_ROUTE'],
  './fastify': ['requestContext', 'RequestContextOptions', 'AccessLogOptions', 'CanonicalLineOptions'],
  './koa': ['requestContext', 'RequestContextOptions', 'AccessLogOptions', 'CanonicalLineOptions'],
  './hono': ['requestContext', 'RequestContextOptions', 'AccessLogOptions', 'CanonicalLineOptions'],
};

/** The source module of each entry point: `./dist/http/node.js` → `src/http/node.ts`. */
function entryPoints(): Map<string, string> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { default: string }> };
  const out = new Map<string, string>();
  for (const [entry, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue; // ./package.json
    out.set(entry, join(ROOT, target.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')));
  }
  return out;
}

/** Every name a module exports, values and types, as the compiler sees it. */
function exportedNames(files: string[]): Map<string, string[]> {
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2023,
    allowImportingTsExtensions: true, noEmit: true, skipLibCheck: true, types: ['node'],
  });
  const checker = program.getTypeChecker();
  return new Map(files.map((file) => {
    const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!);
    return [file, symbol === undefined ? [] : checker.getExportsOfModule(symbol).map((s) => s.name)];
  }));
}

describe('package entry points', function () {
  this.timeout(60_000);
  const entries = entryPoints();
  let names: Map<string, string[]>;
  before(() => {
    names = exportedNames([...entries.values()]);
  });

  it('has a pinned export list for every entry point in package.json', () => {
    assert.deepEqual([...entries.keys()].sort(), Object.keys(PINNED).sort());
  });

  for (const [entry, pinned] of Object.entries(PINNED)) {
    it(`'logbridge${entry.slice(1)}' exports exactly its pinned names`, () => {
      const file = entries.get(entry);
      assert.ok(file !== undefined, `${entry} is not in package.json exports`);
      assert.deepEqual([...names.get(file)!].sort(), [...pinned].sort());
    });
  }
});
