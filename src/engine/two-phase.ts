/**
 * TCC and XA: the client ran the first phase (try / a prepared local transaction) and registered
 * each branch; Concord runs the second phase over every registered branch, in reverse
 * registration order: confirm/commit after Submit, cancel/rollback after Abort or when the
 * transaction stayed PREPARED past `timeout_to_fail`. Second-phase ops must succeed: every
 * answer but OK is retried. Internal module.
 */
import type { BranchOp, BranchRecord } from "../model.js";
import type { ModeEngine } from "./mode.js";
import type { RunEnd, TransactionRun } from "./run.js";

const noHeaders: Readonly<Record<string, string>> = Object.freeze({});

export function createTwoPhaseEngine(ops: { readonly commit: BranchOp; readonly rollback: BranchOp }): ModeEngine {
  return {
    async drive(run: TransactionRun): Promise<RunEnd> {
      if (run.tx.status === "prepared") {
        // Only reached once timed out (the executor hands earlier claims back).
        if (!(await run.startAborting("timeout_to_fail passed while the transaction was still prepared"))) return "lost";
      }
      if (run.tx.status === "submitted") return (await secondPhase(run, ops.commit)) ? run.finish("succeeded") : run.saveRetry();
      if (run.tx.status === "aborting") return (await secondPhase(run, ops.rollback)) ? run.finish("failed") : run.saveRetry();
      return "final";
    },
    idleDelayMs: (run) => run.tx.options.timeoutToFailMs || run.tx.options.retry.initialIntervalMs,
  };
}

/** Reverse registration order: nested sub-branches (registered later) finish before their parent. */
function reverseRegistration(branches: readonly BranchRecord[]): BranchRecord[] {
  return [...branches].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.branchId < b.branchId ? 1 : a.branchId > b.branchId ? -1 : 0));
}

/** Call `op` of every registered branch, one after another. True when all have succeeded. */
async function secondPhase(run: TransactionRun, op: BranchOp): Promise<boolean> {
  const branches = reverseRegistration(run.snapshot().branches.filter((b) => b.op === op));
  for (const b of branches) {
    if (run.branch(b.branchId, op)?.status === "succeeded") continue;
    const outcome = await run.call({ branchId: b.branchId, headers: noHeaders, requestTimeoutMs: 0 }, op, b.target);
    if (outcome.kind === "success") continue;
    run.alertIfExhausted(b.branchId, op);
    run.requestRetry(outcome, run.branch(b.branchId, op)!.attempts);
    return false;
  }
  return true;
}

export const tccEngine = createTwoPhaseEngine({ commit: "confirm", rollback: "cancel" });
export const xaEngine = createTwoPhaseEngine({ commit: "commit", rollback: "rollback" });
