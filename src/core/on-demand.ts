import { createRequire } from 'node:module';

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
 * instance.
 *
 * `from` is the caller's `import.meta.url`; `path` is relative to it and
 * written as a static import would be (`./pretty.ts`): run from dist/, the
 * compiled `.js` twin is loaded. test/architecture/layers.test.ts reads these
 * calls as imports (layering and cycles). Throws what the module's loading
 * throws (a missing file is a packaging bug, not a runtime condition).
 */
export function loadOnDemand<T>(from: string, path: string): T {
  const target = from.endsWith('.ts') ? path : path.replace(/\.ts$/, '.js');
  return createRequire(from)(target) as T;
}
