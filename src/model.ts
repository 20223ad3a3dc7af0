/**
 * The domain model shared by the engine, the store and the API layer. Internal module.
 *
 * Values are the lowercase words stored in the database (`mode`, `status`, `op` columns) and sent
 * as `dtm-*` metadata, so they read the same in SQL, logs and on the wire.
 */

export type Mode = "saga" | "msg" | "tcc" | "xa" | "workflow";
export type TransactionStatus = "prepared" | "submitted" | "aborting" | "succeeded" | "failed";
export type BranchStatus = "prepared" | "succeeded" | "failed";
export type BranchOp = "action" | "compensate" | "try" | "confirm" | "cancel" | "commit" | "rollback";
/** What a timeline records a call as: a branch op, a MSG's back-check (`msg`) or a WORKFLOW's resume (`resume`). */
export type CallOp = BranchOp | "msg" | "resume";

/**
 * The transaction status state machine: every status and where it may move to. PREPARED (MSG,
 * TCC, XA) waits for Submit or Abort; SUBMITTED goes forward; ABORTING rolls back. A MSG moves
 * from PREPARED straight to FAILED (aborted, or its back-check answered FAILURE); a WORKFLOW from
 * PREPARED straight to SUCCEEDED or FAILED (its client finishes it).
 *
 * The order of the keys is the order of `unfinishedStatuses`, which the store turns into SQL
 * (an applied migration's index predicate among it): keep it.
 */
export const statusTransitions: { readonly [S in TransactionStatus]: readonly TransactionStatus[] } = {
  prepared: ["submitted", "aborting", "failed", "succeeded"],
  submitted: ["succeeded", "aborting"],
  aborting: ["failed"],
  succeeded: [],
  failed: [],
};

/** Every status, in declaration order. */
export const transactionStatuses = Object.keys(statusTransitions) as readonly TransactionStatus[];
/** Statuses from which a transaction never moves again. */
export const finalStatuses: readonly TransactionStatus[] = transactionStatuses.filter((s) => statusTransitions[s].length === 0);
/** Statuses the scheduler may have to act on (retries, timeouts, orphans). */
export const unfinishedStatuses: readonly TransactionStatus[] = transactionStatuses.filter((s) => statusTransitions[s].length > 0);
/** Unfinished statuses in which a transaction has not started rolling back: `timeout_to_fail` still means something. */
export const forwardStatuses: readonly TransactionStatus[] = unfinishedStatuses.filter((s) => statusTransitions[s].includes("aborting"));

export function isFinal(status: TransactionStatus): boolean {
  return statusTransitions[status].length === 0;
}

/** Whether the state machine allows `from` → `to` (staying put is always allowed). */
export function canMove(from: TransactionStatus, to: TransactionStatus): boolean {
  return from === to || statusTransitions[from].includes(to);
}

/** Retry policy with every default applied, in milliseconds. */
export interface RetryPolicy {
  readonly initialIntervalMs: number;
  readonly maxIntervalMs: number;
  readonly backoffMultiplier: number;
  /** 0 = unlimited. */
  readonly maxAttempts: number;
}

/** Options of one transaction with every default applied. Stored as JSON in `transactions.options`. */
export interface TransOptions {
  readonly waitResult: boolean;
  /** 0 = never (SAGA default). */
  readonly timeoutToFailMs: number;
  readonly requestTimeoutMs: number;
  readonly retry: RetryPolicy;
  readonly branchHeaders: Readonly<Record<string, string>>;
  /**
   * SAGA, dtm's `retry_limit`: a forward action that answers anything but success or failure is
   * called again at once, within the same run, until this many such retries have been spent in
   * the run; one more and the saga rolls back. Absent or 0: none (the retry policy alone applies).
   * Only transactions that come through dtm's API set it.
   */
  readonly retryLimit?: number;
}

