import protobuf from 'protobufjs';

/**
 * The OTLP logs protobuf schema, written from the published field numbers
 * (opentelemetry-proto v1: collector/logs/v1/logs_service.proto,
 * logs/v1/logs.proto, common/v1/common.proto, resource/v1/resource.proto).
 * Independent of the exporters' own encoder, so a test that decodes with it
 * checks the bytes on the wire, not our agreement with ourselves.
 */
const SCHEMA = `
syntax = "proto3";
package otlp;

message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
message ExportLogsPartialSuccess { int64 rejected_log_records = 1; string error_message = 2; }

message ResourceLogs {
  Resource resource = 1;
  repeated ScopeLogs scope_logs = 2;
  string schema_url = 3;
}
message ScopeLogs {
  InstrumentationScope scope = 1;
  repeated LogRecord log_records = 2;
  string schema_url = 3;
}
message LogRecord {
  fixed64 time_unix_nano = 1;
  fixed64 observed_time_unix_nano = 11;
  int32 severity_number = 2;
  string severity_text = 3;
  AnyValue body = 5;
  repeated KeyValue attributes = 6;
  uint32 dropped_attributes_count = 7;
  fixed32 flags = 8;
  bytes trace_id = 9;
  bytes span_id = 10;
  string event_name = 12;
}

message Resource {
  repeated KeyValue attributes = 1;
  uint32 dropped_attributes_count = 2;
}
message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}
message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
`;

const root = protobuf.parse(SCHEMA, { keepCase: false }).root;

/** protobufjs message types for the OTLP logs request and response. */
export const ExportLogsServiceRequest = root.lookupType('otlp.ExportLogsServiceRequest');
export const ExportLogsServiceResponse = root.lookupType('otlp.ExportLogsServiceResponse');

/**
 * Decodes a protobuf ExportLogsServiceRequest into a plain object with
 * camelCase keys: 64-bit integers as decimal strings, bytes as Buffers.
 * Throws on malformed input.
 */
export function decodeProtobufRequest(bytes: Uint8Array): unknown {
  const message = ExportLogsServiceRequest.decode(bytes);
  return ExportLogsServiceRequest.toObject(message, { longs: String, bytes: Buffer, defaults: false, oneofs: false });
}

/** Encodes an ExportLogsServiceResponse (partial success when `rejected > 0` or a message is given). */
export function encodeProtobufResponse(rejected: number, message: string): Uint8Array {
  const body = rejected > 0 || message !== ''
    ? { partialSuccess: { rejectedLogRecords: rejected, errorMessage: message } }
    : {};
  return ExportLogsServiceResponse.encode(ExportLogsServiceResponse.fromObject(body)).finish();
}
