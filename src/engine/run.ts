/**
 * One instance's working copy of a transaction while it drives it: branch states in memory,
 * branch calls with the `dtm-*` metadata, and the progress writes (fenced by the lease).
 * Internal module.
 */
import type { Dispatcher } from "../dispatch/index.js";
import type { BranchOutcome } from "../protocol/index.js";
import { retryDelayMs } from "../dispatch/index.js";
import { branchMetadataKeys, describeOutcome } from "../protocol/index.js";
import type {
  BranchAttemptRecord,
  BranchOp,
  BranchRecord,
  BranchStatus,
  CallOp,
  StepSpec,
  TransactionRecord,
  TransactionStatus,
  TransactionWithBranches,
} from "../model.js";
import type { Logger } from "../logger.js";
import type { NextAttempt, Store } from "../store/index.js";
import type { BranchCause, CoordinatorEvents } from "./events.js";
import type { Lease } from "./lease.js";
import type { RunSpan, Tracing } from "../tracing.js";

/** What every run needs from the coordinator around it. */
export interface RunContext {
  readonly store: Store;
  readonly dispatcher: Dispatcher;
  readonly events: CoordinatorEvents;
  readonly logger: Logger;
  /** This instance's leases: owner id, length, and how long each run's surely holds. */
  readonly lease: Lease;
  /** `dtm-dtm`: where branch services reach this coordinator (read at every call: it is learnt once the server listens). */
  readonly advertiseAddress: string;
  /** A branch op whose attempts reach this raises `branch:alert` (warn log, webhook); 0 = never. */
  readonly alertAfterAttempts: number;
  /** Spans of runs and branch calls. */
  readonly tracing: Tracing;
}

interface BranchState {
  record: BranchRecord;
  dirty: boolean;
}

/** How a run ended. `final` and `retry` hand the transaction back; `lost` means another owner has it. */
export type RunEnd = "final" | "retry" | "lost";

const forwardOps: ReadonlySet<BranchOp> = new Set(["action", "try"]);

export class TransactionRun {
  #tx: TransactionRecord;
  readonly #branches = new Map<string, BranchState>();
  /** Branch ops called during this run (their effects may exist even if never recorded). */
  readonly #calledNow = new Set<string>();
  /** Delay until the earliest retry any branch asked for during this run. */
  #retryDelayMs: number | undefined;
  /** Calls since the last write: the timeline's. */
  #attempts: BranchAttemptRecord[] = [];
  /**
   * Whether this run's calls are written for the timeline: once a call of the transaction did
   * not succeed (earlier runs, or one of this run's), every call is, so the timeline keeps their
   * order; a transaction whose calls all succeed at once writes none (its branch rows tell it).
   */
  #recordCalls: boolean;

  constructor(
    readonly ctx: RunContext,
    tx: TransactionWithBranches,
    /**
     * True when an earlier run may have called branches without recording it (it crashed or was
     * stopped while holding the lease): rollback must then assume every step may have run.
     */
    readonly unrecordedProgress: boolean,
    /** `fail_at` passed by the database clock when this run was claimed. */
    readonly timedOut: boolean,
    /** This run's span: its branch calls are spans in it. */
    readonly span: RunSpan,
  ) {
    this.#tx = tx;
    for (const b of tx.branches) this.#branches.set(key(b.branchId, b.op), { record: b, dirty: false });
    this.#recordCalls = tx.attempts > 1 || tx.branches.some((b) => b.lastError !== "");
  }

  get tx(): TransactionRecord {
    return this.#tx;
  }

  get gid(): string {
    return this.#tx.gid;
  }

  branch(branchId: string, op: BranchOp): BranchRecord | undefined {
    return this.#branches.get(key(branchId, op))?.record;
  }

  /** Whether this op's effect may exist: recorded as attempted, called now, or progress unknown. */
  mayHaveRun(branchId: string, op: BranchOp): boolean {
    const b = this.branch(branchId, op);
    if (!b) return false;
    return this.unrecordedProgress || b.status !== "prepared" || b.attempts > 0 || this.#calledNow.has(key(branchId, op));
  }

