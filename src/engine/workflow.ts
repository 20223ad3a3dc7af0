/**
 * WORKFLOW: a function its client runs, recording each step's outcome (workflows.ts). Concord
 * calls none of its branches: the side that holds the function runs its rollbacks. A run only
 * resumes it: a PREPARED workflow is due when it made no progress for `timeout_to_fail` (or when
 * asked to run now), and is then called at its resume target with its input, again after the
 * retry backoff for as long as it stays PREPARED. Internal module.
 */
import { isFinal } from "../model.js";
import type { ModeEngine } from "./mode.js";
import type { RunEnd, TransactionRun } from "./run.js";

const byWorkflowService = "a workflow is prepared, recorded and finished through WorkflowService";

export const workflowEngine: ModeEngine = {
  submitBody: { kind: undefined, required: false },
  submitRefused: `${byWorkflowService} (FinishWorkflow ends it)`,
  prepare: { refused: `${byWorkflowService} (PrepareWorkflow)` },
  // dtm refuses it too: only the client holds the compensations, and runs them before FinishWorkflow.
  abort: { refused: "only its client can roll it back (its compensations, then FinishWorkflow with FAILED); an operator can ForceStop it" },
  drivesPreparedWhenDue: true,
  preparedName: "prepared workflow",
  branchesOf: () => [],
  isRepeat: () => false,
  wasAborted: () => false,

  async drive(run: TransactionRun): Promise<RunEnd> {
    // Finished by its client: nothing is left for Concord to do.
    if (run.tx.status !== "prepared") return "final";
    const workflow = run.tx.spec.workflow;
    if (!workflow) throw new Error(`workflow ${run.gid} has no stored workflow spec`);
    const outcome = await run.resume(workflow.resumeTarget, run.tx.input, workflow.name);
    // A resumed client usually finishes the workflow before it answers: the finish took the
    // transaction from this run (lease and next attempt cleared), so there is nothing to write.
    const now = await run.ctx.store.getTransaction(run.gid);
    if (!now || isFinal(now.status)) return "final";
    // Still PREPARED, whatever the answer (only the client decides how a workflow ends): call
    // again after the backoff, the attempts counting the resumes.
    run.requestRetry(outcome, run.tx.attempts);
    return run.saveRetry();
  },
  idleDelayMs: (run) => run.tx.options.timeoutToFailMs || run.tx.options.retry.initialIntervalMs,
};
