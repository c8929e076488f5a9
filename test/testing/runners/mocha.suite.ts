// Run with `mocha test/testing/runners/mocha.suite.ts` (see docs/testing.md).
import * as lib from '../../../src/index.ts';
import * as testing from '../../../src/testing/index.ts';
import { defineCases } from './shared-cases.mjs';

describe('logbridge/testing under mocha', () => {
  defineCases(it, lib, testing);
});
