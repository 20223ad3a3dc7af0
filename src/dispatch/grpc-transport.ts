/**
 * The gRPC transport: branch calls over grpc-js with opaque payloads. Internal module.
 */
import { Code } from "@connectrpc/connect";
import { createGrpcCaller, type GrpcCallerOptions } from "../protocol/index.js";
import type { BranchTransport } from "./types.js";

export type GrpcTransportOptions = GrpcCallerOptions;

/** Create the transport of `grpc` targets; one channel per address for its whole life. */
export function createGrpcTransport(options: GrpcTransportOptions = {}): BranchTransport {
  const caller = createGrpcCaller(options);
  return {
    schemes: ["grpc"],
    call(target, call, probe) {
      // The dispatcher routes by scheme, so this never answers; it narrows the target's type.
      if (target.scheme !== "grpc") {
        return Promise.resolve({ kind: "unknown", code: Code.Internal, message: `the gRPC transport cannot call a ${target.scheme} target` });
      }
      return caller.call({
        address: target.address,
        method: target.method,
        payload: call.payload,
        metadata: call.metadata,
        timeoutMs: call.timeoutMs,
        waitForReady: probe,
        tls: target.tls,
        roundRobin: target.roundRobin,
      });
    },
    close: () => caller.close(),
  };
}
