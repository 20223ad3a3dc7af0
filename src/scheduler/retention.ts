/**
 * Retention: finished transactions are deleted once they finished longer ago than the
 * configured age, in small batches, never in one large statement: each batch locks only the rows
 * it deletes and skips rows another session holds (SKIP LOCKED), so live work never waits for it.
 * Every instance runs it; they split the work the same way they split claims. Internal module.
 */
import type { Logger } from "../logger.js";
import type { Store } from "../store/index.js";

export interface RetentionOptions {
  readonly store: Store;
  readonly logger: Logger;
  /** Finished transactions older than this are deleted, ms (> 0). */
  readonly ageMs: number;
  /** Time between rounds, ms. */
  readonly intervalMs: number;
  /** Transactions one batch deletes at most. */
  readonly batchSize: number;
  /** Most batches one round runs back to back (a round stops earlier when a batch is not full). Default 20. */
  readonly maxBatchesPerRound?: number;
  /** Told how many each batch deleted (metrics). */
  readonly onDeleted?: (count: number) => void;
}

export interface Retention {
  /** Delete what is due now, one round; resolves with how many were deleted. */
  runOnce(): Promise<number>;
  /** Stop the rounds; resolves when the batch in progress has ended. Idempotent. */
  stop(): Promise<void>;
}

/** Start rounds every `intervalMs` (the first one after one interval). */
export function startRetention(options: RetentionOptions): Retention {
  const { store, logger, ageMs, intervalMs, batchSize } = options;
  const maxBatches = options.maxBatchesPerRound ?? 20;
  let stopped = false;
  let round: Promise<number> | undefined;

  async function runOnce(): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches && !stopped; i++) {
      const deleted = await store.deleteFinished(ageMs, batchSize);
      total += deleted;
      if (deleted > 0) options.onDeleted?.(deleted);
      if (deleted < batchSize) break;
      // Let live work have the connection and the event loop between full batches.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (total > 0) logger.info("retention: finished transactions deleted", { count: total, olderThanMs: ageMs });
    return total;
  }

  const timer = setInterval(() => {
    if (round !== undefined) return; // the last round is still going
    round = runOnce()
      .catch((error: unknown) => {
        logger.warn("retention: deleting finished transactions failed; trying again at the next round", { error });
        return 0;
      })
      .finally(() => (round = undefined));
  }, intervalMs);
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await round;
    },
  };
}
