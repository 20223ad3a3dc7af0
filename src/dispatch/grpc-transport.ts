/**
 * The gRPC transport: branch calls over grpc-js with opaque payloads. Internal module.
 */
import { createGrpcCaller, type GrpcCallerOptions } from "../protocol/index.js";
import type { BranchTransport } from "./types.js";

export type GrpcTransportOptions = GrpcCallerOptions;

/** Create the transport of `grpc` targets; one channel per address for its whole life. */
export function createGrpcTransport(options: GrpcTransportOptions = {}): BranchTransport {
  const caller = createGrpcCaller(options);
  return {
    schemes: ["grpc"],
    call(target, call, probe) {
      return caller.call({
        address: target.address,
        method: target.method,
        payload: call.payload,
        metadata: call.metadata,
        timeoutMs: call.timeoutMs,
        waitForReady: probe,
      });
    },
    close: () => caller.close(),
  };
}
