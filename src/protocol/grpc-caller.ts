/**
 * Unary gRPC calls with raw bytes in and out, answered as a branch outcome: the one way Concord
 * calls a gRPC branch, used by the coordinator's gRPC transport and by the SDK's first-phase
 * calls. Internal module.
 *
 * One channel per address is kept for the life of the caller, since a channel holds the HTTP/2
 * connection and building one per call would cost a handshake each. Nothing here retries or
 * fails fast: that is the caller's policy (the dispatcher's circuit breaker, or none).
 *
 * With an outbound guard, grpc-js never resolves a name: the caller resolves it (the answer is
 * reused for `resolveCacheMs`), checks every address against the policy, and connects the
 * channel to the checked addresses (`ipv4:a:port,b:port`), with the original host as the TLS
 * server name and the `:authority`. When the answer changes, calls go to a channel of the new
 * addresses, and the old channel closes once its last call has ended.
 *
 * The coordinator's cleartext calls to one host (the common case) do not use grpc-js at all:
 * they go straight on an HTTP/2 session per checked address (h2c-unary.ts), which costs a
 * fraction of the CPU. TLS, `dns:///` round robin and the SDK's calls (no guard) use grpc-js.
 */
import * as grpc from "@grpc/grpc-js";
import { Code } from "@connectrpc/connect";
import { isIP } from "node:net";
import { trustedRoots, type BranchTls } from "./branch-tls.js";
import { outcomeFromStatus, type BranchOutcome } from "./outcome.js";
import type { OutboundGuard, ResolvedAddress } from "./outbound-policy.js";
import { createH2cUnaryCaller } from "./h2c-unary.js";
import { deserializeBytes, serializeBytes } from "./raw-bytes.js";
import { splitAddress } from "./target.js";
import { describeError, isTlsErrorText, transportFailure } from "./transport-errors.js";

export interface GrpcCallerOptions {
  /**
   * grpc-js options of every channel, merged over the defaults: reconnect backoff 1000 ms
   * initial, 10000 ms max (grpc's own max, 120 s, would leave a restarted service unreached
   * long after the coordinator's circuit half-opens to probe it).
   */
  readonly channelOptions?: grpc.ChannelOptions;
  /** CA certificates trusted beside Node's roots, and the client certificate presented, on TLS (`grpcs://`) calls. Default: the roots, no client certificate. */
  readonly tls?: BranchTls;
  /** Resolve names here and check every address against an outbound policy before connecting. Default: none (grpc-js resolves; the SDK's calls). */
  readonly outbound?: OutboundGuard;
  /** With `outbound`: how long a name's addresses are used before it is resolved again, in milliseconds. Default: 5000. */
  readonly resolveCacheMs?: number;
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
  /** Call over TLS (a `grpcs://` target). Default: false (h2c). */
  readonly tls?: boolean;
  /** Balance calls round-robin over every address of the host (a `dns:///` target). Default: false (one connection, pick first). */
  readonly roundRobin?: boolean;
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

const roundRobinConfig = JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] });

/** A channel and the calls it carries; a retired one closes when the last has ended. */
interface Channel {
  readonly client: grpc.Client;
  calls: number;
  retired: boolean;
}

