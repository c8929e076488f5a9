import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ROOT } from '../helpers/run-node.ts';
import { ENV } from '../../src/config/env.ts';
import { createJsonEncoder } from '../../src/encoders/json.ts';
import { makeRecord } from '../encoders/record-fixture.ts';

type Obj = Record<string, any>;
const DIR = join(ROOT, 'examples/deploy');

/** Parses a YAML file strictly: any error or warning fails. */
function load(file: string): Obj {
  const doc = parseDocument(readFileSync(join(DIR, file), 'utf8'), { prettyErrors: true, uniqueKeys: true });
  assert.deepEqual(doc.errors.map(String), [], `${file}: YAML errors`);
  assert.deepEqual(doc.warnings.map(String), [], `${file}: YAML warnings`);
  return doc.toJS() as Obj;
}

/** Component types of the contrib Collector this recipe may use, by section. */
const KNOWN_TYPES: Record<string, string[]> = {
  receivers: ['otlp', 'filelog', 'otlpjsonfile'],
  processors: ['batch', 'memory_limiter', 'resource', 'attributes', 'transform', 'resourcedetection'],
  exporters: ['otlp', 'otlphttp', 'debug'],
  extensions: ['health_check'],
};

function hostPort(endpoint: string): [string, number] {
  const url = new URL(endpoint.includes('://') ? endpoint : `http://${endpoint}`);
  return [url.hostname, Number(url.port)];
}

