/**
 * The coordinator's core operations behind the API: submit, prepare, abort, register, get. Knows
 * nothing of transports; answers with records or throws a ConnectError with the right code.
 * What differs between modes is asked of the mode's engine (mode.ts), never decided here.
 * Internal module.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { randomBytes } from "node:crypto";
import type { BranchRecord, Mode, TransactionRecord, TransactionSpec, TransactionWithBranches, TransOptions } from "../model.js";
import { isFinal } from "../model.js";
import type { NewBranch, NewTransaction, Store } from "../store/index.js";
import type { CoordinatorEvents } from "./events.js";
import type { Executor } from "./executor.js";
import type { Lease } from "./lease.js";
import type { BranchRegistration, ModeEngine } from "./mode.js";
import { canBePrepared } from "./mode.js";
import { modeEngines } from "./modes.js";
import { createCallGate } from "./call-gate.js";

/** A validated, normalized Submit or Prepare. */
export interface TransactionInput {
  readonly gid: string;
  readonly mode: Mode;
  readonly options: TransOptions;
  /** Absent: a Submit of a transaction prepared earlier. */
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

/** A validated RegisterBranch. */
export interface RegisterInput {
  readonly gid: string;
  readonly branchId: string;
  readonly payload: Uint8Array;
  readonly registration: BranchRegistration;
}

export interface TransactionsOptions {
  readonly store: Store;
  readonly executor: Executor;
  readonly events: CoordinatorEvents;
  readonly lease: Lease;
  /** How long `wait_result` waits when the request has no deadline, ms. */
  readonly waitResultTimeoutMs: number;
  /** How often a waiter re-reads a transaction another instance may be driving, ms. Default 500. */
  readonly waitPollMs?: number;
}

/** The deadline of the calling request, ms from now (undefined = the client set none). */
export type RequestDeadline = number | undefined;

const noCall = { unrecordedProgress: false, timedOut: false } as const;

export function createTransactions(options: TransactionsOptions) {
  const { store, executor, events, lease } = options;
  const waitPollMs = options.waitPollMs ?? 500;
  const calls = createCallGate();

  /** A fresh unique gid: 128 random bits, URL-safe. */
  function newGid(): string {
    calls.admit();
    return randomBytes(16).toString("base64url");
  }

  async function submit(input: TransactionInput, deadlineMs: RequestDeadline): Promise<TransactionWithBranches> {
    const engine = modeEngines[input.mode];
    if (input.spec) {
      const created = await createAndStart(input, engine, input.spec);
      if (created) return waitIfAsked(created, input.options.waitResult, deadlineMs);
    }
    const existing = await store.getTransaction(input.gid);
    if (!existing) throw new ConnectError(`gid: no ${engine.preparedName} ${input.gid}`, Code.NotFound);
    if (existing.mode !== input.mode) throw new ConnectError(`gid: ${input.gid} is a ${existing.mode} transaction, not ${input.mode}`, Code.AlreadyExists);
    if (!engine.isRepeat(existing, input.spec, input.requestHash)) throw new ConnectError(`gid: ${input.gid} exists with other content`, Code.AlreadyExists);
    if (existing.status === "prepared") return moveOn(existing, engine, "submitted", undefined, input.options.waitResult, deadlineMs);
    if (engine.wasAborted(existing)) throw notSubmittable(existing);
    // The same request again: answer as the first one did.
    return waitIfAsked(existing, input.options.waitResult, deadlineMs);
  }

  async function prepare(input: TransactionInput): Promise<void> {
    const engine = modeEngines[input.mode];
    if (!canBePrepared(engine)) throw new ConnectError(`mode: ${(engine.prepare as { refused: string }).refused}`, Code.InvalidArgument);
    const branches = input.spec ? engine.branchesOf(input.spec, input.payloads) : [];
    const result = await store.createTransaction(toNewTransaction(input, "prepared", false), branches);
    if (result.created) return;
    if (result.existing.requestHash !== input.requestHash) {
      throw new ConnectError(`gid: ${input.gid} exists with other content`, Code.AlreadyExists);
    }
  }

  async function abort(input: AbortInput, deadlineMs: RequestDeadline): Promise<TransactionWithBranches> {
    const existing = await get(input.gid);
    const engine = modeEngines[existing.mode];
    if ("refused" in engine.abort) throw new ConnectError(`gid: ${input.gid} is a ${existing.mode}; ${engine.abort.refused}`, Code.FailedPrecondition);
    if (engine.wasAborted(existing)) return waitIfAsked(existing, input.waitResult, deadlineMs);
    if (existing.status !== "prepared") throw notAbortable(existing);
    return moveOn(existing, engine, engine.abort.toStatus, input.reason || "aborted by the client", input.waitResult, deadlineMs);
  }

  async function registerBranch(input: RegisterInput): Promise<void> {
    const { gid, registration } = input;
    // A registration describes a branch of one mode; the store refuses it for a transaction of another.
    const engine = modeEngines[registration.mode];
    const rows = engine.registeredBranches?.(input.branchId, input.payload, registration);
    if (!rows) throw new ConnectError(`branch: ${registration.mode} transactions register no branches`, Code.InvalidArgument);
    const result = await store.registerBranches(gid, registration.mode, rows);
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
  async function createAndStart(input: TransactionInput, engine: ModeEngine, spec: TransactionSpec): Promise<TransactionWithBranches | undefined> {
    const leased = executor.reserve(1) === 1;
    const branches = engine.branchesOf(spec, input.payloads);
    const sentAt = lease.now();
    let result: Awaited<ReturnType<Store["createTransaction"]>>;
    try {
      result = await store.createTransaction(toNewTransaction(input, "submitted", leased), branches);
    } catch (error) {
      if (leased) executor.release(1);
      throw error;
    }
    if (!result.created) {
      if (leased) executor.release(1);
      return undefined;
    }
    events.emit("transaction:submitted", { gid: input.gid, mode: input.mode });
    const stored: TransactionWithBranches = { ...result.transaction, branches: branchRecords(input.gid, branches, result.transaction.createdAt) };
    if (!leased) return stored; // due at once: the scheduler (here or elsewhere) picks it up
    // A wait_result waits on this run in waitIfAsked, within the request's deadline.
    void executor.start(stored, { ...noCall, leasedAt: sentAt }, { reserved: true });
    return stored;
  }

  /**
   * Move a PREPARED transaction on at a client's request — Submit (to SUBMITTED), Abort (to where
   * the mode's abort goes) — taking the lease from any back-check in progress, and drive it from here.
   */
  async function moveOn(
    existing: TransactionWithBranches,
    engine: ModeEngine,
    toStatus: "submitted" | "aborting" | "failed",
    reason: string | undefined,
    waitResult: boolean,
    deadlineMs: RequestDeadline,
  ): Promise<TransactionWithBranches> {
    const final = isFinal(toStatus);
    const sentAt = lease.now();
    const updated = await store.saveProgress({
      gid: existing.gid,
      owner: lease.owner,
      takeLease: true,
      fromStatus: "prepared",
      toStatus,
      ...(reason !== undefined ? { rollbackReason: reason } : {}),
      next: final ? { kind: "finish" } : { kind: "hold", leaseMs: lease.leaseMs },
    });
    if (!updated) {
      // Another call or a timeout moved it first: answer from where it is now.
      const now = await get(existing.gid);
      const aborted = engine.wasAborted(now);
      if (toStatus === "submitted" && aborted) throw notSubmittable(now);
      if (toStatus !== "submitted" && !aborted) throw notAbortable(now);
      return waitIfAsked(now, waitResult, deadlineMs);
    }
    if (final) {
      events.emit("transaction:finished", { gid: updated.gid, mode: updated.mode, status: "failed", rollbackReason: updated.rollbackReason });
      return { ...updated, branches: existing.branches };
    }
    if (toStatus === "submitted") events.emit("transaction:submitted", { gid: updated.gid, mode: updated.mode });
    else events.emit("transaction:aborting", { gid: updated.gid, mode: updated.mode, reason: updated.rollbackReason });
    // Branches registered after `existing` was read count too; none can be added now.
    const branches = engine.registeredBranches ? ((await store.getTransaction(existing.gid))?.branches ?? []) : existing.branches;
    // A run of the PREPARED transaction may be going on here (a back-check, a timeout): its next
    // write is fenced off now, and a start while it runs would be answered with it. Let it end,
    // then drive the transaction from its new status at once instead of a lease later.
    const previous = executor.running(existing.gid);
    if (previous) await calls.interruptible(previous);
    void executor.start({ ...updated, branches }, { ...noCall, leasedAt: sentAt });
    return waitIfAsked({ ...updated, branches }, waitResult, deadlineMs);
  }

  /**
   * With wait_result, answer once the transaction is final, or with its current state when the
   * request's deadline (or the configured cap) comes first. At shutdown, UNAVAILABLE.
   */
  async function waitIfAsked(tx: TransactionWithBranches, waitResult: boolean, deadlineMs: RequestDeadline): Promise<TransactionWithBranches> {
    if (!waitResult || isFinal(tx.status)) return tx;
    // Answer a little before the client's deadline (a tenth of it, 50 ms to 1 s), so the answer
    // still reaches it in time: the current state, not DEADLINE_EXCEEDED.
    const limit = deadlineMs ?? options.waitResultTimeoutMs;
    const budget = Math.max(0, limit - Math.min(1000, Math.max(50, limit / 10)));
    const until = performance.now() + budget;
    let current = tx;
    while (!isFinal(current.status)) {
      const left = until - performance.now();
      if (left <= 0) return current;
      const local = executor.running(current.gid);
      if (local) {
        const result = await calls.wait(local, left);
        if (result && isFinal(result.transaction.status)) return result.transaction;
      } else {
        // Another run (a retry here, or another instance) will finish it: wait for our own event
        // or re-read the store, whichever comes first.
        await calls.interruptible(
          events.waitFor("transaction:finished", (e) => e.gid === current.gid, Math.min(left, waitPollMs)).catch(() => undefined),
        );
      }
      current = await get(current.gid);
    }
    return current;
  }

  function toNewTransaction(input: TransactionInput, status: "submitted" | "prepared", leased: boolean): NewTransaction {
    return {
      gid: input.gid,
      mode: input.mode,
      status,
      spec: input.spec ?? { steps: [], concurrent: false, queryPrepared: "" },
      options: input.options,
      customData: input.customData,
      requestHash: input.requestHash,
      // A saga times out while going forward; a prepared transaction waits for Submit this long.
      timeoutToFailMs: input.options.timeoutToFailMs,
      ...(leased ? { lease: { owner: lease.owner, leaseMs: lease.leaseMs } } : {}),
    };
  }

  const admitted =
    <A extends unknown[], R>(op: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      calls.run(() => op(...args));

  return {
    newGid,
    submit: admitted(submit),
    prepare: admitted(prepare),
    abort: admitted(abort),
    registerBranch: admitted(registerBranch),
    get: admitted(get),
    /** From now on every call answers UNAVAILABLE (shutdown has begun). */
    refuseNewCalls: (): void => calls.refuse(),
    /**
     * Answer every wait_result still waiting with UNAVAILABLE (the transaction goes on elsewhere),
     * then wait at most `timeoutMs` for the calls in flight to end. True when they all ended.
     */
    endCalls: (timeoutMs: number): Promise<boolean> => calls.end(timeoutMs),
  };
}

export type Transactions = ReturnType<typeof createTransactions>;

function notSubmittable(tx: TransactionRecord): ConnectError {
  return new ConnectError(`gid: ${tx.gid} was aborted (${tx.rollbackReason}); it cannot be submitted`, Code.FailedPrecondition);
}

function notAbortable(tx: TransactionRecord): ConnectError {
  return new ConnectError(`gid: ${tx.gid} is ${tx.status}; only a prepared transaction can be aborted`, Code.FailedPrecondition);
}

function branchRecords(gid: string, branches: readonly NewBranch[], createdAt: Date): BranchRecord[] {
  return branches.map((b) => ({ gid, ...b, status: "prepared", attempts: 0, lastError: "", createdAt, updatedAt: createdAt, finishedAt: null }));
}
