/**
 * This instance's leases, as one object: who we are, how long a lease lasts, and until when each
 * transaction we drive is surely still ours. Internal module.
 *
 * The database counts a lease from its own `now()`, which comes after the statement that took or
 * renewed it was sent. So a lease taken by a statement sent at `sentAt` (our monotonic clock)
 * surely holds until `sentAt + leaseMs`, whatever the round trip cost: callers note `now()` before
 * the statement and report it once the statement has returned.
 */

/**
 * Thrown instead of calling a branch when the lease may run out during the call: another
 * instance could then take the transaction over and call the same branch at the same time.
 */
export class LeaseExpiringError extends Error {
  override readonly name = "LeaseExpiringError";
}

export interface LeaseOptions {
  /** This instance's lease owner id, written to `lease_owner`. */
  readonly owner: string;
  /** How long a lease lasts once taken or renewed, ms. */
  readonly leaseMs: number;
  /** Monotonic clock, ms. Default `performance.now`. */
  readonly now?: () => number;
}

export interface Lease {
  readonly owner: string;
  readonly leaseMs: number;
  /** The lease clock, ms: note it before a statement that takes or renews leases. */
  now(): number;
  /** A statement sent at `sentAt` took the lease of `gid` (a claim, a leased insert, a takeover). */
  taken(gid: string, sentAt: number): void;
  /**
   * A statement sent at `sentAt` renewed these leases. Gids no longer tracked (their run ended
   * meanwhile) are ignored.
   */
  renewed(gids: readonly string[], sentAt: number): void;
  /** The run of `gid` ended: the lease is handed back (or was lost) and no longer tracked. */
  dropped(gid: string): void;
  /** How much longer the lease of `gid` surely holds, ms (negative once it may have run out). */
  remaining(gid: string): number;
  /**
   * Throw LeaseExpiringError unless the lease of `gid` surely outlasts a call of `callMs` (or half
   * a lease, if the call may be longer: a renewal comes every third of one).
   */
  assertCovers(gid: string, callMs: number): void;
  /** The gids whose leases are tracked (the ones to renew). */
  held(): string[];
}

export function createLease(options: LeaseOptions): Lease {
  const { owner, leaseMs } = options;
  const now = options.now ?? (() => performance.now());
  /** Until when (lease clock) each tracked lease surely holds. */
  const until = new Map<string, number>();

  function remaining(gid: string): number {
    return (until.get(gid) ?? Number.NEGATIVE_INFINITY) - now();
  }

  return {
    owner,
    leaseMs,
    now,
    taken(gid, sentAt) {
      until.set(gid, sentAt + leaseMs);
    },
    renewed(gids, sentAt) {
      for (const gid of gids) if (until.has(gid)) until.set(gid, Math.max(until.get(gid)!, sentAt + leaseMs));
    },
    dropped(gid) {
      until.delete(gid);
    },
    remaining,
    assertCovers(gid, callMs) {
      const left = remaining(gid);
      if (left < Math.min(callMs, leaseMs / 2)) {
        throw new LeaseExpiringError(`lease of ${gid} has ${Math.round(left)} ms left: not calling a branch`);
      }
    },
    held() {
      return [...until.keys()];
    },
  };
}
