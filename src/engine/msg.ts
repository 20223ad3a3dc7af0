/**
 * MSG (two-phase message): a PREPARED message past `timeout_to_fail` is back-checked through
 * `query_prepared`; a SUBMITTED one runs every action until it succeeds (no compensation).
 * Internal module.
 */
import type { TransactionSpec } from "../model.js";
import { canonicalJson } from "../canonical-json.js";
import type { ModeEngine } from "./mode.js";
import { stepBranches } from "./mode.js";
import type { RunEnd, TransactionRun } from "./run.js";
import { runGraph } from "./graph.js";

const maxParallelCalls = 16;

export const msgEngine: ModeEngine = {
  // Without steps, Submit submits a message prepared earlier; with them, it stores and submits in one call.
  submitBody: { kind: "msg", required: false },
  prepare: { kind: "msg", required: true },
  // Nothing has run yet: an aborted message is simply dropped.
  abort: { toStatus: "failed" },
  preparedName: "prepared message (give msg.steps to submit in one call)",
  branchesOf: (spec, payloads) => stepBranches(spec, payloads, ["action"]),
  // A message may be submitted with or without its steps; given, they must be the prepared ones.
  isRepeat: (existing, spec) => !spec || sameSteps(existing.spec, spec),
  // A submitted message never rolls back: FAILED means aborted, or its back-check said FAILURE.
  wasAborted: (existing) => existing.status === "failed",

  async drive(run: TransactionRun): Promise<RunEnd> {
    if (run.tx.status === "prepared") {
      const outcome = await run.queryPrepared(run.tx.spec.queryPrepared);
      if (outcome.kind === "failure") {
        return run.finish("failed", `query_prepared answered FAILURE: ${outcome.message}`, { branchId: "00", op: "msg", lastError: outcome.message });
      }
      if (outcome.kind !== "success") {
        run.requestRetry(outcome, run.tx.attempts);
        return run.saveRetry();
      }
      if (!(await run.save({ kind: "hold", leaseMs: run.ctx.lease.leaseMs }, { toStatus: "submitted" }))) return "lost";
      run.ctx.events.emit("transaction:submitted", { gid: run.gid, mode: "msg" });
    }
    if (run.tx.status !== "submitted") return "final";

    const { steps } = run.tx.spec;
    const succeeded = (i: number) => run.branch(steps[i]!.branchId, "action")?.status === "succeeded";
    await runGraph(
      steps.length,
      succeeded,
      // Sequential messages run in order; concurrent ones all at once.
      (i) => run.tx.spec.concurrent || i === 0 || succeeded(i - 1),
      async (i) => {
        const step = steps[i]!;
        const outcome = await run.call(step, "action", step.action);
        if (outcome.kind === "success") return true;
        // A submitted message is never rolled back: every other answer, FAILURE included, is retried.
        run.alertIfExhausted(step.branchId, "action", outcome);
        run.requestRetry(outcome, run.branch(step.branchId, "action")!.attempts);
        // Concurrent actions are independent: the others go on.
        return run.tx.spec.concurrent;
      },
      run.tx.spec.concurrent ? maxParallelCalls : 1,
    );
    return steps.every((_, i) => succeeded(i)) ? run.finish("succeeded") : run.saveRetry();
  },
  idleDelayMs: (run) => run.tx.options.timeoutToFailMs || run.tx.options.retry.initialIntervalMs,
};

function sameSteps(a: TransactionSpec, b: TransactionSpec): boolean {
  return canonicalJson(a.steps) === canonicalJson(b.steps) && a.concurrent === b.concurrent;
}