/** Create a caller. Close it to release its channels and cancel calls in flight. */
export function createGrpcCaller(options: GrpcCallerOptions = {}): GrpcCaller {
  const channelOptions = { ...defaultChannelOptions, ...options.channelOptions };
  const { outbound } = options;
  const resolveCacheMs = options.resolveCacheMs ?? 5000;
  const insecure = grpc.credentials.createInsecure();
  let secure: grpc.ChannelCredentials | undefined;
  /** Channels by endpoint (TLS, balancing, address) and what they connect to. */
  const channels = new Map<string, Channel>();
  /** The channel key each endpoint's calls go to now. */
  const current = new Map<string, string>();
  const resolutions = new Map<string, { readonly until: number; readonly answer: Promise<readonly ResolvedAddress[]> }>();
  const inFlight = new Set<grpc.ClientUnaryCall>();
  const h2c = createH2cUnaryCaller();
  let closed = false;

  function credentials(tls: boolean): grpc.ChannelCredentials {
    if (!tls) return insecure;
    const roots = trustedRoots(options.tls);
    secure ??= grpc.credentials.createSsl(
      roots === undefined ? null : Buffer.from(roots.join("\n")),
      options.tls?.key === undefined ? null : Buffer.from(options.tls.key),
      options.tls?.cert === undefined ? null : Buffer.from(options.tls.cert),
    );
    return secure;
  }

  /**
   * The channel for `endpoint` to `target`, with one call counted on it (undo with `release`); a
   * channel the endpoint used before to other addresses is retired.
   */
  function channelFor(endpoint: string, target: string, call: GrpcUnaryCall, extra: grpc.ChannelOptions): Channel {
    const key = `${endpoint} ${target}`;
    let channel = channels.get(key);
    if (channel === undefined) {
      const client = new grpc.Client(target, credentials(call.tls === true), {
        ...channelOptions,
        ...extra,
        ...(call.roundRobin === true ? { "grpc.service_config": roundRobinConfig } : {}),
      });
      channel = { client, calls: 0, retired: false };
      channels.set(key, channel);
    }
    const previous = current.get(endpoint);
    if (previous !== key) {
      current.set(endpoint, key);
      if (previous !== undefined) retire(previous);
    }
    // Counted at once: a retirement between here and the call must not close it under the call.
    channel.calls++;
    return channel;
  }

  function release(channel: Channel): void {
    channel.calls--;
    if (channel.retired && channel.calls === 0) channel.client.close();
  }

  function retire(key: string): void {
    const channel = channels.get(key);
    if (channel === undefined) return;
    channels.delete(key);
    channel.retired = true;
    if (channel.calls === 0) channel.client.close();
  }

  /** A name's addresses, reused for `resolveCacheMs`; a failed resolution is not kept. */
  function resolution(host: string, guard: OutboundGuard): Promise<readonly ResolvedAddress[]> {
    const now = performance.now();
    let entry = resolutions.get(host);
    if (entry === undefined || entry.until <= now) {
      const answer = guard.resolve(host);
      const created = { until: now + resolveCacheMs, answer };
      entry = created;
      resolutions.set(host, created);
      answer.catch(() => {
        if (resolutions.get(host) === created) resolutions.delete(host);
      });
    }
    return entry.answer;
  }

  /** The addresses `call` may go to (resolved and checked by the outbound guard), or the outcome without a call. */
  async function checkedAddresses(call: GrpcUnaryCall, guard: OutboundGuard): Promise<{ host: string; port: number; found: readonly ResolvedAddress[] } | BranchOutcome> {
    const { host, port } = splitAddress(call.address);
    let found: readonly ResolvedAddress[];
    if (isIP(host) !== 0) {
      found = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
    } else {
      try {
        found = await resolution(host, guard);
      } catch (error) {
        return transportFailure("unreachable", `resolving ${host}: ${describeError(error)}`);
      }
    }
    const refusal = guard.policy().checkAddresses(host, port, found.map((a) => a.address));
    if (refusal !== undefined) return transportFailure("refused", refusal.reason, refusal.address);
    if (found.length === 0) return transportFailure("unreachable", `${host} resolves to no address`);
    return { host, port, found };
  }

  /** The channel to call `call` on, or the outcome without a call (refused, or the name does not resolve). */
  async function route(call: GrpcUnaryCall): Promise<Channel | BranchOutcome> {
    const endpoint = `${call.tls === true ? "tls" : "h2c"}${call.roundRobin === true ? "+rr" : ""} ${call.address}`;
    if (outbound === undefined) return channelFor(endpoint, call.roundRobin === true ? `dns:///${call.address}` : call.address, call, {});
    const checked = await checkedAddresses(call, outbound);
    if ("kind" in checked) return checked;
    const { host, port, found } = checked;
    return channelFor(endpoint, checkedTarget(found, port), call, {
      "grpc.default_authority": call.address,
      ...(call.tls === true && isIP(host) === 0 ? { "grpc.ssl_target_name_override": host } : {}),
    });
  }

  /** A cleartext call to one address the guard checked, straight on HTTP/2 (h2c-unary.ts). */
  async function callH2c(call: GrpcUnaryCall, guard: OutboundGuard, metadata: grpc.Metadata): Promise<BranchOutcome> {
    const checked = await checkedAddresses(call, guard);
    if ("kind" in checked) return checked;
    return h2c.call({
      connectTo: firstAddress(checked.found, checked.port),
      authority: call.address,
      method: call.method,
      payload: call.payload,
      headers: metadata.toHttp2Headers(),
      timeoutMs: call.timeoutMs,
    });
  }

  function invoke(channel: Channel, call: GrpcUnaryCall, metadata: grpc.Metadata): Promise<BranchOutcome> {
    return new Promise((resolve) => {
      // grpc-js takes this flag through the metadata's options.
      if (call.waitForReady === true) metadata.setOptions({ waitForReady: true });
      // Response headers mean the service itself is answering (a trailers-only answer carries its content type instead).
      let answered = false;
      const pending = channel.client.makeUnaryRequest<Uint8Array, Uint8Array>(
        call.method,
        serializeBytes,
        deserializeBytes,
        call.payload,
        metadata,
        { deadline: Date.now() + call.timeoutMs },
        (error, response) => {
          inFlight.delete(pending);
          release(channel);
          if (error === null) resolve(outcomeFromStatus(grpc.status.OK, "", response ?? new Uint8Array(0)));
          else resolve(outcomeOfStatus(error, answered, call.tls === true));
        },
      );
      pending.on("metadata", () => {
        answered = true;
      });
      inFlight.add(pending);
    });
  }

  return {
    async call(call) {
      if (closed) return { kind: "unknown", code: Code.Unavailable, message: "gRPC caller closed" };
      const metadata = toMetadata(call.metadata);
      if (typeof metadata === "string") return { kind: "unknown", code: Code.InvalidArgument, message: metadata };
      // route and invoke only reject on a bug or a grpc-js misuse; the promise of "never throws" still holds.
      try {
        // The coordinator's cleartext single-address calls skip grpc-js (h2c-unary.ts).
        if (outbound !== undefined && call.tls !== true && call.roundRobin !== true) return await callH2c(call, outbound, metadata);
        const channel = await route(call);
        if ("kind" in channel) return channel;
        if (closed) {
          release(channel);
          return { kind: "unknown", code: Code.Unavailable, message: "gRPC caller closed" };
        }
        return await invoke(channel, call, metadata);
      } catch (error) {
        return transportFailure("failed", describeError(error));
      }
    },
    close() {
      if (closed) return;
      closed = true;
      for (const pending of inFlight) pending.cancel();
      inFlight.clear();
      h2c.close();
      for (const channel of channels.values()) channel.client.close();
      channels.clear();
      current.clear();
      resolutions.clear();
    },
  };
}

