/**
 * The coordinator's core workflow operations behind WorkflowService (and dtm's workflow
 * protocol): prepare, record a step, finish. The client runs the function; Concord keeps the
 * record and resumes the function when it is left unfinished (workflow.ts). Knows nothing of
 * transports; answers with records or throws a ConnectError with the right code. Internal module.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { BranchOp, TransactionWithBranches, TransOptions, WorkflowSpec } from "../model.js";
import type { Store } from "../store/index.js";
import { mayDrive, openAccess, transactionDenied, type Principal } from "../auth/index.js";
import type { CoordinatorEvents } from "./events.js";
import type { CallGate } from "./call-gate.js";
import { lifetimeMs } from "./transactions.js";

/** A validated PrepareWorkflow. */
export interface WorkflowInput {
  readonly gid: string;
  readonly workflow: WorkflowSpec;
  /** The function's input: the payload of every resume call, as stored. */
  readonly input: Uint8Array;
  readonly options: TransOptions;
  readonly customData: string;
}

/** A validated RecordStep. */
export interface StepInput {
  readonly gid: string;
  readonly branchId: string;
  readonly op: BranchOp;
  readonly status: "succeeded" | "failed";
  readonly result: Uint8Array;
}

/** A validated FinishWorkflow. */
export interface FinishInput {
  readonly gid: string;
  readonly status: "succeeded" | "failed";
  readonly result: Uint8Array;
  readonly rollbackReason: string;
}

export interface WorkflowsOptions {
  readonly store: Store;
  readonly events: CoordinatorEvents;
  /** The coordinator's API call gate, shared with the other core services. */
  readonly calls: CallGate;
}

/** A workflow as PrepareWorkflow answers it: its steps in the order they were recorded. */
export interface PreparedWorkflow {
  readonly transaction: TransactionWithBranches;
  readonly created: boolean;
}

export function createWorkflows(options: WorkflowsOptions) {
  const { store, events, calls } = options;

  async function prepare(input: WorkflowInput, principal: Principal = openAccess): Promise<PreparedWorkflow> {
    const result = await store.createTransaction(
      {
        gid: input.gid,
        mode: "workflow",
        status: "prepared",
        spec: { steps: [], concurrent: false, queryPrepared: "", workflow: input.workflow },
        options: input.options,
        customData: input.customData,
        requestHash: "",
        // Due (resumed) once it has made no progress for this long; each recorded step moves it.
        timeoutToFailMs: input.options.timeoutToFailMs,
        input: input.input,
        ...(principal.name === "" ? {} : { createdBy: principal.name }),
      },
      [],
    );
    if (result.created) return { transaction: { ...result.transaction, branches: [] }, created: true };
    const existing = result.existing;
    if (existing.mode !== "workflow") throw new ConnectError(`gid: ${input.gid} is a ${existing.mode} transaction, not a workflow`, Code.FailedPrecondition);
    // A resumed run reads the record back: only the workflow's creator (or an admin) may.
    if (!mayDrive(principal, existing.createdBy)) throw transactionDenied("drive");
    return { transaction: inRecordOrder(existing), created: false };
  }

  async function recordStep(input: StepInput, principal: Principal = openAccess): Promise<void> {
    await mayWrite(input.gid, principal);
    const result = await store.recordWorkflowStep(input.gid, input);
    switch (result.kind) {
      case "recorded":
      case "repeat":
        return;
      case "not-found":
        throw noWorkflow(input.gid);
      case "wrong-mode":
        throw new ConnectError(`gid: ${input.gid} is a ${result.mode} transaction, not a workflow`, Code.FailedPrecondition);
      case "not-prepared":
        throw new ConnectError(`gid: ${input.gid} is ${result.status}; steps can only be recorded while it is prepared`, Code.FailedPrecondition);
      case "conflict":
        throw new ConnectError(`branch_id: ${input.branchId} (${input.op}) is recorded with another status or result`, Code.AlreadyExists);
    }
  }

  async function finish(input: FinishInput, principal: Principal = openAccess): Promise<TransactionWithBranches> {
    await mayWrite(input.gid, principal);
    const result = await store.finishWorkflow(input.gid, input.status, input.result, input.rollbackReason);
    switch (result.kind) {
      case "not-found":
        throw noWorkflow(input.gid);
      case "wrong-mode":
        throw new ConnectError(`gid: ${input.gid} is a ${result.mode} transaction, not a workflow`, Code.FailedPrecondition);
      case "not-prepared": {
        const tx = result.transaction;
        // The same finish again (a client that retried it) is answered as the first.
        if (tx.status === input.status) return get(input.gid);
        throw new ConnectError(`gid: ${input.gid} is ${tx.status}; it cannot be finished ${input.status}`, Code.FailedPrecondition);
      }
      case "finished": {
        const tx = result.transaction;
        events.emit("transaction:finished", { gid: tx.gid, mode: tx.mode, status: input.status, rollbackReason: tx.rollbackReason, durationMs: lifetimeMs(tx) });
        return get(input.gid);
      }
    }
  }

  /** Refuse a caller who may not write to an existing workflow (NOT_FOUND when there is none). */
  async function mayWrite(gid: string, principal: Principal): Promise<void> {
    const existing = await store.getTransaction(gid);
    if (!existing) throw noWorkflow(gid);
    if (!mayDrive(principal, existing.createdBy)) throw transactionDenied("drive");
  }

  async function get(gid: string): Promise<TransactionWithBranches> {
    const tx = await store.getTransaction(gid);
    if (!tx) throw noWorkflow(gid);
    return inRecordOrder(tx);
  }

  const admitted = calls.admitted.bind(calls);
  return { prepare: admitted(prepare), recordStep: admitted(recordStep), finish: admitted(finish) };
}

export type Workflows = ReturnType<typeof createWorkflows>;

function noWorkflow(gid: string): ConnectError {
  return new ConnectError(`gid: no workflow ${gid}; PrepareWorkflow it first`, Code.NotFound);
}

/** The recorded steps in the order they were recorded (the store lists branches by id). */
function inRecordOrder(tx: TransactionWithBranches): TransactionWithBranches {
  return { ...tx, branches: [...tx.branches].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()) };
}
