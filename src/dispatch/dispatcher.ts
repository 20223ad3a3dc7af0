/**
 * The branch dispatcher: routes each call to the transport of its target's scheme, behind one
 * circuit breaker per address. Internal module.
 *
 * Transports only call; what makes Concord a good neighbour (failing fast on a dead address,
 * probing it back, logging why) is here, once, whatever the scheme.
 */
import { Code } from "@connectrpc/connect";
import { silentLogger, type Logger } from "../logger.js";
import { callableTarget, describeOutcome, isServiceAlive, targetSchemes, type BranchOutcome, type TargetScheme } from "../protocol/index.js";
import { createCircuitBreaker, type CircuitState } from "./circuit-breaker.js";
import { createGrpcTransport, type GrpcTransportOptions } from "./grpc-transport.js";
import { createHttpTransport, type HttpTransportOptions } from "./http-transport.js";
import type { BranchCall, BranchTransport, Dispatcher } from "./types.js";

export interface DispatcherOptions {
  /** Told of every circuit state change (e.g. metrics), besides the log. */
  readonly onCircuitChange?: (address: string, state: CircuitState) => void;
  /** Consecutive unknown outcomes of one address that open its circuit. Default: 5. */
  readonly breakerFailureThreshold?: number;
  /** How long an open circuit fails fast before one probe call, in milliseconds. Default: 5000. */
  readonly breakerOpenMs?: number;
  /**
   * Monotonic clock of the circuit breaker, in milliseconds. Default: `performance.now()`.
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
   * The transports: exactly one for each scheme a target can name (a list that leaves one out
   * or serves one twice throws). The dispatcher closes them when it closes.
   * Default: the gRPC transport, built with `channelOptions`, and the HTTP transport, built with `http`.
   */
  readonly transports?: readonly BranchTransport[];
}

/** Create a dispatcher. Close it to close its transports and cancel calls in flight. */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const logger = options.logger ?? silentLogger;
  const transports = options.transports ?? [
    createGrpcTransport(options.channelOptions === undefined ? {} : { channelOptions: options.channelOptions }),
    createHttpTransport(options.http),
  ];
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
  let closed = false;

  async function call(call: BranchCall): Promise<BranchOutcome> {
    const target = callableTarget(call.target);
    if ("kind" in target) return target;
    if (closed) return { kind: "unknown", code: Code.Unavailable, message: "dispatcher closed" };
    const transport = byScheme[target.scheme];
    // The call itself is the cause a state change is told about; its log fields are built only then.
    const permit = breaker.acquire(target.address, call);
    if (permit === undefined) {
      return { kind: "unknown", code: Code.Unavailable, message: `circuit open for ${target.address}` };
    }
    // A transport never throws by contract; one that does still must not break ours.
    const outcome = await transport.call(target, call, permit.probe).catch(
      (error: unknown): BranchOutcome => ({
        kind: "unknown",
        code: Code.Internal,
        message: error instanceof Error ? error.message : String(error),
      }),
    );
    permit.record(isServiceAlive(outcome));
    if (outcome.kind === "unknown") logger.debug("branch call unknown", { ...callFields(call), outcome: describeOutcome(outcome) });
    return outcome;
  }

  return {
    call,
    circuits: () => breaker.circuits(),
    close() {
      if (closed) return;
      closed = true;
      for (const transport of transports) transport.close();
    },
  };
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
