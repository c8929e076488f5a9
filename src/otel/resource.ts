import type { AnyValue } from '@opentelemetry/api';
import {
  defaultResource, detectResources, hostDetector, osDetector, processDetector, resourceFromAttributes,
} from '@opentelemetry/resources';
import { ENV, readEnv, type Env } from '../config/env.ts';
import { findApplicationPackage } from '../config/app-package.ts';

/**
 * The OTLP resource: who is logging. Loaded only with the OTLP sink (it
 * pulls `@opentelemetry/resources`). Precedence, lowest first: the OTel
 * defaults (`telemetry.sdk.*`, `service.name=unknown_service:node`), the
 * host/OS/process/runtime detectors, the application's package.json name and
 * version, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_SERVICE_NAME`, then attributes
 * given in code. `service.instance.id` is a UUID made once per process
 * unless one of those sets it.
 */

/** Attributes that can carry secrets from the command line; never sent. */
const LEFT_OUT = ['process.command_args', 'process.command_line'];

/** Resolves the resource attributes (host ID detection is asynchronous). Never rejects. */
export async function createResourceAttributes(
  env: Env,
  instanceId: string,
  extra: Readonly<Record<string, AnyValue>> = {},
): Promise<Record<string, AnyValue>> {
  let resource = defaultResource()
    .merge(detectResources({ detectors: [hostDetector, osDetector, processDetector] }))
    .merge(resourceFromAttributes({ 'service.instance.id': instanceId }));
  const app = findApplicationPackage(env);
  if (app !== undefined) {
    resource = resource.merge(resourceFromAttributes({
      'service.name': app.name,
      ...(app.version === undefined ? {} : { 'service.version': app.version }),
    }));
  }
  resource = resource.merge(resourceFromAttributes(readEnv(ENV.resourceAttributes, env)));
  const serviceName = readEnv(ENV.serviceName, env);
  if (serviceName !== '') resource = resource.merge(resourceFromAttributes({ 'service.name': serviceName }));
  resource = resource.merge(resourceFromAttributes(extra));
  try {
    await resource.waitForAsyncAttributes?.();
  } catch {
    // a detector failed: keep what the others found
  }
  const out: Record<string, AnyValue> = {};
  for (const [key, value] of Object.entries(resource.attributes)) {
    if (value !== undefined && !LEFT_OUT.includes(key)) out[key] = value as AnyValue;
  }
  return out;
}