  /** The transaction with the branch states of this run, as an API answer. */
  snapshot(): TransactionWithBranches {
    return { ...this.#tx, branches: [...this.#branches.values()].map((s) => s.record) };
  }

  /**
   * Call one branch op of a step and record the outcome in memory (attempts count every call
   * that did not come back with an answer from the business: ONGOING is not an error).
   */
  async call(step: Pick<StepSpec, "branchId" | "headers" | "requestTimeoutMs">, op: BranchOp, target: string): Promise<BranchOutcome> {
    const state = this.#branches.get(key(step.branchId, op));
    if (!state) throw new Error(`branch ${step.branchId}/${op} of ${this.gid} is not stored`);
    const timeoutMs = step.requestTimeoutMs || this.#tx.options.requestTimeoutMs;
    this.ctx.lease.assertCovers(this.gid, timeoutMs);
    this.#calledNow.add(key(step.branchId, op));
    const started = performance.now();
    const traced = this.span.branch(op, step.branchId, target);
    const outcome = await this.ctx.dispatcher.call({
      target,
      payload: state.record.payload,
      metadata: this.metadata(step.branchId, op, step.headers, traced.headers),
      timeoutMs,
      gid: this.gid,
      branchId: step.branchId,
      op,
    });
    traced.end(outcome);
    const prev = state.record;
    const attempts = prev.attempts + (outcome.kind === "ongoing" ? 0 : 1);
    let status: BranchStatus = prev.status;
    if (outcome.kind === "success") status = "succeeded";
    else if (outcome.kind === "failure" && forwardOps.has(op)) status = "failed";
    const lastError = outcome.kind === "success" ? prev.lastError : describeOutcome(outcome);
    state.record = { ...prev, status, attempts, lastError };
    state.dirty = true;
    this.#recordAttempt(step.branchId, op, outcome);
    this.ctx.events.emit("branch:called", { gid: this.gid, branchId: step.branchId, op, target, outcome, attempts, durationMs: performance.now() - started });
    return outcome;
  }

  /** Keep a call for the timeline. */
  #recordAttempt(branchId: string, op: CallOp, outcome: BranchOutcome): void {
    const error = outcome.kind === "success" ? "" : outcome.kind === "unknown" ? describeOutcome(outcome) : outcome.message;
    if (outcome.kind !== "success") this.#recordCalls = true;
    this.#attempts.push({ branchId, op, at: new Date(), outcome: outcome.kind, error });
  }

  /** Call the MSG back-check target (branch id `00`, op `msg`); nothing is stored for it. */
  queryPrepared(target: string): Promise<BranchOutcome> {
    return this.#callUnstored(target, new Uint8Array(0), "msg", "msg");
  }

  /**
   * Call a WORKFLOW's resume target (branch id `00`) with its input, the workflow's name as the
   * `dtm-op`; recorded in the timeline as `resume`, nothing else is stored for it.
   */
  resume(target: string, input: Uint8Array, name: string): Promise<BranchOutcome> {
    return this.#callUnstored(target, input, "resume", name);
  }

