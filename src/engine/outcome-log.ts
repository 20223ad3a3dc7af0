/**
 * The lines an operator needs at `info` when things go wrong: a transaction that rolls back, one
 * that ends FAILED, a branch op that passed its alert threshold — each with the gid and, where
 * there is one, the branch, op and last error behind it. Success stays quiet. Internal module.
 */
import type { Logger } from "../logger.js";
import type { BranchCause, CoordinatorEvents } from "./events.js";

/** Log rollbacks, failures and alerts from `events`; returns the unsubscribe. */
export function logTransactionOutcomes(events: CoordinatorEvents, logger: Logger): () => void {
  const offs = [
    events.on("transaction:aborting", (e) => {
      logger.info("transaction rolls back", { gid: e.gid, mode: e.mode, reason: e.reason, ...causeFields(e.cause) });
    }),
    events.on("transaction:finished", (e) => {
      if (e.status !== "failed") return;
      logger.info("transaction failed", { gid: e.gid, mode: e.mode, reason: e.rollbackReason, ...causeFields(e.cause) });
    }),
    events.on("branch:alert", (e) => {
      logger.warn(e.reason === "max_attempts" ? "branch op reached max_attempts; still retrying" : "branch op keeps failing; still retrying", {
        gid: e.gid,
        branchId: e.branchId,
        op: e.op,
        attempts: e.attempts,
        lastError: e.lastError,
      });
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}

function causeFields(cause: BranchCause | undefined): Record<string, string> {
  return cause ? { branchId: cause.branchId, op: cause.op, lastError: cause.lastError } : {};
}
