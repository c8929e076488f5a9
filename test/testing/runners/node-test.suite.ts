// Run with `node --test test/testing/runners/node-test.suite.ts` (see docs/testing.md).
import { test } from 'node:test';
import * as lib from '../../../src/index.ts';
import * as testing from '../../../src/testing/index.ts';
import { defineCases } from './shared-cases.mjs';

defineCases(test, lib, testing);
