/**
 * The Store interface: every read and write the coordinator makes, named for what it means in
 * the domain. One Kysely implementation serves both dialects (Postgres server and embedded PGlite).
 * Internal module.
 */
import type {
  BranchOp,
  BranchStatus,
  ClaimedTransaction,
  TransactionRecord,
  TransactionStatus,
  TransactionWithBranches,
  TransOptions,
  TransactionSpec,
  Mode,
  TopicRecord,
  BranchAttemptRecord,
} from "../model.js";

export interface NewBranch {
  readonly branchId: string;
  readonly op: BranchOp;
  readonly target: string;
  readonly payload: Uint8Array;
}

export interface NewTransaction {
  readonly gid: string;
  readonly mode: Mode;
  /** `submitted` (SAGA, one-call MSG) or `prepared` (MSG/TCC/XA Prepare). */
  readonly status: TransactionStatus;
  readonly spec: TransactionSpec;
  readonly options: TransOptions;
  readonly customData: string;
  readonly requestHash: string;
  /** `fail_at = now() + timeoutToFailMs` by the database clock; 0 = never. */
  readonly timeoutToFailMs: number;
  /**
   * Lease taken at insert so the receiving instance processes it at once
   * (`lease_owner = owner`, `next_attempt_at = now() + leaseMs`). Without a lease the transaction
   * is due at `fail_at` (a PREPARED one waiting for Submit) or at once when there is no `fail_at`.
   */
  readonly lease?: { readonly owner: string; readonly leaseMs: number };
  /**
   * Without a lease: due this long from now instead of at once (a MSG with a `delay`), ms.
   * Ignored with a lease, and for a PREPARED transaction (due at `fail_at`).
   */
  readonly dueInMs?: number;
  /** The W3C traceparent its runs continue (tracing on). */
  readonly traceContext?: string;
  /** Who created it (the authenticated caller's name); default empty (authentication off). */
  readonly createdBy?: string;
  /** WORKFLOW: the function's input. Default empty. */
  readonly input?: Uint8Array;
}

export type CreateResult =
  | { readonly created: true; readonly transaction: TransactionRecord }
  | { readonly created: false; readonly existing: TransactionWithBranches };

/** New absolute values for one existing branch row. */
export interface BranchUpdate {
  readonly branchId: string;
  readonly op: BranchOp;
  readonly status: BranchStatus;
  readonly attempts: number;
  readonly lastError: string;
}

/** What happens to the lease and the next attempt after a progress write. */
export type NextAttempt =
  /** Keep working: `next_attempt_at = now() + leaseMs`, lease kept. */
  | { readonly kind: "hold"; readonly leaseMs: number }
  /**
   * Give the transaction back: lease released, due again after `delayMs`, or at `fail_at` when
   * that comes first and is still ahead (a passed timeout must not make it due over and over).
   */
  | { readonly kind: "retry"; readonly delayMs: number }
  /** Final status reached: `finished_at = now()`, no next attempt, lease released. */
  | { readonly kind: "finish" };

export interface ProgressUpdate {
  readonly gid: string;
  /** The instance writing. The write applies only while `lease_owner = owner` (fencing). */
  readonly owner: string;
  /**
   * Take the lease from whoever holds it instead of fencing on it: for API calls that move a
   * PREPARED transaction on (Submit, Abort), which must win over a back-check in progress.
   */
  readonly takeLease?: boolean;
  /** Compare-and-set: applies only while the transaction has this status. */
  readonly fromStatus: TransactionStatus;
  /** Default: unchanged. */
  readonly toStatus?: TransactionStatus;
  /** Set when given (and kept otherwise). */
  readonly rollbackReason?: string;
  readonly branches?: readonly BranchUpdate[];
  /** A run's branch calls since the last write, for the timeline (written with the rest, or not at all). */
  readonly attempts?: readonly BranchAttemptRecord[];
  readonly next: NextAttempt;
}

/** How a branch registration went. */
export type RegisterResult =
  /** Stored (or already stored with the same target and payload: a repeat). */
  | { readonly kind: "registered" }
  | { readonly kind: "not-found" }
  /** The transaction is of another mode: nothing was stored. */
  | { readonly kind: "wrong-mode"; readonly mode: Mode }
  /** The transaction is no longer PREPARED: nothing was stored. */
  | { readonly kind: "not-prepared"; readonly status: TransactionStatus }
  /** A branch with this id and op exists with another target or payload. */
  | { readonly kind: "conflict"; readonly branchId: string };

