/**
 * The coordinator's core operations behind the API: submit, prepare, abort, get. Knows nothing
 * of transports; answers with records or throws a ConnectError with the right code.
 * Internal module.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { randomBytes } from "node:crypto";
import type { BranchOp, Mode, TransactionSpec, TransactionWithBranches, TransOptions } from "../model.js";
import { finalStatuses } from "../model.js";
import { canonicalJson } from "../canonical-json.js";
import type { NewBranch, Store } from "../store/index.js";
import type { CoordinatorEvents } from "./events.js";
import type { Executor } from "./executor.js";

/** A validated, normalized Submit or Prepare. */
export interface TransactionInput {
  readonly gid: string;
  readonly mode: Mode;
  readonly options: TransOptions;
  /** Absent: a Submit of a message prepared earlier. */
  readonly spec: TransactionSpec | undefined;
  /** One payload per step, by index. */
  readonly payloads: readonly Uint8Array[];
  readonly customData: string;
  /** Hash of the content (everything but wait_result), to tell a repeat from a reused gid. */
  readonly requestHash: string;
}

export interface AbortInput {
  readonly gid: string;
  readonly reason: string;
  readonly waitResult: boolean;
}

export interface TransactionsOptions {
  readonly store: Store;
  readonly executor: Executor;
  readonly events: CoordinatorEvents;
  readonly owner: string;
  readonly leaseMs: number;
  /** How long `wait_result` waits when the request has no deadline, ms. */
  readonly waitResultTimeoutMs: number;
  /** How often a waiter re-reads a transaction another instance may be driving, ms. Default 500. */
  readonly waitPollMs?: number;
}

/** The deadline of the calling request, ms from now (undefined = the client set none). */
export type RequestDeadline = number | undefined;

