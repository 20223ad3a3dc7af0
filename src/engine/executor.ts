/**
 * Runs transactions on this instance: a bounded set in flight (fresh submits and scheduler
 * claims alike), one engine per mode, results handed to whoever waits. Internal module.
 */
import type { TransactionWithBranches } from "../model.js";
import type { RunContext, RunEnd } from "./run.js";
import { TransactionRun } from "./run.js";
import { LeaseExpiringError } from "./lease.js";
import { withTimeout } from "../with-timeout.js";
import { modeEngines } from "./modes.js";

export interface RunResult {
  readonly end: RunEnd | "error";
  /** The transaction as this run left it. */
  readonly transaction: TransactionWithBranches;
}

export interface RunStart {
  /** An earlier run may have called branches without recording it. */
  readonly unrecordedProgress: boolean;
  /** `fail_at` has passed (database clock, at claim). */
  readonly timedOut: boolean;
  /** When the statement that took the lease was sent (`lease.now()`). */
  readonly leasedAt: number;
}

export class Executor {
  readonly #inFlight = new Map<string, Promise<RunResult>>();
  /** Places promised to work that is being claimed or inserted right now. */
  #reserved = 0;

  constructor(
    readonly ctx: RunContext,
    /** Most transactions driven at once on this instance. */
    readonly maxInFlight: number,
  ) {}

  /** Transactions driven here right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Free places for more transactions. */
  get capacity(): number {
    return Math.max(0, this.maxInFlight - this.#inFlight.size - this.#reserved);
  }

  /**
   * Promise up to `n` places before the store is asked for work (a claim, a leased insert), so
   * concurrent requests cannot all see the same free place. Returns how many were granted; each
   * is either used by `start(…, { reserved: true })` or handed back with `release`.
   */
  reserve(n: number): number {
    const granted = Math.min(n, this.capacity);
    this.#reserved += granted;
    return granted;
  }

  /** Hand back reserved places that were not used. */
  release(n: number): void {
    this.#reserved = Math.max(0, this.#reserved - n);
  }

  /** The run in flight for a gid, if any. */
  running(gid: string): Promise<RunResult> | undefined {
    return this.#inFlight.get(gid);
  }

  /** Start driving a transaction this instance holds the lease of. */
  start(tx: TransactionWithBranches, how: RunStart, place: { reserved: boolean } = { reserved: false }): Promise<RunResult> {
    if (place.reserved) this.release(1);
    const existing = this.#inFlight.get(tx.gid);
    if (existing) return existing;
    this.ctx.lease.taken(tx.gid, how.leasedAt);
    const promise = this.#drive(tx, how).finally(() => {
      this.#inFlight.delete(tx.gid);
      this.ctx.lease.dropped(tx.gid);
    });
    this.#inFlight.set(tx.gid, promise);
    return promise;
  }

  /** Wait for every run in flight, at most `timeoutMs`. True when all ended. */
  async drain(timeoutMs: number): Promise<boolean> {
    return (await withTimeout(Promise.allSettled([...this.#inFlight.values()]).then(() => true), timeoutMs)) ?? false;
  }

  async #drive(tx: TransactionWithBranches, how: RunStart): Promise<RunResult> {
    const span = this.ctx.tracing.startRun(tx);
    const result = await this.#driveRun(new TransactionRun(this.ctx, tx, how.unrecordedProgress, how.timedOut, span), tx, how);
    span.end(result.end);
    return result;
  }

  async #driveRun(run: TransactionRun, tx: TransactionWithBranches, how: RunStart): Promise<RunResult> {
    const engine = modeEngines[tx.mode];
    try {
      // A PREPARED transaction is only worked on once it has timed out (back-check or abort);
      // one handed to us earlier (a released lease) goes back to wait, unless its mode is only
      // ever due when it should be worked on (a workflow's resume).
      if (tx.status === "prepared" && !how.timedOut && engine.drivesPreparedWhenDue !== true) {
        const saved = await run.save({ kind: "retry", delayMs: engine.idleDelayMs(run) });
        return { end: saved ? "retry" : "lost", transaction: run.snapshot() };
      }
      const end = await engine.drive(run);
      return { end, transaction: run.snapshot() };
    } catch (error) {
      if (error instanceof LeaseExpiringError) {
        // Record what was done and hand the transaction back while the lease may still hold
        // (if it does not, the write is fenced off and the new owner carries on).
        this.ctx.logger.warn("lease running out before a branch call; handing the transaction back", { gid: tx.gid });
        const saved = await run.save({ kind: "retry", delayMs: 0 }).catch(() => false);
        return { end: saved ? "retry" : "lost", transaction: run.snapshot() };
      }
      // The lease runs out and another attempt (here or elsewhere) picks the transaction up.
      this.ctx.logger.error("driving a transaction failed; it will be retried when its lease ends", { gid: tx.gid, error });
      return { end: "error", transaction: run.snapshot() };
    }
  }
}
