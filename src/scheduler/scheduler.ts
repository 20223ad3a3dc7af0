/**
 * The scheduler: claims due work (retries, timeouts, orphans of crashed instances) with one
 * SKIP LOCKED statement, keeps the leases of everything this instance drives alive, and wakes
 * early for retries due before the next poll. A fresh Submit never waits for it. Internal module.
 */
import type { Logger } from "../logger.js";
import type { Store } from "../store/index.js";
import type { ClaimedTransaction } from "../model.js";
import type { CoordinatorEvents, Executor, Lease } from "../engine/index.js";
import { withTimeout } from "../with-timeout.js";

export interface SchedulerOptions {
  readonly store: Store;
  readonly executor: Executor;
  readonly events: CoordinatorEvents;
  readonly logger: Logger;
  /** This instance's leases (owner id, length); each is renewed every third of its length while its run goes on. */
  readonly lease: Lease;
  /** Time between polls when nothing wakes the scheduler earlier, ms. */
  readonly pollIntervalMs: number;
  /** Most transactions claimed by one statement. Default 32. */
  readonly batchSize?: number;
}

export interface Scheduler {
  /** Start polling and renewing leases. */
  start(): void;
  /** Claim and start what is due now, once; resolves with how many were claimed. */
  pollOnce(): Promise<number>;
  /** Poll as soon as possible (a retry fell due, room freed up). */
  wake(): void;
  /**
   * Stop claiming (polls, early wake-ups) but keep renewing the leases of the runs still going,
   * so a shutdown can let them finish without another instance taking them over mid-call.
   * Resolves when the poll loop has ended, or after one lease if a claim hangs. Idempotent.
   */
  stopClaiming(): Promise<void>;
  /** Stop claiming and renewing. Idempotent. */
  stop(): Promise<void>;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { store, executor, events, logger, lease, pollIntervalMs } = options;
  const { owner, leaseMs } = lease;
  const batchSize = options.batchSize ?? 32;
  const stopping = new AbortController();
  const retryTimers = new Set<NodeJS.Timeout>();
  let wakeUp: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let renewTimer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;

  async function pollOnce(): Promise<number> {
    if (stopping.signal.aborted) return 0;
    const limit = executor.reserve(batchSize);
    if (limit === 0) return 0;
    let claimed: ClaimedTransaction[] = [];
    const leasedAt = lease.now();
    try {
      claimed = await store.claimDueTransactions(owner, limit, leaseMs);
    } finally {
      // Places not filled go back; the filled ones are handed to the runs below.
      executor.release(limit - claimed.length);
    }
    if (claimed.length === 0) return 0;
    events.emit("scheduler:claimed", { gids: claimed.map((t) => t.gid) });
    for (const tx of claimed) {
      // A run that ends frees a place: look for more work at once.
      const how = { unrecordedProgress: tx.previousOwner !== null, timedOut: tx.timedOut, leasedAt };
      void executor.start(tx, how, { reserved: true }).then(() => wake());
    }
    return claimed.length;
  }

  function wake(): void {
    wakeUp?.();
  }

  async function run(): Promise<void> {
    while (!stopping.signal.aborted) {
      let claimed = 0;
      try {
        claimed = await pollOnce();
      } catch (error) {
        logger.error("claiming due transactions failed; retrying at the next poll", { error });
      }
      // A full batch means more may be due: poll again without waiting.
      if (claimed === batchSize && executor.capacity > 0) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
        stopping.signal.addEventListener("abort", wakeUp, { once: true });
      });
      if (wakeUp) stopping.signal.removeEventListener("abort", wakeUp);
      wakeUp = undefined;
    }
  }

  async function renewLeases(): Promise<void> {
    const gids = lease.held();
    if (gids.length === 0) return;
    try {
      const sentAt = lease.now();
      const renewed = await store.renewLeases(owner, gids, leaseMs);
      lease.renewed(renewed, sentAt);
      const held = new Set(renewed);
      // Most gids not renewed just finished meanwhile; a run that really lost its lease finds out
      // (and says so) when its next write is fenced off.
      const missed = gids.filter((g) => !held.has(g) && executor.running(g) !== undefined);
      if (missed.length > 0) logger.debug("leases not renewed", { gids: missed });
    } catch (error) {
      logger.error("renewing leases failed", { error });
    }
  }

  async function stopClaiming(): Promise<void> {
    stopping.abort();
    unsubscribe?.();
    for (const t of retryTimers) clearTimeout(t);
    retryTimers.clear();
    if (!loop) return;
    // A claim statement in flight ends the loop once it returns; bounded, for a database that
    // stopped answering (what it claimed is then another instance's after one lease).
    await withTimeout(loop, leaseMs);
  }

  return {
    start() {
      if (loop || stopping.signal.aborted) return;
      unsubscribe = events.on("transaction:retry-scheduled", ({ delayMs }) => {
        if (delayMs >= pollIntervalMs || stopping.signal.aborted) return;
        const timer = setTimeout(() => {
          retryTimers.delete(timer);
          wake();
        }, delayMs + 5);
        retryTimers.add(timer);
      });
      renewTimer = setInterval(() => void renewLeases(), Math.max(50, Math.floor(leaseMs / 3)));
      loop = run();
    },
    pollOnce,
    wake,
    stopClaiming,
    async stop() {
      await stopClaiming();
      clearInterval(renewTimer);
    },
  };
}