export function createTransactions(options: TransactionsOptions) {
  const { store, executor, events, owner, leaseMs } = options;
  const waitPollMs = options.waitPollMs ?? 500;

  /** A fresh unique gid: 128 random bits, URL-safe. */
  function newGid(): string {
    return randomBytes(16).toString("base64url");
  }

  async function submit(input: TransactionInput, deadlineMs: RequestDeadline): Promise<TransactionWithBranches> {
    if (input.spec) {
      const created = await createAndStart(input);
      if (created) return waitIfAsked(created, input.options.waitResult, deadlineMs);
    }
    const existing = await store.getTransaction(input.gid);
    if (!existing) {
      const what = input.mode === "msg" ? "prepared message (give msg.steps to submit in one call)" : `prepared ${input.mode} transaction`;
      throw new ConnectError(`gid: no ${what} ${input.gid}`, Code.NotFound);
    }
    if (existing.mode !== input.mode) throw new ConnectError(`gid: ${input.gid} is a ${existing.mode} transaction, not ${input.mode}`, Code.AlreadyExists);
    // A message may be submitted with or without its steps; given, they must be the prepared ones.
    // TCC/XA submits carry no body: the gid and mode say it all.
    const sameContent =
      existing.mode === "saga" ? existing.requestHash === input.requestHash : !input.spec || sameSteps(existing.spec, input.spec);
    if (!sameContent) throw new ConnectError(`gid: ${input.gid} exists with other content`, Code.AlreadyExists);
    if (existing.status === "prepared") return moveOn(existing, "submitted", undefined, input.options.waitResult, deadlineMs);
    if (existing.mode !== "saga" && (existing.status === "failed" || existing.status === "aborting")) {
      throw new ConnectError(`gid: ${input.gid} was aborted (${existing.rollbackReason}); it cannot be submitted`, Code.FailedPrecondition);
    }
    // The same request again: answer as the first one did.
    return waitIfAsked(existing, input.options.waitResult, deadlineMs);
  }

  async function prepare(input: TransactionInput): Promise<void> {
    if (input.mode === "saga") throw new ConnectError("mode: a saga is submitted directly, not prepared", Code.InvalidArgument);
    const result = await store.createTransaction(toNewTransaction(input, "prepared", false), toBranches(input));
    if (result.created) return;
    if (result.existing.requestHash !== input.requestHash) {
      throw new ConnectError(`gid: ${input.gid} exists with other content`, Code.AlreadyExists);
    }
  }

  async function abort(input: AbortInput, deadlineMs: RequestDeadline): Promise<TransactionWithBranches> {
    const existing = await get(input.gid);
    if (existing.mode === "saga") {
      throw new ConnectError(`gid: ${input.gid} is a saga; a saga rolls back by itself when a step fails`, Code.FailedPrecondition);
    }
    if (existing.status === "failed" || existing.status === "aborting") return waitIfAsked(existing, input.waitResult, deadlineMs);
    if (existing.status !== "prepared") {
      throw new ConnectError(`gid: ${input.gid} is ${existing.status}; only a prepared transaction can be aborted`, Code.FailedPrecondition);
    }
    return moveOn(existing, existing.mode === "msg" ? "failed" : "aborting", input.reason || "aborted by the client", input.waitResult, deadlineMs);
  }

  async function registerBranch(gid: string, mode: "tcc" | "xa", branches: readonly NewBranch[]): Promise<void> {
    const result = await store.registerBranches(gid, mode, branches);
    switch (result.kind) {
      case "registered":
        return;
      case "not-found":
        throw new ConnectError(`gid: no transaction ${gid}; Prepare it first`, Code.NotFound);
      case "wrong-mode":
        throw new ConnectError(`gid: ${gid} is a ${result.mode} transaction; register ${result.mode} branches`, Code.FailedPrecondition);
      case "not-prepared":
        throw new ConnectError(`gid: ${gid} is ${result.status}; branches can only be added while it is prepared`, Code.FailedPrecondition);
      case "conflict":
        throw new ConnectError(`branch_id: ${result.branchId} is registered with another target or payload`, Code.AlreadyExists);
    }
  }

  async function get(gid: string): Promise<TransactionWithBranches> {
    const tx = await store.getTransaction(gid);
    if (!tx) throw new ConnectError(`gid: no transaction ${gid}`, Code.NotFound);
    return tx;
  }

  /** Insert and, when this instance has room, lease and drive at once. Undefined when the gid exists. */
  async function createAndStart(input: TransactionInput): Promise<TransactionWithBranches | undefined> {
    const lease = executor.reserve(1) === 1;
    let result: Awaited<ReturnType<Store["createTransaction"]>>;
    try {
      result = await store.createTransaction(toNewTransaction(input, "submitted", lease), toBranches(input));
    } catch (error) {
      if (lease) executor.release(1);
      throw error;
    }
    if (!result.created) {
      if (lease) executor.release(1);
      return undefined;
    }
    events.emit("transaction:submitted", { gid: input.gid, mode: input.mode });
    const stored: TransactionWithBranches = { ...result.transaction, branches: branchRecords(input, result.transaction.createdAt) };
    if (!lease) return stored; // due at once: the scheduler (here or elsewhere) picks it up
    const running = executor.start(stored, { unrecordedProgress: false, timedOut: false }, { reserved: true });
    if (!input.options.waitResult) return stored;
    return (await running).transaction;
  }

  /**
   * Move a PREPARED transaction on at a client's request — Submit (to SUBMITTED), Abort (TCC/XA
   * to ABORTING, MSG straight to FAILED) — taking the lease from any back-check in progress, and
   * drive it from here.
   */
  async function moveOn(
    existing: TransactionWithBranches,
    toStatus: "submitted" | "aborting" | "failed",
    reason: string | undefined,
    waitResult: boolean,
    deadlineMs: RequestDeadline,
  ): Promise<TransactionWithBranches> {
    const final = toStatus === "failed";
    const updated = await store.saveProgress({
      gid: existing.gid,
      owner,
      takeLease: true,
      fromStatus: "prepared",
      toStatus,
      ...(reason !== undefined ? { rollbackReason: reason } : {}),
      next: final ? { kind: "finish" } : { kind: "hold", leaseMs },
    });
    if (!updated) {
      // Another call or a timeout moved it first: answer from where it is now.
      const now = await get(existing.gid);
      if (toStatus === "submitted" && (now.status === "failed" || now.status === "aborting")) {
        throw new ConnectError(`gid: ${now.gid} was aborted (${now.rollbackReason}); it cannot be submitted`, Code.FailedPrecondition);
      }
      if (toStatus !== "submitted" && (now.status === "submitted" || now.status === "succeeded")) {
        throw new ConnectError(`gid: ${now.gid} is ${now.status}; only a prepared transaction can be aborted`, Code.FailedPrecondition);
      }
      return waitIfAsked(now, waitResult, deadlineMs);
    }
    if (final) {
      events.emit("transaction:finished", { gid: updated.gid, mode: updated.mode, status: "failed", rollbackReason: updated.rollbackReason });
      return { ...updated, branches: existing.branches };
    }
    if (toStatus === "submitted") events.emit("transaction:submitted", { gid: updated.gid, mode: updated.mode });
    // TCC/XA branches may have been registered after `existing` was read; none can be added now.
    const branches = existing.mode === "msg" ? existing.branches : ((await store.getTransaction(existing.gid))?.branches ?? []);
    const running = executor.start({ ...updated, branches }, { unrecordedProgress: false, timedOut: false });
    if (!waitResult) return { ...updated, branches };
    return waitIfAsked((await running).transaction, true, deadlineMs);
  }

  /**
   * With wait_result, answer once the transaction is final, or with its current state when the
   * request's deadline (or the configured cap) comes first.
   */
  async function waitIfAsked(tx: TransactionWithBranches, waitResult: boolean, deadlineMs: RequestDeadline): Promise<TransactionWithBranches> {
    if (!waitResult || finalStatuses.includes(tx.status)) return tx;
    const budget = Math.max(0, (deadlineMs ?? options.waitResultTimeoutMs) - 50);
    const until = performance.now() + budget;
    let current = tx;
    while (!finalStatuses.includes(current.status)) {
      const left = until - performance.now();
      if (left <= 0) return current;
      const local = executor.running(current.gid);
      if (local) {
        const result = await withTimeout(local, left);
        if (result && finalStatuses.includes(result.transaction.status)) return result.transaction;
      } else {
        // Another run (a retry here, or another instance) will finish it: wait for our own event
        // or re-read the store, whichever comes first.
        await events
          .waitFor("transaction:finished", (e) => e.gid === current.gid, Math.min(left, waitPollMs))
          .catch(() => undefined);
      }
      current = await get(current.gid);
    }
    return current;
  }

  function toBranches(input: TransactionInput): NewBranch[] {
    if (!input.spec) return [];
    const ops: BranchOp[] = input.mode === "saga" ? ["action", "compensate"] : ["action"];
    return input.spec.steps.flatMap((s, i) =>
      ops.map((op) => ({ branchId: s.branchId, op, target: op === "action" ? s.action : s.compensate, payload: input.payloads[i] ?? new Uint8Array(0) })),
    );
  }

  function branchRecords(input: TransactionInput, createdAt: Date) {
    return toBranches(input).map((b) => ({
      gid: input.gid,
      ...b,
      status: "prepared" as const,
      attempts: 0,
      lastError: "",
      createdAt,
      updatedAt: createdAt,
      finishedAt: null,
    }));
  }

  function toNewTransaction(input: TransactionInput, status: "submitted" | "prepared", lease: boolean) {
    return {
      gid: input.gid,
      mode: input.mode,
      status,
      spec: input.spec ?? { steps: [], concurrent: false, queryPrepared: "" },
      options: input.options,
      customData: input.customData,
      requestHash: input.requestHash,
      // A saga times out while going forward; a prepared message waits for Submit this long.
      timeoutToFailMs: input.options.timeoutToFailMs,
      ...(lease ? { lease: { owner, leaseMs } } : {}),
    };
  }

  return { newGid, submit, prepare, abort, registerBranch, get };
}

export type Transactions = ReturnType<typeof createTransactions>;


function sameSteps(a: TransactionSpec, b: TransactionSpec): boolean {
  return canonicalJson(a.steps) === canonicalJson(b.steps) && a.concurrent === b.concurrent;
}

/** The promise's value, or undefined after `ms` (the timer is cleared either way). */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)))]);
  } finally {
    clearTimeout(timer);
  }
}