describe('examples/deploy', () => {
  const collector = load('otel-collector.yaml');
  const compose = load('docker-compose.yml');
  const datasources = load('grafana/datasources.yaml');
  const services = compose.services as Obj;

  /** Whether a compose service exposes `port` inside the network (a container port it listens on). */
  function serviceListens(name: string, port: number): boolean {
    const known: Record<string, number[]> = { loki: [3100], jaeger: [4317, 4318, 16686], grafana: [3000], orders: [3000] };
    if (name === 'collector') {
      const http = hostPort(collector.receivers.otlp.protocols.http.endpoint)[1];
      const grpc = hostPort(collector.receivers.otlp.protocols.grpc.endpoint)[1];
      return port === http || port === grpc;
    }
    return services[name] !== undefined && (known[name] ?? []).includes(port);
  }

  for (const file of ['otel-collector.yaml', 'otel-collector-filelog.yaml']) describe(file, () => {
    const collector = load(file);

    it('has only Collector top-level sections', () => {
      for (const key of Object.keys(collector)) {
        assert.ok(['receivers', 'processors', 'exporters', 'extensions', 'connectors', 'service'].includes(key), key);
      }
    });

    it('uses only component types of the contrib distribution, with type[/name] ids', () => {
      for (const section of Object.keys(KNOWN_TYPES)) {
        for (const id of Object.keys(collector[section] ?? {})) {
          assert.match(id, /^[a-z_]+(\/[\w-]+)?$/, id);
          assert.ok(KNOWN_TYPES[section]!.includes(id.split('/')[0]!), `${section}.${id}`);
        }
      }
    });

    it('defines every component a pipeline names, and uses every receiver and exporter', () => {
      const pipelines = collector.service.pipelines as Obj;
      const used: Record<string, Set<string>> = { receivers: new Set(), processors: new Set(), exporters: new Set() };
      for (const [name, pipeline] of Object.entries(pipelines)) {
        assert.ok(['logs', 'traces', 'metrics'].includes(name.split('/')[0]!), name);
        assert.ok((pipeline.receivers ?? []).length > 0 && (pipeline.exporters ?? []).length > 0, `${name} needs receivers and exporters`);
        for (const section of Object.keys(used)) {
          for (const id of pipeline[section] ?? []) {
            assert.ok(collector[section]?.[id] !== undefined, `${name} uses undefined ${section}.${id}`);
            used[section]!.add(id);
          }
        }
      }
      for (const section of ['receivers', 'exporters']) {
        for (const id of Object.keys(collector[section])) assert.ok(used[section]!.has(id), `${section}.${id} is unused`);
      }
      for (const id of collector.service.extensions ?? []) assert.ok(collector.extensions?.[id] !== undefined, id);
    });

    it('has a logs pipeline to Loki (and, receiving OTLP, a traces pipeline to Jaeger)', () => {
      assert.ok(collector.service.pipelines.logs.exporters.includes('otlphttp/loki'));
      if (collector.receivers.otlp !== undefined) assert.ok(collector.service.pipelines.traces.exporters.includes('otlp/jaeger'));
      assert.match(collector.exporters['otlphttp/loki'].endpoint, /\/otlp$/, 'Loki takes OTLP under /otlp');
    });

    it('sends to hosts and ports the compose file runs', () => {
      for (const [id, exporter] of Object.entries(collector.exporters as Obj)) {
        if (exporter?.endpoint === undefined) continue;
        const [host, port] = hostPort(exporter.endpoint);
        assert.ok(serviceListens(host, port), `${id} → ${host}:${port}`);
      }
    });
  });

  describe('otel-collector-filelog.yaml (stdout JSON lines → OTLP fields)', () => {
    const filelog = load('otel-collector-filelog.yaml');
    const json = (filelog.receivers.filelog.operators as Obj[]).find((o) => o.type === 'json_parser')!;

    it('reads the JSON line keys logbridge writes', () => {
      assert.equal(json.timestamp.parse_from, 'attributes.timestamp');
      assert.equal(json.severity.parse_from, 'attributes.level');
      assert.equal(json.trace.trace_id.parse_from, 'attributes.trace_id');
      assert.equal(json.trace.span_id.parse_from, 'attributes.span_id');
      assert.equal(json.trace.trace_flags.parse_from, 'attributes.trace_flags');
      assert.equal(json.scope_name.parse_from, 'attributes.scope');
    });

    it('parses the JSON line timestamp with its Go layout', () => {
      // Go reference time 2006-01-02T15:04:05.999999999Z07:00 ↔ our RFC 3339 UTC with 6 fraction digits.
      assert.equal(json.timestamp.layout_type, 'gotime');
      assert.equal(json.timestamp.layout, '2006-01-02T15:04:05.999999999Z07:00');
      const ours = createJsonEncoder()(makeRecord());
      assert.match(JSON.parse(ours).timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}Z$/);
      assert.ok(ours.startsWith('{"timestamp":'), 'the json_parser guard matches our lines');
    });
  });

  describe('docker-compose.yml', () => {
    it('points the service at the Collector OTLP/HTTP receiver', () => {
      const env = services.orders.environment as Obj;
      const [host, port] = hostPort(env.OTEL_EXPORTER_OTLP_ENDPOINT);
      assert.equal(host, 'collector');
      assert.equal(port, hostPort(collector.receivers.otlp.protocols.http.endpoint)[1]);
    });

    it('gives the service only variables logbridge or the example reads', () => {
      const ours = new Set<string>(Object.values(ENV).flatMap((v) => [v.name, ...(('fallbacks' in v ? v.fallbacks : undefined) ?? [])]));
      const example = ['HOST', 'PORT', 'NODE_ENV'];
      for (const name of Object.keys(services.orders.environment)) {
        assert.ok(ours.has(name) || example.includes(name), `${name} is not read by anything`);
      }
    });

    it('runs a service file that exists', () => {
      const command = services.orders.command as string[];
      const mount = (services.orders.volumes as string[])[0]!.split(':');
      assert.equal(mount[1], services.orders.working_dir);
      assert.ok(existsSync(join(resolve(DIR, mount[0]!), command.at(-1)!)));
    });

    it('mounts files that exist, the Collector config where --config reads it', () => {
      for (const [name, service] of Object.entries(services as Obj)) {
        for (const volume of service.volumes ?? []) {
          const source = (volume as string).split(':')[0]!;
          assert.ok(existsSync(resolve(DIR, source)), `${name}: ${source}`);
        }
      }
      const config = (services.collector.command as string[]).find((a) => a.startsWith('--config='))!.slice('--config='.length);
      assert.ok((services.collector.volumes as string[]).some((v) => v.startsWith('./otel-collector.yaml:' + config)));
    });

    it('depends only on services it defines, and pins every image tag', () => {
      for (const [name, service] of Object.entries(services as Obj)) {
        for (const dep of service.depends_on ?? []) assert.ok(services[dep] !== undefined, `${name} → ${dep}`);
        assert.match(service.image, /^[\w./-]+:[\w.-]+$/, `${name} image has a tag`);
        assert.ok(!service.image.endsWith(':latest'), `${name}: no :latest`);
      }
    });
  });

  describe('grafana/datasources.yaml', () => {
    it('points the data sources at the compose services', () => {
      for (const source of datasources.datasources as Obj[]) {
        const [host, port] = hostPort(source.url);
        assert.ok(serviceListens(host, port), `${source.name} → ${host}:${port}`);
      }
    });

    it('links trace IDs between the data sources by uid', () => {
      const uids = new Set((datasources.datasources as Obj[]).map((d) => d.uid));
      const loki = (datasources.datasources as Obj[]).find((d) => d.type === 'loki')!;
      for (const field of loki.jsonData.derivedFields) assert.ok(uids.has(field.datasourceUid));
      const jaeger = (datasources.datasources as Obj[]).find((d) => d.type === 'jaeger')!;
      assert.ok(uids.has(jaeger.jsonData.tracesToLogsV2.datasourceUid));
    });
  });

  it('says plainly in the README that the compose file was not run', () => {
    const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
    assert.match(readme, /Docker is not available/);
    assert.match(readme, /NOT run/);
  });
});
