/**
 * SAGA: run the actions in order (or over the `after` graph when concurrent); on a FAILURE,
 * `max_attempts` exceeded or `timeout_to_fail` passed, turn ABORTING and compensate, in reverse,
 * every step whose action may have run — the failed one included. Internal module.
 */
import type { ModeEngine } from "./mode.js";
import { stepBranches, timeoutReason } from "./mode.js";
import type { RunEnd, TransactionRun } from "./run.js";
import { describeOutcome } from "../protocol/index.js";
import { runGraph, stepDependencies, stepDependents } from "./graph.js";

/** Most branch calls one saga has in flight at once. */
const maxParallelCalls = 16;

/** `branchId`: the step whose action made the saga roll back, when one did. */
type Forward = { kind: "done" } | { kind: "retry" } | { kind: "abort"; reason: string; branchId?: string };

export const sagaEngine: ModeEngine = {
  submitBody: { kind: "saga", required: true },
  prepare: { refused: "a saga is submitted directly, not prepared" },
  abort: { refused: "a saga rolls back by itself when a step fails" },
  preparedName: "saga",
  branchesOf: (spec, payloads) => stepBranches(spec, payloads, ["action", "compensate"]),
  // A saga is its request: the same gid with any other content is another transaction.
  isRepeat: (existing, _spec, requestHash) => existing.requestHash === requestHash,
  // Nobody aborts a saga: a FAILED one is the answer to its own Submit.
  wasAborted: () => false,

  async drive(run: TransactionRun): Promise<RunEnd> {
    if (run.tx.status === "submitted") {
      const result: Forward = run.timedOut ? { kind: "abort", reason: timeoutReason(run.tx.options.timeoutToFailMs) } : await forward(run);
      if (result.kind === "done") return run.finish("succeeded");
      if (result.kind === "retry") return run.saveRetry();
      if (!(await run.startAborting(result.reason, result.branchId))) return "lost";
    }
    if (run.tx.status === "aborting") {
      return (await compensate(run)) ? run.finish("failed") : run.saveRetry();
    }
    return "final";
  },
  idleDelayMs: (run) => run.tx.options.retry.initialIntervalMs,
};

async function forward(run: TransactionRun): Promise<Forward> {
  const { steps } = run.tx.spec;
  const deps = stepDependencies(run.tx.spec);
  const maxAttempts = run.tx.options.retry.maxAttempts;
  const retryLimit = run.tx.options.retryLimit ?? 0;
  /** Immediate retries spent in this run, over all steps (dtm's retry_limit counts them per pass). */
  let retried = 0;
  const succeeded = (i: number) => run.branch(steps[i]!.branchId, "action")?.status === "succeeded";
  let abort: { reason: string; branchId: string } | undefined;

  await runGraph(
    steps.length,
    succeeded,
    (i) => deps[i]!.every(succeeded),
    async (i) => {
      const step = steps[i]!;
      // Bounded: every turn but the last spends one of `retryLimit` immediate retries.
      for (;;) {
        const outcome = await run.call(step, "action", step.action);
        if (outcome.kind === "success") return true;
        if (outcome.kind === "failure") {
          abort ??= { reason: `step ${step.branchId} action failed: ${outcome.message}`, branchId: step.branchId };
          return false;
        }
        if (retryLimit > 0) {
          if (retried < retryLimit && abort === undefined) {
            retried++;
            continue;
          }
          abort ??= { reason: `RetryCount is greater than RetryLimit, RetryLimit: ${retryLimit}`, branchId: step.branchId };
          return false;
        }
        const attempts = run.branch(step.branchId, "action")!.attempts;
        if (outcome.kind === "unknown" && maxAttempts > 0 && attempts >= maxAttempts) {
          abort ??= { reason: `step ${step.branchId} action exceeded max_attempts (${maxAttempts}): ${describeOutcome(outcome)}`, branchId: step.branchId };
          return false;
        }
        run.alertIfDue(step.branchId, "action", outcome, { mustSucceed: false });
        run.requestRetry(outcome, attempts);
        return false;
      }
    },
    run.tx.spec.concurrent ? maxParallelCalls : 1,
  );

  if (abort !== undefined) return { kind: "abort", ...abort };
  if (run.retryRequested) return { kind: "retry" };
  return { kind: "done" };
}

/** Compensate every step whose action may have run, dependents first. True when all are done. */
async function compensate(run: TransactionRun): Promise<boolean> {
  const { steps } = run.tx.spec;
  const dependents = stepDependents(stepDependencies(run.tx.spec));
  const needed = steps.map((s) => run.mayHaveRun(s.branchId, "action"));
  const done = (i: number) => !needed[i] || run.branch(steps[i]!.branchId, "compensate")?.status === "succeeded";

  await runGraph(
    steps.length,
    done,
    (i) => dependents[i]!.every(done),
    async (i) => {
      const step = steps[i]!;
      const outcome = await run.call(step, "compensate", step.compensate);
      if (outcome.kind === "success") return true;
      // A compensation must eventually succeed: every other answer is retried, and past
      // max_attempts an alert is raised instead of giving up.
      const attempts = run.branch(step.branchId, "compensate")!.attempts;
      run.alertIfDue(step.branchId, "compensate", outcome, { mustSucceed: true });
      run.requestRetry(outcome, attempts);
      return false;
    },
    run.tx.spec.concurrent ? maxParallelCalls : 1,
  );
  return steps.every((_, i) => done(i));
}
