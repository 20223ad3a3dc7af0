/**
 * The branch dispatcher: calls a branch's gRPC method with opaque bytes. Internal module.
 *
 * Concord never has the branch's proto, so requests and responses go through grpc-js with
 * identity serializers. One channel per address is kept for the life of the dispatcher, since
 * a channel holds the HTTP/2 connection and building one per call would cost a handshake each.
 */
import * as grpc from "@grpc/grpc-js";
import { Code } from "@connectrpc/connect";
import { silentLogger, type Logger } from "../logger.js";
import { createCircuitBreaker, type CircuitPermit } from "./circuit-breaker.js";
import { describeOutcome, isServiceAlive, outcomeFromStatus } from "./outcome.js";
import { parseTarget } from "./target.js";
import type { BranchCall, BranchOutcome, Dispatcher } from "./types.js";

export interface DispatcherOptions {
  /** Consecutive unknown outcomes of one address that open its circuit. Default: 5. */
  readonly breakerFailureThreshold?: number;
  /** How long an open circuit fails fast before one probe call, in milliseconds. Default: 5000. */
  readonly breakerOpenMs?: number;
  /**
   * Monotonic clock of the circuit breaker, in milliseconds. Default: `performance.now()`.
   * Call deadlines always use the wall clock, since gRPC deadlines are wall-clock instants.
   */
  readonly now?: () => number;
  /** Where circuit state changes are logged. Default: a silent logger. */
  readonly logger?: Logger;
  /**
   * grpc-js options of every channel, merged over the defaults: reconnect backoff 1000 ms
   * initial, 10000 ms max (grpc's own max, 120 s, would leave a restarted service unreached
   * long after its circuit half-opens).
   */
  readonly channelOptions?: grpc.ChannelOptions;
}

const defaultChannelOptions: grpc.ChannelOptions = {
  "grpc.initial_reconnect_backoff_ms": 1000,
  "grpc.max_reconnect_backoff_ms": 10_000,
};

/** Bytes in, bytes out: the payload is already the serialized request message. */
const serialize = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const deserialize = (bytes: Buffer): Uint8Array => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Create a dispatcher. Close it to release its channels and cancel calls in flight. */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const logger = options.logger ?? silentLogger;
  const channelOptions = { ...defaultChannelOptions, ...options.channelOptions };
  const breaker = createCircuitBreaker({
    failureThreshold: options.breakerFailureThreshold ?? 5,
    openMs: options.breakerOpenMs ?? 5000,
    ...(options.now === undefined ? {} : { now: options.now }),
    onStateChange(address, from, to) {
      logger[to === "open" ? "warn" : "info"](`circuit ${to}`, { address, from });
    },
  });
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

  function invoke(
    address: string,
    method: string,
    call: BranchCall,
    metadata: grpc.Metadata,
    permit: CircuitPermit,
  ): Promise<BranchOutcome> {
    return new Promise((resolve) => {
      // The probe waits for the channel to connect (within its deadline) instead of failing on
      // a connection attempt that is still backing off from the outage.
      // (grpc-js takes this flag through the metadata's options.)
      if (permit.probe) metadata.setOptions({ waitForReady: true });
      const pending = clientFor(address).makeUnaryRequest<Uint8Array, Uint8Array>(
        method,
        serialize,
        deserialize,
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

  async function call(call: BranchCall): Promise<BranchOutcome> {
    if (call.target === "") return { kind: "success", response: new Uint8Array(0) };
    const target = parseTarget(call.target);
    if (target === undefined) {
      return { kind: "unknown", code: Code.InvalidArgument, message: `malformed branch target "${call.target}"` };
    }
    if (closed) return { kind: "unknown", code: Code.Unavailable, message: "dispatcher closed" };
    const metadata = toMetadata(call.metadata);
    if (typeof metadata === "string") return { kind: "unknown", code: Code.InvalidArgument, message: metadata };
    const permit = breaker.acquire(target.address);
    if (permit === undefined) {
      return { kind: "unknown", code: Code.Unavailable, message: `circuit open for ${target.address}` };
    }
    // invoke only rejects on a grpc-js bug or misuse; the promise of "never throws" still holds.
    const outcome = await invoke(target.address, target.method, call, metadata, permit).catch(
      (error: unknown): BranchOutcome => ({
        kind: "unknown",
        code: Code.Internal,
        message: error instanceof Error ? error.message : String(error),
      }),
    );
    permit.record(isServiceAlive(outcome));
    if (outcome.kind === "unknown") {
      logger.debug("branch call unknown", { target: call.target, outcome: describeOutcome(outcome) });
    }
    return outcome;
  }

  return {
    call,
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
