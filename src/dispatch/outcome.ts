/**
 * From a gRPC status to a branch outcome (DESIGN.md §4). Internal module.
 */
import { Code } from "@connectrpc/connect";
import type { BranchOutcome } from "./types.js";

/** gRPC's OK, which Connect's `Code` has no member for (an OK is not an error). */
export const grpcStatusOk = 0;

/**
 * Map a gRPC status code to a {@link BranchOutcome}: OK → success (with `response`), ABORTED →
 * failure, FAILED_PRECONDITION → ongoing, anything else → unknown, keeping code and message.
 * grpc-js status numbers equal Connect `Code` numbers; a number outside 1-16 becomes
 * `Code.Unknown`.
 */
export function outcomeFromStatus(code: number, message: string, response: Uint8Array = new Uint8Array(0)): BranchOutcome {
  switch (code) {
    case grpcStatusOk:
      return { kind: "success", response };
    case Code.Aborted:
      return { kind: "failure", message };
    case Code.FailedPrecondition:
      return { kind: "ongoing", message };
    default:
      return { kind: "unknown", code: isConnectCode(code) ? code : Code.Unknown, message };
  }
}

/**
 * Whether an outcome shows the branch's service is alive and answering: every outcome but
 * unknown is a deliberate answer from the business code.
 */
export function isServiceAlive(outcome: BranchOutcome): boolean {
  return outcome.kind !== "unknown";
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
