/**
 * Unary gRPC calls with raw bytes in and out, answered as a branch outcome: the one way Concord
 * calls a gRPC branch, used by the coordinator's gRPC transport and by the SDK's first-phase
 * calls. Internal module.
 *
 * One channel per address is kept for the life of the caller, since a channel holds the HTTP/2
 * connection and building one per call would cost a handshake each. Nothing here retries or
 * fails fast: that is the caller's policy (the dispatcher's circuit breaker, or none).
 */
import * as grpc from "@grpc/grpc-js";
import { Code } from "@connectrpc/connect";
import { outcomeFromStatus, type BranchOutcome } from "./outcome.js";
import { deserializeBytes, serializeBytes } from "./raw-bytes.js";

export interface GrpcCallerOptions {
  /**
   * grpc-js options of every channel, merged over the defaults: reconnect backoff 1000 ms
   * initial, 10000 ms max (grpc's own max, 120 s, would leave a restarted service unreached
   * long after the coordinator's circuit half-opens to probe it).
   */
  readonly channelOptions?: grpc.ChannelOptions;
}

/** One unary call. */
export interface GrpcUnaryCall {
  /** `host:port`, as a parsed target's `address`. */
  readonly address: string;
  /** `/package.Service/Method`. */
  readonly method: string;
  /** The serialized request message, sent as is. */
  readonly payload: Uint8Array;
  /** gRPC metadata; a key or value gRPC cannot carry answers unknown INVALID_ARGUMENT. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Deadline of the call, in milliseconds from now (wall clock, as gRPC deadlines are). */
  readonly timeoutMs: number;
  /**
   * Wait for the channel to connect, within the deadline, instead of failing on a connection
   * attempt that is still backing off from an outage. Default: false.
   */
  readonly waitForReady?: boolean;
}

export interface GrpcCaller {
  /** Never throws: every failure is an outcome. */
  call(call: GrpcUnaryCall): Promise<BranchOutcome>;
  /** Cancel the calls in flight and close every channel. Idempotent; later calls answer unknown UNAVAILABLE. */
  close(): void;
}

const defaultChannelOptions: grpc.ChannelOptions = {
  "grpc.initial_reconnect_backoff_ms": 1000,
  "grpc.max_reconnect_backoff_ms": 10_000,
};

/** Create a caller. Close it to release its channels and cancel calls in flight. */
export function createGrpcCaller(options: GrpcCallerOptions = {}): GrpcCaller {
  const channelOptions = { ...defaultChannelOptions, ...options.channelOptions };
  const clients = new Map<string, grpc.Client>();
  const inFlight = new Set<grpc.ClientUnaryCall>();
  let closed = false;

  function clientFor(address: string): grpc.Client {
    let client = clients.get(address);
    if (client === undefined) {
      client = new grpc.Client(address, grpc.credentials.createInsecure(), channelOptions);
      clients.set(address, client);
    }
    return client;
  }

  function invoke(call: GrpcUnaryCall, metadata: grpc.Metadata): Promise<BranchOutcome> {
    return new Promise((resolve) => {
      // grpc-js takes this flag through the metadata's options.
      if (call.waitForReady === true) metadata.setOptions({ waitForReady: true });
      const pending = clientFor(call.address).makeUnaryRequest<Uint8Array, Uint8Array>(
        call.method,
        serializeBytes,
        deserializeBytes,
        call.payload,
        metadata,
        { deadline: Date.now() + call.timeoutMs },
        (error, response) => {
          inFlight.delete(pending);
          if (error === null) resolve(outcomeFromStatus(grpc.status.OK, "", response ?? new Uint8Array(0)));
          else resolve(outcomeFromStatus(error.code, error.details || error.message));
        },
      );
      inFlight.add(pending);
    });
  }

  return {
    async call(call) {
      if (closed) return { kind: "unknown", code: Code.Unavailable, message: "gRPC caller closed" };
      const metadata = toMetadata(call.metadata);
      if (typeof metadata === "string") return { kind: "unknown", code: Code.InvalidArgument, message: metadata };
      // invoke only rejects on a grpc-js bug or misuse; the promise of "never throws" still holds.
      return invoke(call, metadata).catch(
        (error: unknown): BranchOutcome => ({
          kind: "unknown",
          code: Code.Internal,
          message: error instanceof Error ? error.message : String(error),
        }),
      );
    },
    close() {
      if (closed) return;
      closed = true;
      for (const pending of inFlight) pending.cancel();
      inFlight.clear();
      for (const client of clients.values()) client.close();
      clients.clear();
    },
  };
}

/** gRPC metadata from string headers, or why they are not valid metadata. */
function toMetadata(headers: Readonly<Record<string, string>>): grpc.Metadata | string {
  const metadata = new grpc.Metadata();
  try {
    // grpc-js throws on an invalid key or a `-bin` key with a string value.
    for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  } catch (error) {
    return `invalid branch metadata: ${error instanceof Error ? error.message : String(error)}`;
  }
  return metadata;
}
