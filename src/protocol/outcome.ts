/**
 * How a branch answers, and the one table between gRPC statuses and those answers (DESIGN.md §4):
 * the coordinator reads a status into an outcome, and the SDK's branch helpers answer with the
 * status of an outcome. Internal module.
 */
import { Code } from "@connectrpc/connect";

/** How a branch answered, per DESIGN.md §4. */
export type BranchOutcome =
  /** gRPC OK. `response` is the raw serialized response message. */
  | { readonly kind: "success"; readonly response: Uint8Array }
  /** gRPC ABORTED: the business said no. */
  | { readonly kind: "failure"; readonly message: string }
  /** gRPC FAILED_PRECONDITION: not decided yet, ask again later; not an error. */
  | { readonly kind: "ongoing"; readonly message: string }
  /**
   * Anything else (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, an open circuit, …): retry with
   * backoff. A transport failure's `message` is one of a few fixed texts (transport-errors.ts);
   * `detail` then holds the real error and `refusedAddress` the address the outbound policy
   * refused, both for the coordinator's log only: never stored or shown.
   */
  | { readonly kind: "unknown"; readonly code: Code; readonly message: string; readonly detail?: string; readonly refusedAddress?: string };

/** gRPC's OK, which Connect's `Code` has no member for (an OK is not an error). */
const grpcStatusOk = 0;

/**
 * The status a branch answers with to say FAILURE or ONGOING. grpc-js status numbers equal
 * Connect `Code` numbers, so this serves both kinds of handler.
 */
export const outcomeStatus = {
  failure: Code.Aborted,
  ongoing: Code.FailedPrecondition,
} as const satisfies Record<"failure" | "ongoing", Code>;

/**
 * Map a gRPC status code to a {@link BranchOutcome}: OK → success (with `response`), ABORTED →
 * failure, FAILED_PRECONDITION → ongoing, anything else → unknown, keeping code and message.
 * A number outside 1-16 becomes `Code.Unknown`.
 */
export function outcomeFromStatus(code: number, message: string, response: Uint8Array = new Uint8Array(0)): BranchOutcome {
  switch (code) {
    case grpcStatusOk:
      return { kind: "success", response };
    case outcomeStatus.failure:
      return { kind: "failure", message };
    case outcomeStatus.ongoing:
      return { kind: "ongoing", message };
    default:
      return { kind: "unknown", code: isConnectCode(code) ? code : Code.Unknown, message };
  }
}

/** The status that carries an outcome that is not a success: the inverse of {@link outcomeFromStatus}. */
export function statusOfOutcome(outcome: Exclude<BranchOutcome, { kind: "success" }>): Code {
  return outcome.kind === "unknown" ? outcome.code : outcomeStatus[outcome.kind];
}

/**
 * Whether an outcome says nothing against the branch's service being up, which is what a circuit
 * breaker counts: every outcome but unknown is a deliberate answer from the business code, and of
 * the unknown ones INVALID_ARGUMENT (a request the service, or our own client before sending,
 * found malformed) and CANCELLED (we gave up ourselves) are about the request, not the service.
 * Counting them would let one bad request open the circuit for every transaction.
 */
export function isServiceAlive(outcome: BranchOutcome): boolean {
  return outcome.kind !== "unknown" || outcome.code === Code.InvalidArgument || outcome.code === Code.Canceled;
}

/** A one-line description for logs and `branches.last_error`. */
export function describeOutcome(outcome: BranchOutcome): string {
  switch (outcome.kind) {
    case "success":
      return "success";
    case "failure":
    case "ongoing":
      return `${outcome.kind}: ${outcome.message}`;
    case "unknown":
      return `${Code[outcome.code] ?? outcome.code}: ${outcome.message}`;
  }
}

function isConnectCode(code: number): code is Code {
  return Number.isInteger(code) && code >= Code.Canceled && code <= Code.Unauthenticated;
}