/**
 * The checked addresses a call may use, as `ip:port` (IPv6 in brackets), sorted and without
 * repeats so that one answer in another order is the same channel. One family only, as grpc-js
 * takes one per target: IPv4 when the name has an IPv4 address (what services bound to 0.0.0.0
 * or [::] both accept), else IPv6.
 */
function usableAddresses(found: readonly ResolvedAddress[], port: number): { family: 4 | 6; addresses: string[] } {
  const v4 = found.filter((a) => a.family === 4).map((a) => a.address);
  const family = v4.length > 0 ? 4 : 6;
  const chosen = family === 4 ? v4 : found.map((a) => a.address);
  return { family, addresses: [...new Set(chosen)].sort().map((a) => (family === 4 ? `${a}:${port}` : `[${a}]:${port}`)) };
}

/** A grpc-js target of checked addresses: `ipv4:a:port,b:port` or `ipv6:[a]:port,…`. */
function checkedTarget(found: readonly ResolvedAddress[], port: number): string {
  const { family, addresses } = usableAddresses(found, port);
  return `ipv${family}:${addresses.join(",")}`;
}

/** The address a cleartext call connects to: the first that grpc-js's pick-first would try. */
function firstAddress(found: readonly ResolvedAddress[], port: number): string {
  return usableAddresses(found, port).addresses[0]!;
}

// Statuses grpc-js makes up itself, which may follow response headers (a dropped connection, a
// stream reset, an answer that is not gRPC): they describe the transport, not the service.
const localStatusText =
  /^(Received RST_STREAM|Received HTTP status code|Connection dropped|No message received|No status information received|Failed to start HTTP\/2 stream|Write (error|failed)|Channel closed|(\w+: )?No connection established|Deadline exceeded|Cancelled on client|Response message parsing error|Failed to parse)/;

/**
 * A failed call's outcome: a status the service sent is its answer, kept as it is; a status grpc-js
 * made up (no connection, a reset, the deadline) is a transport failure with a fixed text.
 */
function outcomeOfStatus(error: grpc.ServiceError, answered: boolean, tls: boolean): BranchOutcome {
  const details = error.details || error.message;
  const contentType = error.metadata?.get("content-type")[0];
  const fromService = (answered || (typeof contentType === "string" && contentType.startsWith("application/grpc"))) && !localStatusText.test(details);
  if (fromService || error.code === grpc.status.CANCELLED) return outcomeFromStatus(error.code, details);
  if (error.code === grpc.status.DEADLINE_EXCEEDED) return transportFailure("timedOut", details);
  if (tls && isTlsErrorText(details)) return transportFailure("tls", details);
  return transportFailure("unreachable", `${grpc.status[error.code] ?? error.code}: ${details}`);
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
