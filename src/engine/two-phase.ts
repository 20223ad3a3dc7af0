/**
 * TCC and XA: the client ran the first phase (try / a prepared local transaction) and registered
 * each branch; Concord runs the second phase over every registered branch, in reverse
 * registration order: confirm/commit after Submit, cancel/rollback after Abort or when the
 * transaction stayed PREPARED past `timeout_to_fail`. Second-phase ops must succeed: every
 * answer but OK is retried. Internal module.
 */
import type { BranchOp, BranchRecord } from "../model.js";
import type { NewBranch } from "../store/index.js";
import type { BranchRegistration, ModeEngine } from "./mode.js";
import { timeoutReason } from "./mode.js";
import type { RunEnd, TransactionRun } from "./run.js";

const noHeaders: Readonly<Record<string, string>> = Object.freeze({});

export interface TwoPhaseOptions<M extends BranchRegistration["mode"]> {
  /** The mode, as registrations and answers name it. */
  readonly mode: M;
  /** The second-phase op after Submit (confirm, commit). */
  readonly commit: BranchOp;
  /** The second-phase op after Abort or a timeout (cancel, rollback). */
  readonly rollback: BranchOp;
  /** The targets of the two ops, from one of this mode's registrations. */
  targets(registration: Extract<BranchRegistration, { mode: M }>): { readonly commit: string; readonly rollback: string };
}

export function createTwoPhaseEngine<M extends BranchRegistration["mode"]>(ops: TwoPhaseOptions<M>): ModeEngine {
  return {
    // The try phase happened at the client: Submit and Prepare carry no body.
    submitBody: { kind: undefined, required: false },
    prepare: { kind: undefined, required: false },
    abort: { toStatus: "aborting" },
    preparedName: `prepared ${ops.mode} transaction`,
    branchesOf: () => [],
    registeredBranches(branchId, payload, registration): NewBranch[] {
      const { commit, rollback } = ops.targets(registration as Extract<BranchRegistration, { mode: M }>);
      return [
        { branchId, op: ops.commit, target: commit, payload },
        { branchId, op: ops.rollback, target: rollback, payload },
      ];
    },
    // The gid and mode say it all: there is no body to compare.
    isRepeat: () => true,
    // Submitted, it only goes forward: rolling back means it was aborted (or timed out) first.
    wasAborted: (existing) => existing.status === "aborting" || existing.status === "failed",

    async drive(run: TransactionRun): Promise<RunEnd> {
      if (run.tx.status === "prepared") {
        // Only reached once timed out (the executor hands earlier claims back).
        if (!(await run.startAborting(timeoutReason(run.tx.options.timeoutToFailMs)))) return "lost";
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
    run.alertIfDue(b.branchId, op, outcome, { mustSucceed: true });
    run.requestRetry(outcome, run.branch(b.branchId, op)!.attempts);
    return false;
  }
  return true;
}

export const tccEngine = createTwoPhaseEngine({
  mode: "tcc",
  commit: "confirm",
  rollback: "cancel",
  targets: (r) => ({ commit: r.confirm, rollback: r.cancel }),
});
export const xaEngine = createTwoPhaseEngine({
  mode: "xa",
  commit: "commit",
  rollback: "rollback",
  // One target per branch, called with op commit or rollback.
  targets: (r) => ({ commit: r.target, rollback: r.target }),
});
