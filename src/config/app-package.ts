import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ENV, readEnv, type Env } from './env.ts';

/**
 * The application's package name and version: from npm's environment
 * (`npm_package_name`), else the nearest package.json above the main
 * script (at most five levels up). `undefined` when not found cheaply.
 */
export function findApplicationPackage(env: Env): { name: string; version?: string } | undefined {
  const fromNpm = readEnv(ENV.npmPackageName, env);
  if (fromNpm !== '') {
    const version = readEnv(ENV.npmPackageVersion, env);
    return { name: fromNpm, ...(version !== '' ? { version } : {}) };
  }
  const main = process.argv[1];
  if (main === undefined || main === '') return undefined;
  let dir = dirname(main);
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (typeof pkg.name !== 'string' || pkg.name === '') return undefined;
      return { name: pkg.name, ...(typeof pkg.version === 'string' ? { version: pkg.version } : {}) };
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
  return undefined;
}
