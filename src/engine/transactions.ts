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
import type { NewBranch, NewTransaction, Store, TransactionCursor, TransactionFilter } from "../store/index.js";
import type { CoordinatorEvents } from "./events.js";
import type { Executor } from "./executor.js";
import type { Lease } from "./lease.js";
import type { BranchRegistration, ModeEngine } from "./mode.js";
import { canBePrepared } from "./mode.js";
import { modeEngines } from "./modes.js";
import type { CallGate } from "./call-gate.js";
import type { Topics } from "./topics.js";
import { mayDrive, openAccess, transactionDenied, type Principal } from "../auth/index.js";
import { silentLogger, type Logger } from "../logger.js";
import { noTracing, type Tracing } from "../tracing.js";

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
  /**
   * What a request for a gid that exists is. `content` (concord.v1): a repeat when its content is
   * the stored one's (the mode's rule), else ALREADY_EXISTS; a repeated Prepare is answered as the
   * first was. `gid` (dtm's API): the same gid is the same transaction whatever the content; a
   * Submit of a SUBMITTED one drives it again at once, and a Prepare of one no longer PREPARED is
   * FAILED_PRECONDITION. Default `content`.
   */
  readonly sameTransaction?: "content" | "gid";
}

/**
 * What a call with `wait_result` waits for: `final` (concord.v1) until the transaction is final;
 * `run` (dtm's API) until the run this call started (or found) has ended, final or not.
 */
export type WaitUntil = "final" | "run";

export interface AbortInput {
  readonly gid: string;
  /** Recorded as the rollback reason, as given (dtm's clients put their error there). */
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
  /** The coordinator's API call gate, shared with the other core services. */
  readonly calls: CallGate;
  /** Topics, to fan out `topic://` MSG steps when a message is stored. */
  readonly topics: Topics;
  /** For what goes wrong outside any call (a RetryNow's follow-up run). Default: silent. */
  readonly logger?: Logger;
  /** Spans of Submit and Prepare. Default: none. */
  readonly tracing?: Tracing;
  /** How long `wait_result` waits when the request has no deadline, ms. */
  readonly waitResultTimeoutMs: number;
  /** How often a waiter re-reads a transaction another instance may be driving, ms. Default 500. */
  readonly waitPollMs?: number;
}

/** The deadline of the calling request, ms from now (undefined = the client set none). */
export type RequestDeadline = number | undefined;

/** What an API call brings besides its content. */
export interface CallInfo {
  /** The calling request's deadline, ms from now (undefined: it set none). */
  readonly deadlineMs?: RequestDeadline;
  /** What a wait_result waits for. Default `final`. */
  readonly waitUntil?: WaitUntil;
  /** The caller's W3C traceparent, continued when tracing is on. */
  readonly traceparent?: string | undefined;
  /**
   * Who calls: recorded as a new transaction's creator, and only a transaction's creator (or an
   * admin) may submit, prepare or abort it again. Default: open access (authentication off).
   */
  readonly principal?: Principal;
}

/** How a call answers: at once, or (wait_result) after waiting `until` what, within the deadline. */
interface Wait {
  readonly waitResult: boolean;
  readonly deadlineMs: RequestDeadline;
  readonly until: WaitUntil;
}

const noCall = { unrecordedProgress: false, timedOut: false } as const;

/** A page of a transaction listing. */
export interface TransactionPage {
  readonly transactions: TransactionRecord[];
  /** Where the next page starts; undefined on the last page. */
  readonly next: TransactionCursor | undefined;
}

