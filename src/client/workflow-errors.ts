/**
 * The typed errors of workflows. Part of `concord/client`.
 */
import type { Transaction } from "../../gen/ts/concord/v1/transaction_pb.js";

/**
 * Thrown by `run` when the workflow ended FAILED: a step or the function threw, and the steps done
 * so far were compensated. `reason` is the recorded rollback reason; `cause` the error itself when
 * this run saw it (not when the workflow had failed before).
 */
export class WorkflowFailedError extends Error {
  override readonly name = "WorkflowFailedError";
  constructor(
    readonly gid: string,
    readonly reason: string,
    readonly transaction?: Transaction,
    options?: { cause?: unknown },
  ) {
    super(`workflow ${gid} failed: ${reason || "no reason recorded"}`, options);
  }
}

/**
 * What a step throws inside the function when its work failed: the step's own error on the first
 * run (as `cause`), or its recorded failure on a replay — the same message both times, so a
 * replayed function takes the same path.
 */
export class WorkflowStepFailedError extends Error {
  override readonly name = "WorkflowStepFailedError";
  constructor(
    /** The step's branch id (`01`, `02`, …). */
    readonly branchId: string,
    /** The step's name, or the op it was (`tcc`, `xa`, `call`). */
    readonly step: string,
    /** The failure as recorded: the error's message, or the branch's FAILURE answer. */
    readonly recorded: string,
    options?: { cause?: unknown },
  ) {
    super(`step ${branchId} (${step}) failed: ${recorded}`, options);
  }
}

/**
 * Thrown by `run` when the workflow is left unfinished, to be resumed by Concord after its
 * `timeoutToFailMs`: a step was ONGOING (a branch answered FAILED_PRECONDITION or HTTP 425, or a
 * local step threw `branchOngoing()`), a branch or the coordinator could not be reached, a
 * compensation or confirm did not succeed yet, or another run of the same gid was recording too.
 * Nothing was recorded for the step that stopped it.
 */
export class WorkflowUnfinishedError extends Error {
  override readonly name = "WorkflowUnfinishedError";
  constructor(
    readonly gid: string,
    /** What stopped the run. */
    readonly why: string,
    options?: { cause?: unknown },
  ) {
    super(`workflow ${gid} left unfinished, Concord resumes it later: ${why}`, options);
  }
}
