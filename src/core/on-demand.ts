import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Where logbridge's own files are, and loading its modules on demand.
 *
 * Built, logbridge is a bundle (docs/architecture.md, "Build"): each entry
 * point and each module loaded on demand is one file in dist/, and the code
 * they share sits in dist/chunks/. Code therefore cannot find a sibling
 * module from its own `import.meta.url` (it may run from an entry file or
 * from a chunk, at no fixed depth). It names the module by its path in src/
 * (`'sinks/otlp.ts'`) instead, and this module finds the directory: src/
 * when logbridge runs from its sources (the tests), dist/ when it is built.
 */
const HERE = import.meta.url;
const FROM_SOURCE = HERE.endsWith('.ts');
const OWN_DIR = FROM_SOURCE ? '/src/' : '/dist/';

const AT = HERE.lastIndexOf(OWN_DIR);

/**
 * The package's root directory (the one holding src/ and dist/), as a URL. Copied
 * elsewhere (an application's own bundle), the code's own directory: importing
 * never throws; only what loads by name then fails, when it is asked for.
 */
export const PACKAGE_ROOT = AT === -1 ? new URL('./', HERE) : new URL(HERE.slice(0, AT + 1));

/** The file of one of our modules, `path` being its place in src/ (`'otel/otlp/exit-sender.ts'`): the source or its built twin. */
export function ownFile(path: string): URL {
  return new URL(FROM_SOURCE ? `src/${path}` : `dist/${path.replace(/\.ts$/, '.js')}`, PACKAGE_ROOT);
}

/**
 * Loads one of logbridge's own modules synchronously, the first time a caller
 * needs it, so that what the default stdout path never uses (the OTLP sink,
 * the other line encoders, the OTel mapping) stays out of `import 'logbridge'`.
 * Measured: those 23 modules cost about 3 MiB of RSS at import, and the
 * objects their loading left in the young generation made V8 double it once
 * more in the stdout benchmark (peak RSS ~3 MiB higher); docs/performance.md.
 *
 * Synchronous on purpose: the callers (`createOtlpSink`, `configure`,
 * `createPrettyEncoder`, ...) are synchronous, and a sink must be whole, its
 * exit path included, the moment it exists. It uses Node's `require()` of an
 * ES module (no top-level await anywhere in src/, so it never throws
 * ERR_REQUIRE_ASYNC_MODULE); a module already loaded by `import` is the same
 * instance, and so are the chunks a built module shares with the rest.
 *
 * `path` is the module's place in src/ (`'encoders/pretty.ts'`); built, it must
 * be an entry point of the bundle (package.json's build script; a test checks
 * it). test/architecture/layers.test.ts reads these calls as imports
 * (layering and cycles). Throws what the module's loading throws (a missing
 * file is a packaging bug, not a runtime condition).
 */
export function loadOnDemand<T>(path: string): T {
  return createRequire(HERE)(fileURLToPath(ownFile(path))) as T;
}
