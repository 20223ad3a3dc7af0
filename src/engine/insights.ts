/**
 * What operators read beyond one transaction's state: its branch timeline, counts by status and
 * mode, and a dashboard's figures (cluster-wide from the store, and this instance's own in-flight
 * work, circuit breakers and governed branch services). Internal module.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { BranchAttemptRecord, Mode, TransactionStatus, TransactionWithBranches } from "../model.js";
import type { StoreOverview, Store } from "../store/index.js";
import type { CircuitSnapshot, Dispatcher, GovernedService } from "../dispatch/index.js";
import type { CallGate } from "./call-gate.js";
import type { Executor } from "./executor.js";

/** How many calls of one branch op a timeline keeps at most (the latest). */
export const timelineCallsPerOp = 50;

export interface InsightsOptions {
  readonly store: Store;
  readonly executor: Executor;
  readonly dispatcher: Dispatcher;
  readonly calls: CallGate;
}

/** A transaction with its timeline: its branch calls, oldest first, the successes included. */
export interface InspectedTransaction {
  readonly transaction: TransactionWithBranches;
  readonly timeline: readonly BranchAttemptRecord[];
}

export interface Overview extends StoreOverview {
  readonly inFlight: number;
  readonly circuits: readonly CircuitSnapshot[];
  /** Branch services with limits on this instance, with their calls in flight and waiting. */
  readonly services: readonly GovernedService[];
}

/**
 * The recorded calls keep the order they were made in (the store's). A success told only by its
 * branch row goes before the first recorded call that is not older: times are whole milliseconds,
 * and a call recorded in the same millisecond as a row's finish came after it (each outcome is
 * written before the next step, and a run that records calls records its successes too).
 */
export function mergeTimeline(recorded: readonly BranchAttemptRecord[], fromRows: readonly BranchAttemptRecord[]): BranchAttemptRecord[] {
  const rows = [...fromRows].sort((a, b) => a.at.getTime() - b.at.getTime());
  const out: BranchAttemptRecord[] = [];
  let next = 0;
  for (const call of recorded) {
    while (next < rows.length && rows[next]!.at.getTime() <= call.at.getTime()) out.push(rows[next++]!);
    out.push(call);
  }
  return out.concat(rows.slice(next));
}

export function createInsights({ store, executor, dispatcher, calls }: InsightsOptions) {
  async function inspect(gid: string): Promise<InspectedTransaction> {
    const [transaction, recorded] = await Promise.all([store.getTransaction(gid), store.getAttempts(gid, timelineCallsPerOp)]);
    if (!transaction) throw new ConnectError(`gid: no transaction ${gid}`, Code.NotFound);
    // A run of successes writes no calls: such a success is the branch row that ended SUCCEEDED,
    // at the time that row was written.
    const told = new Set(recorded.filter((a) => a.outcome === "success").map((a) => `${a.branchId}/${a.op}`));
    const succeeded: BranchAttemptRecord[] = transaction.branches
      .filter((b) => b.status === "succeeded" && !told.has(`${b.branchId}/${b.op}`))
      .map((b) => ({ branchId: b.branchId, op: b.op, at: b.finishedAt ?? b.updatedAt, outcome: "success", error: "" }));
    return { transaction, timeline: mergeTimeline(recorded, succeeded) };
  }

  function counts(): Promise<{ status: TransactionStatus; mode: Mode; count: number }[]> {
    return store.countTransactions();
  }

  async function overview(windowMs: number, stuckAfterMs: number): Promise<Overview> {
    return {
      ...(await store.overview(windowMs, stuckAfterMs)),
      inFlight: executor.inFlight,
      circuits: dispatcher.circuits(),
      services: dispatcher.services(),
    };
  }

  return {
    inspect: calls.admitted(inspect),
    counts: calls.admitted(counts),
    overview: calls.admitted(overview),
  };
}

export type Insights = ReturnType<typeof createInsights>;
