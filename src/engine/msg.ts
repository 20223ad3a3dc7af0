/**
 * MSG (two-phase message): a PREPARED message past `timeout_to_fail` is back-checked through
 * `query_prepared`; a SUBMITTED one runs every action until it succeeds (no compensation), once
 * its `delay` (if any) has passed. Internal module.
 */
import type { StepSpec, TransactionSpec } from "../model.js";
import { canonicalJson } from "../canonical-json.js";
import type { ModeEngine } from "./mode.js";
import { stepBranches } from "./mode.js";
import type { RunEnd, TransactionRun } from "./run.js";
import { runGraph } from "./graph.js";
import { topicTarget } from "./topics.js";

const maxParallelCalls = 16;

export const msgEngine: ModeEngine = {
  // Without steps, Submit submits a message prepared earlier; with them, it stores and submits in one call.
  submitBody: { kind: "msg", required: false },
  prepare: { kind: "msg", required: true },
  // Nothing has run yet: an aborted message is simply dropped.
  abort: { toStatus: "failed" },
  preparedName: "prepared message (give msg.steps to submit in one call)",
  branchesOf: (spec, payloads) => stepBranches(spec, payloads, ["action"]),
  // A message may be submitted with or without its steps; given, they must be the prepared ones
  // (as requested: a topic step is compared before its fan-out).
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

    // The delay counts from creation. Both times are the database's: `updatedAt` is the clock of
    // the write that handed this run the transaction (claim, insert or submit).
    const delayLeftMs = run.tx.createdAt.getTime() + (run.tx.spec.delayMs ?? 0) - run.tx.updatedAt.getTime();
    if (delayLeftMs > 0) return run.saveRetry(delayLeftMs);

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
        run.alertIfDue(step.branchId, "action", outcome, { mustSucceed: true });
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

/** Whether `requested` (as a request spells it, topics not fanned out) is the stored message. */
function sameSteps(stored: TransactionSpec, requested: TransactionSpec): boolean {
  return (
    canonicalJson(asRequested(stored.steps)) === canonicalJson(asRequested(requested.steps)) &&
    stored.concurrent === requested.concurrent &&
    (stored.delayMs ?? 0) === (requested.delayMs ?? 0)
  );
}

/** The steps as requested: the steps fanned out from one topic step folded back into it. */
function asRequested(steps: readonly StepSpec[]): StepSpec[] {
  const out: StepSpec[] = [];
  for (const { topic, ...step } of steps) {
    if (topic === undefined) {
      out.push(step);
      continue;
    }
    // Fanned-out branch ids are `<step>-<n>` (or `<step>` for a single subscriber).
    const branchId = step.branchId.split("-")[0]!;
    if (out.at(-1)?.branchId === branchId) continue;
    out.push({ ...step, branchId, action: topicTarget(topic) });
  }
  return out;
}