  /** A call of branch id `00` that has no branch row: only the timeline and the events see it. */
  async #callUnstored(target: string, payload: Uint8Array, op: "msg" | "resume", wireOp: string): Promise<BranchOutcome> {
    this.ctx.lease.assertCovers(this.gid, this.#tx.options.requestTimeoutMs);
    const started = performance.now();
    const traced = this.span.branch(op, "00", target);
    const outcome = await this.ctx.dispatcher.call({
      target,
      payload,
      metadata: this.metadata("00", wireOp, {}, traced.headers),
      timeoutMs: this.#tx.options.requestTimeoutMs,
      gid: this.gid,
      branchId: "00",
      op: wireOp,
    });
    traced.end(outcome);
    this.#recordAttempt("00", op, outcome);
    this.ctx.events.emit("branch:called", { gid: this.gid, branchId: "00", op, target, outcome, attempts: this.#tx.attempts, durationMs: performance.now() - started });
    return outcome;
  }

  /** Ask for another attempt after the backoff this outcome calls for; the earliest ask wins. */
  requestRetry(outcome: BranchOutcome, attempts: number): void {
    const retry = this.#tx.options.retry;
    const delay = outcome.kind === "ongoing" ? retry.initialIntervalMs : retryDelayMs(retry, Math.max(1, attempts));
    this.#retryDelayMs = this.#retryDelayMs === undefined ? delay : Math.min(this.#retryDelayMs, delay);
  }

  get retryRequested(): boolean {
    return this.#retryDelayMs !== undefined;
  }

  /**
   * Raise `branch:alert` when the op's attempts have just reached the coordinator's alert
   * threshold (`alertAfterAttempts`), or, for an op that must succeed (it is retried for ever),
   * the transaction's `max_attempts`. Once per threshold: ONGOING counts no attempt, so only the
   * call that reached it raises it.
   */
  alertIfDue(branchId: string, op: BranchOp, outcome: BranchOutcome, how: { readonly mustSucceed: boolean }): void {
    const b = this.branch(branchId, op);
    if (!b || outcome.kind === "ongoing" || outcome.kind === "success") return;
    const max = this.#tx.options.retry.maxAttempts;
    const threshold = this.ctx.alertAfterAttempts;
    const reason =
      how.mustSucceed && max > 0 && b.attempts === max ? "max_attempts" : threshold > 0 && b.attempts === threshold ? "attempts" : undefined;
    if (reason === undefined) return;
    this.ctx.events.emit("branch:alert", {
      gid: this.gid,
      mode: this.#tx.mode,
      status: this.#tx.status,
      branchId,
      op,
      target: b.target,
      attempts: b.attempts,
      lastError: b.lastError,
      reason,
    });
  }

  /**
   * Write the run's progress in one commit. Returns false when the write was fenced off (lease
   * lost, or another call moved the transaction on): the run must stop then.
   */
  async save(next: NextAttempt, change?: { toStatus: TransactionStatus; rollbackReason?: string }): Promise<boolean> {
    const dirty = [...this.#branches.values()].filter((s) => s.dirty);
    // Written with this progress (or dropped with it when it is fenced off: the new owner goes on);
    // the happy path writes none (see #recordCalls).
    const attempts = this.#recordCalls ? this.#attempts : [];
    this.#attempts = [];
    const sentAt = this.ctx.lease.now();
    const updated = await this.ctx.store.saveProgress({
      gid: this.gid,
      owner: this.ctx.lease.owner,
      fromStatus: this.#tx.status,
      ...(change ? { toStatus: change.toStatus } : {}),
      ...(change?.rollbackReason !== undefined ? { rollbackReason: change.rollbackReason } : {}),
      branches: dirty.map(({ record: b }) => ({ branchId: b.branchId, op: b.op, status: b.status, attempts: b.attempts, lastError: b.lastError })),
      ...(attempts.length > 0 ? { attempts } : {}),
      next,
    });
    if (!updated) {
      this.ctx.logger.warn("progress write fenced off: another owner or call has this transaction", { gid: this.gid });
      this.ctx.events.emit("transaction:lease-lost", { gid: this.gid });
      return false;
    }
    this.#tx = updated;
    // Holding on writes `next_attempt_at = now() + lease`: a renewal.
    if (next.kind === "hold") this.ctx.lease.renewed([this.gid], sentAt);
    const finishedAt = updated.finishedAt ?? updated.updatedAt;
    for (const s of dirty) {
      s.dirty = false;
      if (s.record.status !== "prepared" && !s.record.finishedAt) s.record = { ...s.record, finishedAt, updatedAt: updated.updatedAt };
    }
    return true;
  }

  /** Hand the transaction back until the earliest requested retry (or after `delayMs`, when given). */
  async saveRetry(delayMs = this.#retryDelayMs ?? this.#tx.options.retry.initialIntervalMs): Promise<RunEnd> {
    if (!(await this.save({ kind: "retry", delayMs }))) return "lost";
    this.ctx.events.emit("transaction:retry-scheduled", { gid: this.gid, delayMs });
    return "retry";
  }

  /**
   * Reach a final status. `cause`: the branch a FAILED is about, when the caller knows it
   * (otherwise the first forward op that failed or erred, if any).
   */
  async finish(status: "succeeded" | "failed", rollbackReason?: string, cause?: BranchCause): Promise<RunEnd> {
    const change = rollbackReason === undefined ? { toStatus: status } : { toStatus: status, rollbackReason };
    if (!(await this.save({ kind: "finish" }, change))) return "lost";
    this.ctx.events.emit("transaction:finished", {
      gid: this.gid,
      mode: this.#tx.mode,
      status,
      rollbackReason: this.#tx.rollbackReason,
      durationMs: (this.#tx.finishedAt ?? this.#tx.updatedAt).getTime() - this.#tx.createdAt.getTime(),
      ...(status === "failed" ? { cause: cause ?? this.#culprit() } : {}),
    });
    return "final";
  }

  /** Turn ABORTING (recording why, and which branch made it: `branchId`'s action) before the first compensation is sent. */
  async startAborting(reason: string, branchId?: string): Promise<boolean> {
    if (!(await this.save({ kind: "hold", leaseMs: this.ctx.lease.leaseMs }, { toStatus: "aborting", rollbackReason: reason }))) return false;
    const b = branchId === undefined ? undefined : this.branch(branchId, "action");
    const cause = b ? { branchId: b.branchId, op: b.op, lastError: b.lastError } : this.#culprit();
    this.ctx.events.emit("transaction:aborting", { gid: this.gid, mode: this.#tx.mode, reason, cause });
    return true;
  }

  /** The forward op (action, try) a rollback is about: the first that failed, else the first still erring. */
  #culprit(): BranchCause | undefined {
    let erring: BranchRecord | undefined;
    for (const { record: b } of this.#branches.values()) {
      if (!forwardOps.has(b.op)) continue;
      if (b.status === "failed") return { branchId: b.branchId, op: b.op, lastError: b.lastError };
      if (!erring && b.status === "prepared" && b.lastError !== "") erring = b;
    }
    return erring && { branchId: erring.branchId, op: erring.op, lastError: erring.lastError };
  }

  private metadata(
    branchId: string,
    op: string,
    stepHeaders: Readonly<Record<string, string>>,
    trace: Readonly<Record<string, string>>,
  ): Record<string, string> {
    // Built in one literal (no intermediate object per call); the dtm keys come last so a header cannot override them.
    return {
      ...this.#tx.options.branchHeaders,
      ...stepHeaders,
      ...trace,
      [branchMetadataKeys.gid]: this.gid,
      [branchMetadataKeys.transType]: this.#tx.mode,
      [branchMetadataKeys.branchId]: branchId,
      [branchMetadataKeys.op]: op,
      [branchMetadataKeys.dtm]: this.ctx.advertiseAddress,
    };
  }
}

function key(branchId: string, op: BranchOp): string {
  return `${branchId}/${op}`;
}
