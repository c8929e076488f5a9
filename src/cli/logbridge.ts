#!/usr/bin/env node
/**
 * The `logbridge` command: a log viewer. `node app.js | logbridge --level warn`.
 * Run `logbridge --help` for the options.
 */
import { runViewer } from './run-viewer.ts';

process.exitCode = await runViewer(process.argv.slice(2));
