/**
 * The branch dispatcher: routes each call to the transport of its target's scheme, behind the
 * limits of its branch service and one circuit breaker per address. Internal module.
 *
 * Transports only call; what makes Concord a good neighbour (keeping to a service's limits,
 * failing fast on a dead address, probing it back, logging why) is here, once, whatever the scheme.
 */
import { Code } from "@connectrpc/connect";
import { silentLogger, type Logger } from "../logger.js";
import { callableTarget, describeOutcome, isServiceAlive, targetSchemes, type BranchOutcome, type TargetScheme } from "../protocol/index.js";
import { createOutboundPolicy, lookupHost, type BranchTls, type OutboundPolicy, type ResolveHost } from "../protocol/index.js";
import { createCircuitBreaker, type CircuitState } from "./circuit-breaker.js";
import { createServiceGovernor, type GovernanceSettings, type ServiceSlot } from "./governor.js";
import { createGrpcTransport, type GrpcTransportOptions } from "./grpc-transport.js";
import { createHttpTransport, type HttpTransportOptions } from "./http-transport.js";
import type { BranchCall, BranchTransport, Dispatcher } from "./types.js";

export interface DispatcherOptions {
  /** Told of every circuit state change (e.g. metrics), besides the log. */
  readonly onCircuitChange?: (address: string, state: CircuitState) => void;
  /**
   * Limits per branch service (address): calls in flight and calls per second, for every service
   * and per service. Change them later with `configureServices`. Default: none.
   */
  readonly services?: GovernanceSettings;
  /**
   * Told of every call to a governed service: how long it waited for room, in milliseconds, and
   * whether it got room before its deadline (e.g. metrics).
   */
  readonly onServiceWait?: (address: string, waitedMs: number, admitted: boolean) => void;
  /** Consecutive unknown outcomes of one address that open its circuit. Default: 5. */
  readonly breakerFailureThreshold?: number;
  /** How long an open circuit fails fast before one probe call, in milliseconds. Default: 5000. */
  readonly breakerOpenMs?: number;
  /**
   * Monotonic clock of the circuit breaker and the service limits, in milliseconds. Default: `performance.now()`.
   * Call deadlines always use the wall clock, since gRPC deadlines are wall-clock instants.
   */
  readonly now?: () => number;
  /** Where circuit state changes and unknown outcomes are logged. Default: a silent logger. */
  readonly logger?: Logger;
  /** grpc-js options of every channel of the default gRPC transport (see `createGrpcCaller`). */
  readonly channelOptions?: GrpcTransportOptions["channelOptions"];
  /** Options of the default HTTP transport (see `createHttpCaller`). Default: undici's pools, 64 KiB of body read. */
  readonly http?: HttpTransportOptions;
  /**
   * The outbound policy the default transports check every connection against, after DNS;
   * replace it with `setOutboundPolicy`. Default: the production default (any host, but never a
   * loopback, link-local, metadata or unspecified address).
   */
  readonly outboundPolicy?: OutboundPolicy;
  /** How the default transports resolve branch host names before checking their addresses. Default: the system resolver (`dns.lookup`). */
  readonly resolveHost?: ResolveHost;
  /** How long the gRPC transport calls a name's addresses before resolving it again, in milliseconds. Default: 5000. */
  readonly resolveCacheMs?: number;
  /** CA certificates trusted beside Node's roots, and the client certificate presented, on TLS branch calls (PEM texts). Default: the roots, no client certificate. */
  readonly tls?: BranchTls;
  /**
   * The transports: exactly one for each scheme a target can name (a list that leaves one out
   * or serves one twice throws). The dispatcher closes them when it closes.
   * Default: the gRPC transport, built with `channelOptions`, and the HTTP transport, built with `http`.
   */
  readonly transports?: readonly BranchTransport[];
}

