/**
 * Typed lifecycle events. Tests await them instead of sleeping; metrics and the admin page will
 * subscribe to them. Internal module.
 */
import { EventEmitter, on } from "node:events";
import type { BranchOp, CallOp, Mode, TransactionStatus } from "../model.js";
import type { BranchOutcome } from "../protocol/index.js";

/** The branch a rollback or failure is about, as last recorded. */
export interface BranchCause {
  readonly branchId: string;
  /** `msg` for a message's back-check. */
  readonly op: BranchOp | "msg";
  readonly lastError: string;
}

export interface CoordinatorEventMap {
  /** A transaction was stored as SUBMITTED (fresh submit, or a prepared message submitted). */
  "transaction:submitted": { gid: string; mode: Mode };
  /** A transaction reached SUCCEEDED or FAILED; a FAILED one names the branch it failed over, when there is one. */
  "transaction:finished": {
    gid: string;
    mode: Mode;
    status: Extract<TransactionStatus, "succeeded" | "failed">;
    rollbackReason: string;
    cause?: BranchCause | undefined;
    /** From creation to the final status, by the database clock, ms. */
    durationMs: number;
  };
  /** A transaction turned ABORTING and starts rolling back (compensate, cancel, roll back). */
  "transaction:aborting": { gid: string; mode: Mode; reason: string; cause?: BranchCause | undefined };
  /** A run handed the transaction back; it is due again after `delayMs` (capped at its timeout). */
  "transaction:retry-scheduled": { gid: string; delayMs: number };
  /** A write was refused because another instance took the lease or another call moved the transaction on. */
  "transaction:lease-lost": { gid: string };
  /** A branch call came back. */
  "branch:called": { gid: string; branchId: string; op: CallOp; target: string; outcome: BranchOutcome; attempts: number; durationMs: number };
  /**
   * A branch op keeps failing: its attempts reached the coordinator's alert threshold (`attempts`)
   * or, for an op that must succeed, the transaction's `max_attempts` (`max_attempts`). Concord
   * keeps retrying; someone should look. Once per op and threshold.
   */
  "branch:alert": {
    gid: string;
    mode: Mode;
    /** The transaction's status when the alert was raised. */
    status: TransactionStatus;
    branchId: string;
    op: BranchOp;
    target: string;
    attempts: number;
    lastError: string;
    reason: "attempts" | "max_attempts";
  };
  /** The scheduler claimed due transactions. */
  "scheduler:claimed": { gids: string[] };
}

export type CoordinatorEventName = keyof CoordinatorEventMap;

/** A typed wrapper over Node's EventEmitter. */
export class CoordinatorEvents {
  readonly #emitter = new EventEmitter({ captureRejections: false });

  constructor() {
    // Many waiters (wait_result, tests) may listen at once; each removes itself when done.
    this.#emitter.setMaxListeners(0);
  }

  emit<K extends CoordinatorEventName>(name: K, event: CoordinatorEventMap[K]): void {
    this.#emitter.emit(name, event);
  }

  on<K extends CoordinatorEventName>(name: K, listener: (event: CoordinatorEventMap[K]) => void): () => void {
    this.#emitter.on(name, listener);
    return () => this.#emitter.off(name, listener);
  }

  /**
   * Resolve with the first event matching `predicate`, or reject after `timeoutMs` (bounded: no
   * waiter outlives its deadline) or when `signal` aborts.
   */
  async waitFor<K extends CoordinatorEventName>(
    name: K,
    predicate: (event: CoordinatorEventMap[K]) => boolean,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<CoordinatorEventMap[K]> {
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (signal) signals.push(signal);
    for await (const [event] of on(this.#emitter, name, { signal: AbortSignal.any(signals) })) {
      if (predicate(event as CoordinatorEventMap[K])) return event as CoordinatorEventMap[K];
    }
    throw new Error(`no ${name} event`);
  }
}
