/**
 * What the engine needs from the branch caller. Internal module.
 */
import type { Code } from "@connectrpc/connect";

/** How a branch answered, per DESIGN.md §4. */
export type BranchOutcome =
  /** gRPC OK. `response` is the raw serialized response message. */
  | { readonly kind: "success"; readonly response: Uint8Array }
  /** gRPC ABORTED: the business said no. */
  | { readonly kind: "failure"; readonly message: string }
  /** gRPC FAILED_PRECONDITION: not decided yet, ask again later; not an error. */
  | { readonly kind: "ongoing"; readonly message: string }
  /** Anything else (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, an open circuit, …): retry with backoff. */
  | { readonly kind: "unknown"; readonly code: Code; readonly message: string };

export interface BranchCall {
  /** `host:port/package.Service/Method`; empty = a no-op that succeeds without a call. */
  readonly target: string;
  /** The serialized request message, sent as is. */
  readonly payload: Uint8Array;
  /** gRPC metadata (the `dtm-*` keys plus branch and step headers). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Deadline of this call. */
  readonly timeoutMs: number;
}

export interface Dispatcher {
  /** Never throws: every failure is an outcome. */
  call(call: BranchCall): Promise<BranchOutcome>;
  /** Close every channel. Idempotent. */
  close(): void;
}