export function createTransactions(options: TransactionsOptions) {
  const { store, executor, events, lease, calls, topics } = options;
  const logger = options.logger ?? silentLogger;
  const tracing = options.tracing ?? noTracing;
  const waitPollMs = options.waitPollMs ?? 500;

  /** A fresh unique gid: 128 random bits, URL-safe. */
  function newGid(): string {
    calls.admit();
    return randomBytes(16).toString("base64url");
  }

  async function submit(input: TransactionInput, call: CallInfo = {}): Promise<TransactionWithBranches> {
    const span = tracing.startCall("concord.Submit", call.traceparent, { "concord.gid": input.gid, "concord.mode": input.mode });
    let failure: unknown;
    try {
      return await submitTraced(input, call, span.traceparent);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      span.end(failure);
    }
  }

  async function submitTraced(input: TransactionInput, call: CallInfo, traceContext: string | undefined): Promise<TransactionWithBranches> {
    const engine = modeEngines[input.mode];
    if (engine.submitRefused !== undefined) throw new ConnectError(`mode: ${engine.submitRefused}`, Code.InvalidArgument);
    const wait: Wait = { waitResult: input.options.waitResult, deadlineMs: call.deadlineMs, until: call.waitUntil ?? "final" };
    const principal = call.principal ?? openAccess;
    if (input.spec) {
      const created = await createAndStart(input, engine, input.spec, traceContext, principal.name);
      if (created) return waitIfAsked(created, wait);
    }
    const existing = await store.getTransaction(input.gid);
    if (!existing) throw new ConnectError(`gid: no ${engine.preparedName} ${input.gid}`, Code.NotFound);
    if (!mayDrive(principal, existing.createdBy)) throw transactionDenied("drive");
    if (existing.mode !== input.mode) throw new ConnectError(`gid: ${input.gid} is a ${existing.mode} transaction, not ${input.mode}`, Code.AlreadyExists);
    const sameGid = input.sameTransaction === "gid";
    if (!sameGid && !engine.isRepeat(existing, input.spec, input.requestHash)) throw new ConnectError(`gid: ${input.gid} exists with other content`, Code.AlreadyExists);
    if (existing.status === "prepared") return moveOn(existing, engine, "submitted", undefined, wait);
    if (engine.wasAborted(existing)) throw notSubmittable(existing);
    if (sameGid) {
      // dtm's rule: a Submit of a submitted transaction drives it again now; of a finished one, it is refused.
      if (isFinal(existing.status)) throw new ConnectError(`gid: ${input.gid} is ${existing.status}; it cannot be submitted again`, Code.FailedPrecondition);
      return waitIfAsked(await driveNow(existing), wait);
    }
    // The same request again: answer as the first one did.
    return waitIfAsked(existing, wait);
  }

  async function prepare(input: TransactionInput, call: CallInfo = {}): Promise<void> {
    const span = tracing.startCall("concord.Prepare", call.traceparent, { "concord.gid": input.gid, "concord.mode": input.mode });
    let failure: unknown;
    try {
      await prepareTraced(input, span.traceparent, call.principal ?? openAccess);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      span.end(failure);
    }
  }

  async function prepareTraced(input: TransactionInput, traceContext: string | undefined, principal: Principal): Promise<void> {
    const engine = modeEngines[input.mode];
    if (!canBePrepared(engine)) throw new ConnectError(`mode: ${(engine.prepare as { refused: string }).refused}`, Code.InvalidArgument);
    const body = input.spec ? await topics.fanOut(input.spec, input.payloads) : undefined;
    const branches = body ? engine.branchesOf(body.spec, body.payloads) : [];
    const stored = { ...toNewTransaction({ ...input, spec: body?.spec }, "prepared", false, principal.name), ...(traceContext ? { traceContext } : {}) };
    const result = await store.createTransaction(stored, branches);
    if (result.created) return;
    if (!mayDrive(principal, result.existing.createdBy)) throw transactionDenied("drive");
    if (input.sameTransaction === "gid") {
      if (result.existing.status !== "prepared") {
        throw new ConnectError(`gid: ${input.gid} is ${result.existing.status}; only a prepared transaction can be prepared again`, Code.FailedPrecondition);
      }
      return;
    }
    if (result.existing.requestHash !== input.requestHash) {
      throw new ConnectError(`gid: ${input.gid} exists with other content`, Code.AlreadyExists);
    }
  }

  async function abort(input: AbortInput, call: CallInfo = {}): Promise<TransactionWithBranches> {
    const existing = await get(input.gid);
    if (!mayDrive(call.principal ?? openAccess, existing.createdBy)) throw transactionDenied("drive");
    const engine = modeEngines[existing.mode];
    const wait: Wait = { waitResult: input.waitResult, deadlineMs: call.deadlineMs, until: call.waitUntil ?? "final" };
    if ("refused" in engine.abort) throw new ConnectError(`gid: ${input.gid} is a ${existing.mode}; ${engine.abort.refused}`, Code.FailedPrecondition);
    if (engine.wasAborted(existing)) return waitIfAsked(existing, wait);
    if (existing.status !== "prepared") throw notAbortable(existing);
    return moveOn(existing, engine, engine.abort.toStatus, input.reason, wait);
  }

  /** Gids with a run going on here that a RetryNow asked to drive again as soon as it ends. */
  const followUps = new Set<string>();

  /**
   * Drive an unfinished transaction now instead of at its next attempt: claimed and started here
   * when this instance has room, else made due for whichever instance claims first. One this
   * instance is driving right now is driven again as soon as that run hands it back (one such
   * follow-up at a time, however many ask); one another instance is driving is left to it.
   * Answers with the transaction as it is.
   */
  async function driveNow(existing: TransactionWithBranches): Promise<TransactionWithBranches> {
    if (isFinal(existing.status)) return existing;
    const local = executor.running(existing.gid);
    if (local) {
      if (!followUps.has(existing.gid)) {
        followUps.add(existing.gid);
        void local.then(async (result) => {
          followUps.delete(existing.gid);
          // Only a run that handed the transaction back leaves a next attempt to bring forward.
          if (result.end !== "retry" || !calls.open) return;
          // Failing here (the store went away) only leaves the transaction due at its own next attempt.
          await driveNow(result.transaction).catch((error: unknown) => logger.warn("driving a transaction again at once failed; it goes on at its next attempt", { gid: existing.gid, error }));
        });
      }
      return existing;
    }
    if (executor.reserve(1) === 0) {
      await store.makeDue(existing.gid);
      return existing;
    }
    const sentAt = lease.now();
    let claimed: Awaited<ReturnType<Store["claimTransaction"]>>;
    try {
      claimed = await store.claimTransaction(existing.gid, lease.owner, lease.leaseMs);
    } catch (error) {
      executor.release(1);
      throw error;
    }
    if (!claimed) {
      executor.release(1);
      return existing;
    }
    const how = { unrecordedProgress: claimed.previousOwner !== null, timedOut: claimed.timedOut, leasedAt: sentAt };
    void executor.start(claimed, how, { reserved: true });
    return claimed;
  }

  /** RetryNow: drive the transaction now (see driveNow). A finished one is answered as it is. */
  async function retryNow(gid: string): Promise<TransactionWithBranches> {
    return driveNow(await get(gid));
  }

  /**
   * Move an unfinished transaction to FAILED at once, whoever drives it, recording `reason`: an
   * operator's override, for a transaction that can never finish by itself. Its branches are not
   * called again. A finished transaction is FAILED_PRECONDITION.
   */
  async function forceStop(gid: string, reason: string): Promise<TransactionWithBranches> {
    const stopped = await store.forceStop(gid, reason);
    if (!stopped) {
      const tx = await get(gid);
      throw new ConnectError(`gid: ${gid} is ${tx.status}; only an unfinished transaction can be force-stopped`, Code.FailedPrecondition);
    }
    events.emit("transaction:finished", { gid, mode: stopped.mode, status: "failed", rollbackReason: stopped.rollbackReason, durationMs: lifetimeMs(stopped) });
    return get(gid);
  }

  /** Make unfinished transactions due later than `laterThanMs` from now due at once (after an outage), `limit` at a time. */
  function makeDueNow(laterThanMs: number, limit: number): Promise<{ count: number; remaining: boolean }> {
    return store.makeDueNow(laterThanMs, limit);
  }

  /** Transactions matching `filter`, newest first, `limit` per page. */
  async function list(filter: TransactionFilter, limit: number, after?: TransactionCursor): Promise<TransactionPage> {
    const rows = await store.listTransactions(filter, limit + 1, after);
    const page = rows.slice(0, limit);
    return { transactions: page, next: rows.length > limit ? page.at(-1)?.cursor : undefined };
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
  async function createAndStart(
    input: TransactionInput,
    engine: ModeEngine,
    requested: TransactionSpec,
    traceContext: string | undefined,
    createdBy: string,
  ): Promise<TransactionWithBranches | undefined> {
    const { spec, payloads } = await topics.fanOut(requested, input.payloads);
    // A delayed message is not started here: it is due once its delay has passed.
    const delayMs = spec.delayMs ?? 0;
    const leased = delayMs === 0 && executor.reserve(1) === 1;
    const branches = engine.branchesOf(spec, payloads);
    const sentAt = lease.now();
    let result: Awaited<ReturnType<Store["createTransaction"]>>;
    try {
      const row = {
        ...toNewTransaction({ ...input, spec }, "submitted", leased, createdBy),
        ...(delayMs > 0 ? { dueInMs: delayMs } : {}),
        ...(traceContext ? { traceContext } : {}),
      };
      result = await store.createTransaction(row, branches);
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
    wait: Wait,
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
      return waitIfAsked(now, wait);
    }
    if (final) {
      events.emit("transaction:finished", { gid: updated.gid, mode: updated.mode, status: "failed", rollbackReason: updated.rollbackReason, durationMs: lifetimeMs(updated) });
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
    return waitIfAsked({ ...updated, branches }, wait);
  }

  /**
   * With wait_result, answer once the transaction is final (or, waiting `until` "run", once the
   * run going on here has ended), or with its current state when the request's deadline (or the
   * configured cap) comes first. At shutdown, UNAVAILABLE.
   */
  async function waitIfAsked(tx: TransactionWithBranches, { waitResult, deadlineMs, until }: Wait): Promise<TransactionWithBranches> {
    if (!waitResult || isFinal(tx.status)) return tx;
    // Answer a little before the client's deadline (a tenth of it, 50 ms to 1 s), so the answer
    // still reaches it in time: the current state, not DEADLINE_EXCEEDED.
    const limit = deadlineMs ?? options.waitResultTimeoutMs;
    const budget = Math.max(0, limit - Math.min(1000, Math.max(50, limit / 10)));
    const waitEnd = performance.now() + budget;
    let current = tx;
    while (!isFinal(current.status)) {
      const left = waitEnd - performance.now();
      if (left <= 0) return current;
      const local = executor.running(current.gid);
      if (local) {
        const result = await calls.wait(local, left);
        if (result && isFinal(result.transaction.status)) return result.transaction;
        // The run has ended: its last write is the answer (a run fenced off says nothing: read).
        if (result && until === "run") return result.end === "retry" ? result.transaction : get(current.gid);
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

  function toNewTransaction(input: TransactionInput, status: "submitted" | "prepared", leased: boolean, createdBy: string): NewTransaction {
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
      ...(createdBy === "" ? {} : { createdBy }),
    };
  }

  const admitted = calls.admitted.bind(calls);

  return {
    newGid,
    submit: admitted(submit),
    prepare: admitted(prepare),
    abort: admitted(abort),
    registerBranch: admitted(registerBranch),
    get: admitted(get),
    retryNow: admitted(retryNow),
    forceStop: admitted(forceStop),
    makeDueNow: admitted(makeDueNow),
    list: admitted(list),
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

/** From creation to the final status, by the database clock, ms. */
export function lifetimeMs(tx: TransactionRecord): number {
  return (tx.finishedAt ?? tx.updatedAt).getTime() - tx.createdAt.getTime();
}

function notSubmittable(tx: TransactionRecord): ConnectError {
  return new ConnectError(`gid: ${tx.gid} was aborted (${tx.rollbackReason}); it cannot be submitted`, Code.FailedPrecondition);
}

function notAbortable(tx: TransactionRecord): ConnectError {
  return new ConnectError(`gid: ${tx.gid} is ${tx.status}; only a prepared transaction can be aborted`, Code.FailedPrecondition);
}

function branchRecords(gid: string, branches: readonly NewBranch[], createdAt: Date): BranchRecord[] {
  return branches.map((b) => ({ gid, ...b, status: "prepared", attempts: 0, lastError: "", createdAt, updatedAt: createdAt, finishedAt: null }));
}
