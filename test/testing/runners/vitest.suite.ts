// Run with `vitest run --config test/testing/runners/vitest.config.ts` (see docs/testing.md).
import { test } from 'vitest';
import * as lib from '../../../src/index.ts';
import * as testing from '../../../src/testing/index.ts';
import { defineCases } from './shared-cases.mjs';

defineCases(test, lib, testing);
