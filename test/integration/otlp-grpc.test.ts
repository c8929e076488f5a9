import assert from 'node:assert/strict';
import { Server, ServerCredentials, status, type ServiceError } from '@grpc/grpc-js';
import { runNode, SRC_INDEX } from '../helpers/run-node.ts';
import { decodeProtobufLogs, type ReceivedLogRecord } from '../helpers/otlp-receiver.ts';
import { encodeProtobufResponse } from '../helpers/otlp-schema.ts';

// protocol grpc: a real gRPC server (grpc-js) on 127.0.0.1 decoding with the test schema.

const EXPORT = {
  path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
  requestStream: false,
  responseStream: false,
  requestSerialize: (b: Buffer) => b,
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: (b: Buffer) => b,
  responseDeserialize: (b: Buffer) => b,
};

describe('OTLP export over gRPC', () => {
  let server: Server;
  let port: number;
  let records: ReceivedLogRecord[];
  let failNext: number;

  beforeEach(async () => {
    records = [];
    failNext = 0;
    server = new Server();
    server.addService({ Export: EXPORT }, {
      Export: (call: { request: Buffer }, callback: (error: Partial<ServiceError> | null, response?: Buffer) => void) => {
        if (failNext > 0) {
          failNext--;
          callback({ code: status.UNAVAILABLE, details: 'try later' });
          return;
        }
        records.push(...decodeProtobufLogs(call.request));
        callback(null, Buffer.from(encodeProtobufResponse(0, '')));
      },
    } as never);
    port = await new Promise<number>((resolve, reject) => {
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p)));
    });
  });
  afterEach(() => new Promise<void>((resolve) => server.tryShutdown(() => resolve())));

  it('delivers records with their scope and attributes when OTEL_EXPORTER_OTLP_PROTOCOL=grpc, retrying UNAVAILABLE', async () => {
    failNext = 1;
    const result = await runNode(`
      import { getLogger, flush } from ${JSON.stringify(SRC_INDEX)};
      getLogger('over.grpc').warn('hello grpc', { n: 7, nested: { ok: true } });
      await flush();
    `, { env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_BLRP_SCHEDULE_DELAY: '20', OTEL_SERVICE_NAME: 'grpc-app',
    } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(records.length, 1);
    const [rec] = records;
    assert.deepEqual([rec!.scope.name, rec!.body, rec!.severityText, rec!.resource['service.name']], ['over.grpc', 'hello grpc', 'WARN', 'grpc-app']);
    assert.deepEqual(rec!.attributes, { n: 7, nested: { ok: true } });
  });
});