/** Create a dispatcher. Close it to close its transports and cancel calls in flight. */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const logger = options.logger ?? silentLogger;
  let outboundPolicy = options.outboundPolicy ?? createOutboundPolicy();
  const outbound = { policy: () => outboundPolicy, resolve: options.resolveHost ?? lookupHost };
  const tls = options.tls === undefined ? {} : { tls: options.tls };
  const transports = options.transports ?? [
    createGrpcTransport({
      ...(options.channelOptions === undefined ? {} : { channelOptions: options.channelOptions }),
      ...(options.resolveCacheMs === undefined ? {} : { resolveCacheMs: options.resolveCacheMs }),
      ...tls,
      outbound,
    }),
    createHttpTransport({ ...options.http, ...tls, outbound }),
  ];
  const warnRefused = refusalWarnings(logger, options.now ?? (() => performance.now()));
  const byScheme = transportsByScheme(transports);
  const breaker = createCircuitBreaker<BranchCall>({
    failureThreshold: options.breakerFailureThreshold ?? 5,
    openMs: options.breakerOpenMs ?? 5000,
    ...(options.now === undefined ? {} : { now: options.now }),
    onStateChange(address, from, to, cause) {
      logger[to === "open" ? "warn" : "info"](`circuit ${to}`, { address, from, ...(cause ? callFields(cause) : {}) });
      options.onCircuitChange?.(address, to);
    },
  });
  const governor = createServiceGovernor({
    ...(options.services === undefined ? {} : { settings: options.services }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.onServiceWait === undefined ? {} : { onWait: options.onServiceWait }),
  });
  // Read on every call: with no limits set, a call costs one more branch than it did without them.
  let governed = governor.active;
  let closed = false;

  /**
   * Room at the branch service, waited for within the call's deadline. Before the breaker's
   * permit: a call that finds no room tells nothing of the service's health, so the breaker never
   * hears of it, and a half-open probe is never held up behind waiting calls.
   */
  async function waitForRoom(address: string, call: BranchCall): Promise<ServiceSlot | BranchOutcome> {
    // Waiting would only delay the fast failure of an open circuit.
    if (breaker.state(address) === "open") return circuitOpen(address);
    const admission = await governor.wait(address, call.timeoutMs);
    if (admission === "closed") return dispatcherClosed();
    if (admission !== "deadline") return admission;
    const outcome: BranchOutcome = { kind: "unknown", code: Code.DeadlineExceeded, message: `no room at branch service ${address} within the deadline` };
    logger.debug("branch call unknown", { ...callFields(call), outcome: describeOutcome(outcome) });
    return outcome;
  }

  async function call(call: BranchCall): Promise<BranchOutcome> {
    const target = callableTarget(call.target);
    if ("kind" in target) return target;
    if (closed) return dispatcherClosed();
    const transport = byScheme[target.scheme];
    let slot: ServiceSlot | undefined;
    if (governed) {
      const admission = governor.tryAdmit(target.address) ?? (await waitForRoom(target.address, call));
      if ("kind" in admission) return admission;
      slot = admission;
    }
    // The call itself is the cause a state change is told about; its log fields are built only then.
    const permit = breaker.acquire(target.address, call);
    if (permit === undefined) {
      slot?.release();
      return circuitOpen(target.address);
    }
    // The time spent waiting for room comes off the deadline the service gets.
    const sent = slot === undefined || slot.waitedMs === 0 ? call : { ...call, timeoutMs: Math.max(1, Math.floor(call.timeoutMs - slot.waitedMs)) };
    // A transport never throws by contract; one that does still must not break ours.
    const outcome = await transport.call(target, sent, permit.probe).catch(
      (error: unknown): BranchOutcome => ({
        kind: "unknown",
        code: Code.Internal,
        message: error instanceof Error ? error.message : String(error),
      }),
    );
    slot?.release();
    permit.record(isServiceAlive(outcome));
    if (outcome.kind === "unknown") {
      if (outcome.refusedAddress !== undefined) warnRefused(outcome.refusedAddress, call, outcome.detail);
      logger.debug("branch call unknown", { ...callFields(call), outcome: describeOutcome(outcome), ...(outcome.detail === undefined ? {} : { detail: outcome.detail }) });
    }
    return outcome;
  }

  return {
    call,
    circuits: () => breaker.circuits(),
    services: () => governor.services(),
    configureServices(settings) {
      governor.configure(settings);
      governed = governor.active;
    },
    outboundPolicy: () => outboundPolicy,
    setOutboundPolicy(policy) {
      outboundPolicy = policy;
    },
    close() {
      if (closed) return;
      closed = true;
      governor.close();
      governed = false;
      for (const transport of transports) transport.close();
    },
  };
}

/** How often one refused address is logged at warn: once a minute, however many calls it refuses. */
const refusalWarnEveryMs = 60_000;

/** A warning per refused address per minute, with the real address (the stored error has a fixed text). */
function refusalWarnings(logger: Logger, now: () => number): (address: string, call: BranchCall, reason: string | undefined) => void {
  const lastWarned = new Map<string, number>();
  return (address, call, reason) => {
    const at = now();
    const last = lastWarned.get(address);
    if (last !== undefined && at - last < refusalWarnEveryMs) return;
    if (lastWarned.size >= 1000) for (const [a, t] of lastWarned) if (at - t >= refusalWarnEveryMs) lastWarned.delete(a);
    lastWarned.set(address, at);
    logger.warn("branch call refused by the outbound policy", { ...callFields(call), address, ...(reason === undefined ? {} : { reason }) });
  };
}

function dispatcherClosed(): BranchOutcome {
  return { kind: "unknown", code: Code.Unavailable, message: "dispatcher closed" };
}

function circuitOpen(address: string): BranchOutcome {
  return { kind: "unknown", code: Code.Unavailable, message: `circuit open for ${address}` };
}

/** Checked once, at creation: a scheme without a transport would fail every call of its targets. */
function transportsByScheme(transports: readonly BranchTransport[]): Readonly<Record<TargetScheme, BranchTransport>> {
  const byScheme = new Map<TargetScheme, BranchTransport>();
  for (const transport of transports) {
    for (const scheme of transport.schemes) {
      if (byScheme.has(scheme)) throw new RangeError(`two transports serve the ${scheme} scheme`);
      byScheme.set(scheme, transport);
    }
  }
  const missing = targetSchemes.filter((scheme) => !byScheme.has(scheme));
  if (missing.length > 0) throw new RangeError(`no transport serves the ${missing.join(", ")} scheme`);
  return Object.fromEntries(byScheme) as Record<TargetScheme, BranchTransport>;
}

/** What a log line says about a call: the target and whichever of gid, branch and op it names. */
function callFields(call: BranchCall): Readonly<Record<string, string>> {
  return {
    target: call.target,
    ...(call.gid === undefined ? {} : { gid: call.gid }),
    ...(call.branchId === undefined ? {} : { branchId: call.branchId }),
    ...(call.op === undefined ? {} : { op: call.op }),
  };
}
