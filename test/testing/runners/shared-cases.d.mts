// Types of shared-cases.mjs (plain JavaScript so that Jest, without a transform, runs it too).
/** The messages the cases write to stdout, for the parent test to find in the runner's output. */
export declare const MARKERS: readonly [string, string];
/** Registers the shared cases with the runner's `test`/`it`. */
export declare function defineCases(
  test: (name: string, fn: () => Promise<void> | void) => unknown,
  lib: Pick<typeof import('../../../src/index.ts'), 'getLogger' | 'withRequestContext' | 'configure'>,
  testing: typeof import('../../../src/testing/index.ts'),
): void;
