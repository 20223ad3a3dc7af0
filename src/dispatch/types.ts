/**
 * What the engine needs from the branch caller, and what a transport gives the dispatcher.
 * Internal module.
 */
import type { BranchOutcome, OutboundPolicy, ParsedTarget, TargetScheme } from "../protocol/index.js";
import type { CircuitSnapshot } from "./circuit-breaker.js";
import type { GovernanceSettings, GovernedService } from "./governor.js";

export interface BranchCall {
  /** A branch target (`host:port/package.Service/Method` for gRPC, or an http(s) URL); empty = a no-op that succeeds without a call. */
  readonly target: string;
  /** The serialized request message (gRPC) or JSON body (HTTP), sent as is. */
  readonly payload: Uint8Array;
  /** Metadata sent with the call (the `dtm-*` keys plus branch and step headers; over HTTP the `dtm-*` keys go as query parameters). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Deadline of this call, in milliseconds. */
  readonly timeoutMs: number;
  /** For logs only: the transaction the call serves. */
  readonly gid?: string;
  /** For logs only: the branch the call serves. */
  readonly branchId?: string;
  /** For logs only: the branch op (`action`, `try`, …, or `msg` for a back-check). */
  readonly op?: string;
}

export interface Dispatcher {
  /** Never throws: every failure is an outcome. */
  call(call: BranchCall): Promise<BranchOutcome>;
  /** The circuits of the branch addresses that have something to remember (open, half-open, failing). */
  circuits(): readonly CircuitSnapshot[];
  /** The branch services with limits set for them, or with governed calls in flight or waiting, by address. */
  services(): readonly GovernedService[];
  /**
   * Apply new limits per branch service at once (a configuration reload): a raised cap or rate
   * admits waiting calls now; a lowered one lets calls in flight finish. Throws a RangeError on a
   * negative or non-finite limit, or a fractional `maxConcurrency`, and then changes nothing.
   */
  configureServices(settings: GovernanceSettings): void;
  /** The outbound policy branch calls are checked against now (what Submit checks targets against too). */
  outboundPolicy(): OutboundPolicy;
  /**
   * Check calls against `policy` from now on (a configuration reload): the next gRPC call and
   * every new HTTP connection; HTTP connections made under the old policy are not reused.
   */
  setOutboundPolicy(policy: OutboundPolicy): void;
  /** Close every transport. Idempotent. */
  close(): void;
}

/**
 * How branches of some schemes are called. The dispatcher parses the target, fails fast on an
 * open circuit, and hands the call to the transport serving the target's scheme; a new scheme
 * is a new transport registered with the dispatcher (and its grammar in protocol/target.ts).
 */
export interface BranchTransport {
  /** The schemes this transport calls; no two transports of a dispatcher share one. */
  readonly schemes: readonly TargetScheme[];
  /**
   * Make one call. Never throws: every failure is an outcome. `probe` is set on the circuit's
   * half-open probe: wait (within the deadline) for a connection rather than fail on one still
   * backing off from the outage.
   */
  call(target: ParsedTarget, call: BranchCall, probe: boolean): Promise<BranchOutcome>;
  /** Cancel calls in flight and release connections. Idempotent. */
  close(): void;
}
