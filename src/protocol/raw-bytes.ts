/**
 * Raw-bytes codecs for grpc-js. Concord never has a branch's proto: the coordinator sends the
 * payload a step carries as the serialized request and keeps the serialized response, and a
 * branch service may take those bytes without generated code. Internal module.
 */
import type * as grpc from "@grpc/grpc-js";

/** Bytes out as they are: the payload is already the serialized request message (no copy). */
export function serializeBytes(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Bytes in as they are: a view of the received message (no copy). */
export function deserializeBytes(bytes: Buffer): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const identity = (bytes: Buffer): Buffer => bytes;

/**
 * grpc-js: a service of unary methods that take and return raw bytes (`Buffer`). A branch service
 * needs no generated code to take Concord's calls: the request is the payload the step carries, as is.
 */
export function rawBytesService(service: string, methods: readonly string[]): grpc.ServiceDefinition {
  return Object.fromEntries(
    methods.map((method) => [
      method,
      {
        path: `/${service}/${method}`,
        originalName: method,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      } satisfies grpc.MethodDefinition<Buffer, Buffer>,
    ]),
  );
}
