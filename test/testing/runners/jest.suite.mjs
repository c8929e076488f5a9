// Run with `node --experimental-vm-modules node_modules/jest/bin/jest.js --config test/testing/runners/jest.config.json`
// (see docs/testing.md). Jest runs its own module loader, not Node's type stripping: it imports the built package.
import { test } from '@jest/globals';
import * as lib from '../../../dist/index.js';
import * as testing from '../../../dist/testing/index.js';
import { defineCases } from './shared-cases.mjs';

defineCases(test, lib, testing);
