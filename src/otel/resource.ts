import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { arch, hostname, platform, release, userInfo } from 'node:os';
import type { AnyValue } from '@opentelemetry/api';
import { ENV, readEnv, type Env } from '../config/env.ts';
import { findApplicationPackage } from '../config/app-package.ts';
import { PACKAGE_ROOT } from '../core/on-demand.ts';

/**
 * The OTLP resource: who is logging. Precedence, lowest first: the defaults
 * (`service.name=unknown_service:<argv0>`, `telemetry.sdk.*`), the host, OS
 * and process attributes, the application's package.json name and version,
 * `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_SERVICE_NAME`, then attributes given in
 * code. `service.instance.id` is a UUID made once per process unless one of
 * those sets it.
 *
 * The host, OS and process attributes are those of the OpenTelemetry JS
 * detectors (`hostDetector`, `osDetector`, `processDetector` of
 * `@opentelemetry/resources`; test/otel/resource.test.ts compares them),
 * read here directly: that package loads @opentelemetry/core and the whole
 * of @opentelemetry/semantic-conventions, about 35 ms of CPU at the first
 * export for a dozen `os` and `process` reads (docs/performance.md, "Cold
 * OTLP"). Only `host.id` on macOS, Windows and the BSDs, which runs a command
 * there, is left to the package's detector, loaded for it alone.
 *
 * `telemetry.sdk.*` names logbridge, which makes and exports the records
 * (the semantic conventions ask an SDK other than OpenTelemetry's own to
 * name itself).
 */

/** Attributes that can carry secrets from the command line; never sent. */
const LEFT_OUT = ['process.command_args', 'process.command_line'];

/** Resolves the resource attributes (the host ID is read asynchronously). Never rejects. */
export async function createResourceAttributes(
  env: Env,
  instanceId: string,
  extra: Readonly<Record<string, AnyValue>> = {},
): Promise<Record<string, AnyValue>> {
  const merged: Record<string, AnyValue | undefined> = {
    'service.name': process.argv0 ? `unknown_service:${process.argv0}` : 'unknown_service',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'logbridge',
    'telemetry.sdk.version': ownVersion(),
    ...orNothing(hostAttributes),
    'host.id': await machineId(),
    ...orNothing(osAttributes),
    ...orNothing(processAttributes),
    'service.instance.id': instanceId,
  };
  const app = findApplicationPackage(env);
  if (app !== undefined) {
    merged['service.name'] = app.name;
    if (app.version !== undefined) merged['service.version'] = app.version;
  }
  Object.assign(merged, readEnv(ENV.resourceAttributes, env));
  const serviceName = readEnv(ENV.serviceName, env);
  if (serviceName !== '') merged['service.name'] = serviceName;
  Object.assign(merged, extra);
  const out: Record<string, AnyValue> = {};
  for (const [key, value] of Object.entries(merged)) {
    if (value !== undefined && !LEFT_OUT.includes(key)) out[key] = value;
  }
  return out;
}

/** What `read` returns, or nothing when it throws (an OS call failing): the rest of the resource still goes out. */
function orNothing(read: () => Record<string, AnyValue>): Record<string, AnyValue> {
  try {
    return read();
  } catch {
    return {};
  }
}

// Node's names for architectures and platforms, where the semantic conventions differ. Compared,
// not looked up as keys: a string used as a property key becomes a ThinString, and one such string
// written by the protobuf writer once (the resource) made V8 compile its string loop for every
// representation: 4-6× slower on every record after (measured, issue 13).
function hostAttributes(): Record<string, AnyValue> {
  const a = arch();
  return { 'host.name': hostname(), 'host.arch': a === 'x64' ? 'amd64' : a === 'arm' ? 'arm32' : a === 'ppc' ? 'ppc32' : a };
}

function osAttributes(): Record<string, AnyValue> {
  const p = platform();
  return { 'os.type': p === 'win32' ? 'windows' : p === 'sunos' ? 'solaris' : p, 'os.version': release() };
}

function processAttributes(): Record<string, AnyValue> {
  const out: Record<string, AnyValue> = {
    'process.pid': process.pid,
    'process.executable.name': process.title,
    'process.executable.path': process.execPath,
    'process.runtime.version': process.versions.node ?? '',
    'process.runtime.name': 'nodejs',
    'process.runtime.description': 'Node.js',
  };
  if (process.argv.length > 1) out['process.command'] = process.argv[1]!;
  try {
    out['process.owner'] = userInfo().username;
  } catch {
    // no user entry for this uid (a container's arbitrary uid): no owner
  }
  return out;
}

/** `host.id`: the machine ID. Undefined when there is none (or it cannot be read). */
async function machineId(): Promise<string | undefined> {
  if (process.platform === 'linux') {
    for (const path of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
      try {
        return (await readFile(path, 'utf8')).trim();
      } catch {
        // the next place, or none
      }
    }
    return undefined;
  }
  try {
    const { hostDetector } = await import('@opentelemetry/resources');
    const id: unknown = await hostDetector.detect().attributes?.['host.id'];
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

let version: string | undefined;

/** logbridge's own version, from its package.json (read once). */
export function ownVersion(): string {
  if (version === undefined) {
    try {
      version = String((JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8')) as { version?: unknown }).version ?? '');
    } catch {
      version = '';
    }
  }
  return version;
}
