import { configure } from './configure.ts';

/**
 * Zero-code start: `node --import logbridge/register app.js` configures
 * logbridge from the environment (OTEL_* and LOGBRIDGE_*, see
 * docs/configuration.md) before the application runs: stdout lines, plus
 * OTLP when an endpoint or `OTEL_LOGS_EXPORTER=otlp` says so, and delivery
 * of what is queued at exit. The application's own `configure()` call, if
 * any, replaces this one (code wins).
 */
configure();
