import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/testing/runners/vitest.suite.ts'] },
});
