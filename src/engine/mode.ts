/**
 * The interface every transaction mode implements. Internal module.
 */
import type { TransactionRun, RunEnd } from "./run.js";

export interface ModeEngine {
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