/** One step of a SAGA or MSG as stored in `transactions.spec` (payloads live in `branches`). */
export interface StepSpec {
  /** Branch id, `01`, `02`, … */
  readonly branchId: string;
  readonly action: string;
  /** SAGA only; empty = nothing to undo. */
  readonly compensate: string;
  /** 0-based indexes of steps that must succeed first (concurrent SAGA). */
  readonly after: readonly number[];
  readonly headers: Readonly<Record<string, string>>;
  /** 0 = use the transaction's request timeout. */
  readonly requestTimeoutMs: number;
  /** MSG: the topic this step was fanned out from (`topic://<name>`), one step per subscriber. */
  readonly topic?: string;
}

/** The body of a SAGA or MSG, stored as JSON in `transactions.spec`. */
export interface TransactionSpec {
  readonly steps: readonly StepSpec[];
  readonly concurrent: boolean;
  /** MSG only: back-check target. */
  readonly queryPrepared: string;
  /** MSG only: no action is called before `created_at + delayMs` (database clock). Absent or 0: at once. */
  readonly delayMs?: number;
  /** WORKFLOW only: the function's name and where Concord resumes it (its input is `TransactionRecord.input`). */
  readonly workflow?: WorkflowSpec;
}

/** A workflow function as prepared: its name (the op of every resume call) and its resume target. */
export interface WorkflowSpec {
  readonly name: string;
  readonly resumeTarget: string;
}

export interface BranchRecord {
  readonly gid: string;
  readonly branchId: string;
  readonly op: BranchOp;
  readonly target: string;
  readonly payload: Uint8Array;
  readonly status: BranchStatus;
  readonly attempts: number;
  readonly lastError: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly finishedAt: Date | null;
}

export interface TransactionRecord {
  readonly gid: string;
  readonly mode: Mode;
  readonly status: TransactionStatus;
  readonly spec: TransactionSpec;
  readonly options: TransOptions;
  readonly customData: string;
  /** Hash of the request content, to tell an idempotent repeat from a reused gid. */
  readonly requestHash: string;
  readonly rollbackReason: string;
  /** How many times an instance has started working on this transaction. */
  readonly attempts: number;
  readonly nextAttemptAt: Date | null;
  /** When a still-running transaction times out (from the database clock); null = never. */
  readonly failAt: Date | null;
  readonly leaseOwner: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly finishedAt: Date | null;
  /** The W3C traceparent its runs continue (tracing on), or null. */
  readonly traceContext: string | null;
  /** The authenticated caller that created it (a token's name, a JWT's subject); empty when authentication was off. */
  readonly createdBy: string;
  /** WORKFLOW: the function's input, the payload of every resume call (empty for other modes). */
  readonly input: Uint8Array;
  /** WORKFLOW: the result it was finished with (empty for other modes). */
  readonly result: Uint8Array;
}

export interface TransactionWithBranches extends TransactionRecord {
  readonly branches: readonly BranchRecord[];
}

/** A claimed transaction also carries the database's verdict on its timeout. */
export interface ClaimedTransaction extends TransactionWithBranches {
  /** `fail_at <= now()` by the database clock at claim time. */
  readonly timedOut: boolean;
  /**
   * Who held the lease before this claim. Non-null means the last run did not hand the
   * transaction back (it crashed or was stopped mid-run), so its branch calls may be unrecorded.
   */
  readonly previousOwner: string | null;
}

/** A subscriber of a topic: a branch target a `topic://<name>` MSG step fans out to. */
export interface TopicSubscriber {
  readonly target: string;
  readonly remark: string;
}

/** A named list of subscribers, versioned: every change adds one to `version` (1 at creation). */
export interface TopicRecord {
  readonly name: string;
  readonly subscribers: readonly TopicSubscriber[];
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** How a branch call came back, as a timeline records it. */
export type AttemptOutcome = "success" | "failure" | "ongoing" | "unknown";

/** One recorded branch call, for the timeline: the calls of every run in which one did not succeed. */
export interface BranchAttemptRecord {
  readonly branchId: string;
  /** `msg` for a message's back-check, `resume` for a workflow's resume call (branch id `00`). */
  readonly op: CallOp;
  /** When the answer came (the coordinator's clock). */
  readonly at: Date;
  readonly outcome: AttemptOutcome;
  readonly error: string;
}
