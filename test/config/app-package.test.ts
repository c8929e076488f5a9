import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findApplicationPackage } from '../../src/config/app-package.ts';

describe('findApplicationPackage()', () => {
  const argv1 = process.argv[1];
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'logbridge-app-'));
  });
  afterEach(() => {
    process.argv[1] = argv1!;
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the name and version npm sets', () => {
    assert.deepEqual(findApplicationPackage({ npm_package_name: 'shop', npm_package_version: '1.2.3' }), { name: 'shop', version: '1.2.3' });
    assert.deepEqual(findApplicationPackage({ npm_package_name: 'shop' }), { name: 'shop' });
  });

  it('otherwise finds the nearest package.json above the main script', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'inventory', version: '0.4.0' }));
    mkdirSync(join(dir, 'dist/bin'), { recursive: true });
    process.argv[1] = join(dir, 'dist/bin/main.js');
    assert.deepEqual(findApplicationPackage({}), { name: 'inventory', version: '0.4.0' });
  });

  it('gives nothing for a package.json without a name, or none within five levels', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '1.0.0' }));
    process.argv[1] = join(dir, 'main.js');
    assert.equal(findApplicationPackage({}), undefined);
    const deep = join(dir, 'a/b/c/d/e/f');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'too-far' }));
    process.argv[1] = join(deep, 'main.js');
    assert.equal(findApplicationPackage({}), undefined);
  });
});
