import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultResource, detectResources, hostDetector, osDetector, processDetector } from '@opentelemetry/resources';
import { createResourceAttributes } from '../../src/otel/resource.ts';
import { findApplicationPackage } from '../../src/config/app-package.ts';
import { ROOT, runNode } from '../helpers/run-node.ts';
import { modulesLoadedBy } from '../helpers/loaded-modules.ts';

/** What the OpenTelemetry JS detectors report for this process, as the resource attributes they become. */
async function sdkDetected(): Promise<Record<string, unknown>> {
  const resource = defaultResource().merge(detectResources({ detectors: [hostDetector, osDetector, processDetector] }));
  await resource.waitForAsyncAttributes?.();
  return { ...resource.attributes };
}

const VERSION = (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string }).version;

describe('the OTLP resource (src/otel/resource.ts)', () => {
  it('has the host, OS and process attributes of the OpenTelemetry detectors, less the command line', async () => {
    const sdk = await sdkDetected();
    const ours = await createResourceAttributes({}, 'instance-1');
    const expected: Record<string, unknown> = { ...sdk, 'service.instance.id': 'instance-1' };
    delete expected['process.command_args'];
    delete expected['process.command_line'];
    const app = findApplicationPackage({}); // the test runner's package.json
    if (app !== undefined) Object.assign(expected, { 'service.name': app.name }, app.version === undefined ? {} : { 'service.version': app.version });
    // logbridge names itself as the telemetry SDK
    Object.assign(expected, { 'telemetry.sdk.name': 'logbridge', 'telemetry.sdk.version': VERSION, 'telemetry.sdk.language': 'nodejs' });
    assert.deepEqual(ours, expected);
    assert.ok(Object.keys(ours).includes('host.name') && Object.keys(ours).includes('process.pid'));
    if (process.platform === 'linux') assert.equal(ours['host.id'], sdk['host.id']);
  });

  it('takes, lowest first: package.json, OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME, then attributes given in code', async () => {
    const env = { npm_package_name: 'shop', npm_package_version: '1.2.3', OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs,deployment.environment.name=prod,host.name=pinned' };
    const fromEnv = await createResourceAttributes(env, 'i');
    assert.deepEqual([fromEnv['service.name'], fromEnv['service.version'], fromEnv['deployment.environment.name'], fromEnv['host.name']],
      ['from-attrs', '1.2.3', 'prod', 'pinned']);
    const named = await createResourceAttributes({ ...env, OTEL_SERVICE_NAME: 'checkout' }, 'i', { 'service.version': '9' });
    assert.deepEqual([named['service.name'], named['service.version']], ['checkout', '9']);
  });

  it('falls back to unknown_service:<argv0> when no package.json names the application', async () => {
    const result = await runNode(`
      const { createResourceAttributes } = await import(${JSON.stringify(`${ROOT}/src/otel/resource.ts`)});
      console.log(JSON.stringify([(await createResourceAttributes({}, 'i'))['service.name'], process.argv0]));
    `, { scriptDir: mkdtempSync(join(tmpdir(), 'logbridge-resource-')), cwd: tmpdir() });
    assert.equal(result.code, 0, result.stderr);
    const [name, argv0] = JSON.parse(result.stdout) as [string, string];
    assert.equal(name, `unknown_service:${argv0}`);
  });

  it('does not load @opentelemetry/resources on Linux (nor its core and semantic conventions)', async function () {
    if (process.platform !== 'linux') this.skip();
    const { urls, stdout } = await modulesLoadedBy(`${ROOT}/src/otel/resource.ts`,
      "console.log(JSON.stringify({ host: (await lb.createResourceAttributes({}, 'i'))['host.name'] }));");
    assert.equal(typeof (JSON.parse(stdout) as { host: unknown }).host, 'string');
    const loaded = urls.filter((u) => u.includes('/node_modules/@opentelemetry/'));
    assert.deepEqual(loaded.filter((u) => !u.includes('/@opentelemetry/api/')), []);
  });
});
