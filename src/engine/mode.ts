/**
 * The interface every transaction mode implements: the rules the API and the core operations ask
 * it (which body a request takes, which branch rows a transaction has, what a repeat is, where
 * Abort goes) and how a run drives it. A new mode is one file implementing this plus its line in
 * `modeEngines` (modes.ts). Internal module.
 */
import type { TransactionRecord, TransactionSpec } from "../model.js";
import type { NewBranch } from "../store/index.js";
import type { TransactionRun, RunEnd } from "./run.js";

/** The kinds of request body (the `spec` oneof of Submit, `msg` of Prepare). */
export type BodyKind = "saga" | "msg";

/** What a request of a mode takes as its body. */
export interface BodyRule {
  /** The body kind this mode takes; undefined = none (any body is refused). */
  readonly kind: BodyKind | undefined;
  /** The body must be there. When optional, an empty one (no steps) counts as absent. */
  readonly required: boolean;
}

/** A request's branch registration: the mode whose branch it describes, and that branch's targets. */
export type BranchRegistration =
  | { readonly mode: "tcc"; readonly confirm: string; readonly cancel: string }
  | { readonly mode: "xa"; readonly target: string };

export interface ModeEngine {
  /** What Submit takes: with a body it stores and starts the transaction in one call. */
  readonly submitBody: BodyRule;
  /**
   * What Prepare takes, or why this mode is never prepared (INVALID_ARGUMENT on `mode`). A mode
   * that can be prepared always has a `timeout_to_fail`: a client that vanished would otherwise
   * leave the transaction, and whatever its branches hold, PREPARED forever.
   */
  readonly prepare: BodyRule | { readonly refused: string };
  /** Where Abort moves a PREPARED transaction, or why a client cannot abort one (FAILED_PRECONDITION). */
  readonly abort: { readonly toStatus: "aborting" | "failed" } | { readonly refused: string };
  /** Why Submit never takes this mode (INVALID_ARGUMENT on `mode`); absent: it does. */
  readonly submitRefused?: string;
  /**
   * A PREPARED transaction of this mode handed to a run before its timeout is driven all the
   * same: it is only due at its timeout, or when someone asked to run it now (RetryNow, dtm's
   * resetNextCronTime). Absent: it goes back to wait (Submit or Abort will move it on).
   */
  readonly drivesPreparedWhenDue?: boolean;
  /** How Submit names a gid it cannot find, e.g. "prepared tcc transaction". */
  readonly preparedName: string;
  /** The branch rows a new transaction with this body has (one payload per step, by index). */
  branchesOf(spec: TransactionSpec, payloads: readonly Uint8Array[]): NewBranch[];
  /**
   * The rows a RegisterBranch of `registration` (one of this mode's) creates. Absent: this mode
   * registers no branches, all of them come with its body.
   */
  registeredBranches?(branchId: string, payload: Uint8Array, registration: BranchRegistration): NewBranch[];
  /** Whether a Submit carrying `spec` (absent = none) and `requestHash` repeats the stored transaction. */
  isRepeat(existing: TransactionRecord, spec: TransactionSpec | undefined, requestHash: string): boolean;
  /** Whether the stored transaction was aborted before any Submit (a Submit then is refused). */
  wasAborted(existing: TransactionRecord): boolean;
  /**
   * Drive a transaction as far as it can go now: to a final status, to a hand-back for a later
   * attempt, or until another owner fences this run off. Bounded: every branch call has a
   * deadline and a transaction has a bounded number of steps.
   */
  drive(run: TransactionRun): Promise<RunEnd>;
  /**
   * Why the transaction may be handed to the scheduler early without work (PREPARED and not yet
   * timed out): the delay until it should be looked at again, in ms.
   */
  idleDelayMs(run: TransactionRun): number;
}

/** Whether a mode can be prepared (and so always has a `timeout_to_fail`). */
export function canBePrepared(engine: Pick<ModeEngine, "prepare">): boolean {
  return !("refused" in engine.prepare);
}

/** The rows of SAGA/MSG steps: `ops` of each step, the action's target for `action`, else the compensation's. */
export function stepBranches(spec: TransactionSpec, payloads: readonly Uint8Array[], ops: readonly ("action" | "compensate")[]): NewBranch[] {
  const empty = new Uint8Array(0);
  const rows: NewBranch[] = [];
  spec.steps.forEach((s, i) => {
    for (const op of ops) rows.push({ branchId: s.branchId, op, target: op === "action" ? s.action : s.compensate, payload: payloads[i] ?? empty });
  });
  return rows;
}

/**
 * The rollback reason of a transaction that timed out (`timeout_to_fail` passed): dtm's own words,
 * which its clients and tests match (`^Timeout after \d+ seconds$` for whole seconds).
 */
export function timeoutReason(timeoutMs: number): string {
  return `Timeout after ${timeoutMs / 1000} seconds`;
}