/** One recorded outcome of a workflow step. */
export interface WorkflowStepRecord {
  readonly branchId: string;
  readonly op: BranchOp;
  readonly status: "succeeded" | "failed";
  readonly result: Uint8Array;
}

/** How recording a workflow step went. */
export type RecordStepResult =
  /** Stored now: the workflow's timeout counts again from now. */
  | { readonly kind: "recorded" }
  /** Already stored with the same status and result: nothing changed. */
  | { readonly kind: "repeat" }
  | { readonly kind: "not-found" }
  | { readonly kind: "wrong-mode"; readonly mode: Mode }
  /** The workflow is no longer PREPARED: nothing was stored. */
  | { readonly kind: "not-prepared"; readonly status: TransactionStatus }
  /** This step's op is stored with another status or result. */
  | { readonly kind: "conflict" };

/** How finishing a workflow went. */
export type FinishWorkflowResult =
  | { readonly kind: "finished"; readonly transaction: TransactionRecord }
  | { readonly kind: "not-found" }
  | { readonly kind: "wrong-mode"; readonly mode: Mode }
  /** It was no longer PREPARED: nothing was written (the caller compares the status). */
  | { readonly kind: "not-prepared"; readonly transaction: TransactionRecord };

/** Which transactions a listing returns; every field narrows it, none means all. */
export interface TransactionFilter {
  readonly status?: TransactionStatus;
  /** Any of these (with `status`, both must hold). */
  readonly statuses?: readonly TransactionStatus[];
  readonly mode?: Mode;
  /** Any of these. */
  readonly modes?: readonly Mode[];
  /** Exactly this gid. */
  readonly gid?: string;
  /** The gid starts with this. */
  readonly gidPrefix?: string;
  /** Created at or after. */
  readonly createdFrom?: Date;
  /** Created at or before. */
  readonly createdTo?: Date;
  /**
   * Stuck: unfinished, and created more than `olderThanMs` ago (by the database clock) or run at
   * least `minAttempts` times; each part only when given.
   */
  readonly stuck?: { readonly olderThanMs?: number; readonly minAttempts?: number };
  /** A branch's target contains this text. */
  readonly targetContains?: string;
}

/** Cluster-wide figures for a dashboard, by the database clock. */
export interface StoreOverview {
  /** Created within the window, and of those the succeeded and the failed ones. */
  readonly created: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Unfinished and created before the stuck threshold. */
  readonly stuck: number;
  readonly unfinished: number;
  /** How long the oldest due unfinished transaction has been due, ms (0: none is due). */
  readonly schedulerLagMs: number;
}

/**
 * A row's place in a listing (newest first): its creation time as the database prints it (full
 * precision) and its gid. A page starts after a previous row's cursor.
 */
export interface TransactionCursor {
  readonly createdKey: string;
  readonly gid: string;
}

export interface ListedTransaction extends TransactionRecord {
  /** Start the next page after this row. */
  readonly cursor: TransactionCursor;
}

/** How a subscription went. */
export type SubscribeResult =
  | { readonly kind: "subscribed"; readonly topic: TopicRecord }
  /** The topic already has this target: nothing changed. */
  | { readonly kind: "exists"; readonly topic: TopicRecord };

/** How an unsubscription went. */
export type UnsubscribeResult =
  | { readonly kind: "unsubscribed"; readonly topic: TopicRecord }
  | { readonly kind: "no-topic" }
  /** The topic does not have this target: nothing changed. */
  | { readonly kind: "not-subscribed"; readonly topic: TopicRecord };

export interface Store {
  /**
   * Insert a transaction with its branch rows in one commit. When the gid exists nothing is
   * written and the existing transaction is returned (the caller decides idempotent or conflict).
   */
  createTransaction(tx: NewTransaction, branches: readonly NewBranch[]): Promise<CreateResult>;
  /**
   * Add TCC/XA branch rows to a PREPARED transaction, in one statement that share-locks the
   * transaction row, so a concurrent Submit or Abort either sees these branches or makes the
   * registration fail: a registered branch is never missed by the confirm/cancel phase.
   */
  registerBranches(gid: string, mode: Mode, branches: readonly NewBranch[]): Promise<RegisterResult>;
  /**
   * Record a step of a PREPARED workflow as a finished branch row, in one statement that locks
   * the transaction row: a concurrent FinishWorkflow either sees the step or makes this fail. A
   * new record moves the workflow's timeout (`fail_at`, and its due time when no run holds it)
   * to `timeout_to_fail` from now: progress puts the resume off.
   */
  recordWorkflowStep(gid: string, step: WorkflowStepRecord): Promise<RecordStepResult>;
  /**
   * Move a PREPARED workflow to SUCCEEDED or FAILED with its result and rollback reason, in one
   * statement, whoever holds its lease (a resume run in progress is fenced off by the status).
   */
  finishWorkflow(gid: string, status: "succeeded" | "failed", result: Uint8Array, rollbackReason: string): Promise<FinishWorkflowResult>;
  /** One transaction with its branches (ordered by branch id, then creation), or undefined. */
  getTransaction(gid: string): Promise<TransactionWithBranches | undefined>;
  /**
   * Claim up to `limit` due unfinished transactions for `owner` in one statement
   * (`FOR UPDATE SKIP LOCKED`), lease them for `leaseMs`, count an attempt, return them with branches.
   */
  claimDueTransactions(owner: string, limit: number, leaseMs: number): Promise<ClaimedTransaction[]>;
  /** Extend the lease of the given transactions still held by `owner`; returns the gids still held. */
  renewLeases(owner: string, gids: readonly string[], leaseMs: number): Promise<string[]>;
  /**
   * Write progress in one commit: status compare-and-set, branch updates, next attempt.
   * Returns the updated transaction, or undefined when the fence or the status check failed
   * (the caller lost the lease or another call moved the transaction on): nothing is written then.
   */
  saveProgress(update: ProgressUpdate): Promise<TransactionRecord | undefined>;
  /**
   * Hand back every unfinished transaction `owner` still holds (runs interrupted at shutdown): due
   * at once. The owner stays recorded, so the next claim reports it as `previousOwner`.
   */
  releaseLeases(owner: string): Promise<number>;
  /**
   * Claim one transaction now, whatever its due time, unless another owner's lease on it is still
   * running: leased to `owner` for `leaseMs`, an attempt counted, as a claim by
   * `claimDueTransactions` would. Undefined when it is finished, unknown, or leased by a live owner.
   */
  claimTransaction(gid: string, owner: string, leaseMs: number): Promise<ClaimedTransaction | undefined>;
  /** Make one unfinished, unleased transaction due at once; false when there is none such. */
  makeDue(gid: string): Promise<boolean>;
  /**
   * Make unfinished transactions that are due more than `laterThanMs` from now (and not leased)
   * due at once, at most `limit` of them, the latest first. `remaining`: more such transactions
   * are left.
   */
  makeDueNow(laterThanMs: number, limit: number): Promise<{ readonly count: number; readonly remaining: boolean }>;
  /**
   * Move an unfinished transaction to FAILED at once, whatever its status and whoever holds it
   * (an operator's override: the holder's next write is fenced off). `reason` is recorded when not
   * empty. Undefined when the transaction is unknown or already finished.
   */
  forceStop(gid: string, reason: string): Promise<TransactionRecord | undefined>;
  /** Transactions matching `filter`, newest first, at most `limit`, after `after` (a previous row's cursor). */
  listTransactions(filter: TransactionFilter, limit: number, after?: TransactionCursor): Promise<ListedTransaction[]>;
  /** The recorded calls of a transaction's branches in the order they were made, at most `perOp` (the latest) per branch op. */
  getAttempts(gid: string, perOp: number): Promise<BranchAttemptRecord[]>;
  /** How many transactions there are, by status and mode. */
  countTransactions(): Promise<{ status: TransactionStatus; mode: Mode; count: number }[]>;
  /** Figures over the last `windowMs` and the unfinished ones, `stuckAfterMs` making one stuck. */
  overview(windowMs: number, stuckAfterMs: number): Promise<StoreOverview>;
  /**
   * Delete at most `limit` finished transactions (with their branches) that finished more than
   * `olderThanMs` ago, skipping rows other sessions hold. Returns how many were deleted.
   */
  deleteFinished(olderThanMs: number, limit: number): Promise<number>;
  getTopic(name: string): Promise<TopicRecord | undefined>;
  /** Topics by name, at most `limit`, after the topic named `after`. */
  listTopics(limit: number, after?: string): Promise<TopicRecord[]>;
  /** Add `target` to a topic, creating it (version 1) or adding one to its version, in one statement. */
  subscribe(name: string, target: string, remark: string): Promise<SubscribeResult>;
  /** Remove `target` from a topic, adding one to its version, in one statement. */
  unsubscribe(name: string, target: string): Promise<UnsubscribeResult>;
  /** Delete a topic; false when there was none. */
  deleteTopic(name: string): Promise<boolean>;
  /** Close pools / the embedded database. Idempotent. */
  close(): Promise<void>;
}
