/**
 * The one Store implementation, over Kysely, for both dialects (pg pool and PGlite). Internal module.
 *
 * Rules every statement here follows:
 * - Time is the database clock (`now()`), never the host's: instances on different hosts agree
 *   on who is due and whose lease ran out. Durations arrive as milliseconds parameters.
 * - Every write that completes one engine step is ONE statement (data-modifying CTEs), so it is
 *   one commit and one round trip; there is no multi-statement transaction to hold open. The
 *   hottest two (insert, progress) are written over arrays, and concurrent ones share a
 *   statement and its commit (kysely-writes.ts, group-commit.ts).
 * - Every write after a claim is fenced on `lease_owner = owner` and a status compare-and-set:
 *   an instance that lost its lease cannot overwrite the work of the new owner.
 */
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { BranchRecord, Mode, ClaimedTransaction, TransactionRecord, TransactionStatus, TransactionWithBranches } from "../model.js";
import type { Database } from "./schema.js";
import type { CreateResult, NewBranch, NewTransaction, ProgressUpdate, RegisterResult, Store } from "./store.js";
import { fromNow, prepared, toBranch, toTransaction, unfinished, type BranchRow, type TransactionRow } from "./sql.js";
import { createAdminQueries } from "./kysely-admin.js";
import { createTopicQueries } from "./kysely-topics.js";
import { createWorkflowQueries } from "./kysely-workflows.js";
import { createTransactionWrites, type GroupCommitSettings } from "./kysely-writes.js";

export interface KyselyStoreOptions {
  /**
   * A separate connection for lease renewals, so that a queue of work on the main pool cannot
   * delay them past the lease (another instance would then take over work still running here).
   * Destroyed by `close()`. Default: the main pool.
   */
  readonly leaseDb?: Kysely<Database>;
  /** Called by `close()` after the Kysely instance is destroyed (e.g. to stop an embedded server). */
  readonly onClose?: () => Promise<void>;
  /**
   * How concurrent inserts and progress writes share statements and commits (group-commit.ts).
   * Default: up to 64 writes per statement, 2 statements of each kind in flight.
   */
  readonly groupCommit?: GroupCommitSettings;
}

const defaultGroupCommit: GroupCommitSettings = { maxBatch: 64, maxConcurrent: 2 };

type ClaimedRow = TransactionRow & { timed_out: boolean; due_at: Date; previous_owner: string | null };

/**
 * Branch order within a transaction: by branch id, then the forward op (action, try) before the
 * ops that finish or undo it, so a listing reads in the order things happen.
 */
function opOrder(column: string): RawBuilder<number> {
  return sql.raw(`case ${column} when 'action' then 0 when 'try' then 0 when 'confirm' then 1
    when 'commit' then 1 when 'compensate' then 2 when 'cancel' then 2 when 'rollback' then 2 else 3 end`);
}

/** Create the Store over an open, migrated Kysely instance. `close()` destroys `db`. */
export function createKyselyStore(db: Kysely<Database>, options: KyselyStoreOptions = {}): Store {
  let closing: Promise<void> | undefined;
  const writes = createTransactionWrites(db, options.groupCommit ?? defaultGroupCommit);

  async function loadBranches(gids: readonly string[]): Promise<Map<string, BranchRecord[]>> {
    const byGid = new Map<string, BranchRecord[]>(gids.map((gid) => [gid, []]));
    if (gids.length === 0) return byGid;
    const { rows } = await sql<BranchRow>`${prepared}
      select * from concord.branches where gid = any(${[...gids]}::text[])
      order by gid, branch_id, ${opOrder("op")}, created_at`.execute(db);
    for (const row of rows) byGid.get(row.gid)?.push(toBranch(row));
    return byGid;
  }

  async function getTransaction(gid: string): Promise<TransactionWithBranches | undefined> {
    // One statement (one snapshot): the transaction joined to its branches, branch columns prefixed.
    const { rows } = await sql<TransactionRow & PrefixedBranch>`${prepared}
      select t.*, b.branch_id as b_branch_id, b.op as b_op, b.target as b_target, b.payload as b_payload,
        b.status as b_status, b.attempts as b_attempts, b.last_error as b_last_error,
        b.created_at as b_created_at, b.updated_at as b_updated_at, b.finished_at as b_finished_at
      from concord.transactions t left join concord.branches b on b.gid = t.gid
      where t.gid = ${gid}
      order by b.branch_id, ${opOrder("b.op")}, b.created_at`.execute(db);
    const first = rows[0];
    if (!first) return undefined;
    const branches = rows.filter((r) => r.b_branch_id !== null).map((r) => toBranch(unprefix(gid, r)));
    return { ...toTransaction(first), branches };
  }

  /** Lease the rows `due` selects (gid, due_at, previous_owner; locked) to `owner`, counting an attempt. */
  async function claim(due: RawBuilder<unknown>, owner: string, leaseMs: number): Promise<ClaimedRow[]> {
    const { rows } = await sql<ClaimedRow>`${prepared}
      with due as (${due})
      update concord.transactions t
      set lease_owner = ${owner}, next_attempt_at = ${fromNow(leaseMs)}, attempts = t.attempts + 1, updated_at = now()
      from due
      where t.gid = due.gid
      returning t.*, due.due_at, due.previous_owner, (t.fail_at is not null and t.fail_at <= now()) as timed_out`.execute(db);
    return rows;
  }

  async function withBranches(rows: readonly ClaimedRow[]): Promise<ClaimedTransaction[]> {
    const branches = await loadBranches(rows.map((r) => r.gid));
    return rows.map((r) => ({
      ...toTransaction(r),
      branches: branches.get(r.gid) ?? [],
      timedOut: r.timed_out,
      previousOwner: r.previous_owner,
    }));
  }

  return {
    ...createAdminQueries(db),
    ...createTopicQueries(db),
    ...createWorkflowQueries(db),

    async createTransaction(tx: NewTransaction, branches: readonly NewBranch[]): Promise<CreateResult> {
      const created = await writes.insert({ tx, branches });
      if (created) return { created: true, transaction: created };
      const existing = await getTransaction(tx.gid);
      if (!existing) throw new Error(`transaction ${tx.gid} conflicted on insert but cannot be read`);
      return { created: false, existing };
    },

    getTransaction,

    async registerBranches(gid: string, mode: Mode, branches: readonly NewBranch[]): Promise<RegisterResult> {
      // FOR SHARE holds off a concurrent status change (Submit/Abort) until this commits, and
      // the insert happens only while the row says PREPARED: a branch is registered before the
      // second phase starts, or not at all.
      const { rows } = await sql<{ status: TransactionStatus; mode: Mode; inserted: number }>`${prepared}
        with t as (
          select gid, status, mode from concord.transactions where gid = ${gid} for share
        ), v (branch_id, op, target, payload) as (
          values ${sql.join(
            branches.map((b) => sql`(${b.branchId}::text, ${b.op}::text, ${b.target}::text, ${b.payload}::bytea)`),
          )}
        ), ins as (
          -- All or nothing: when any of these rows exists already (a repeat, or a conflict the
          -- caller reports), none is inserted.
          insert into concord.branches (gid, branch_id, op, target, payload, status)
          select t.gid, v.branch_id, v.op, v.target, v.payload, 'prepared'
          from t cross join v
          where t.status = 'prepared' and t.mode = ${mode}
            and not exists (select 1 from concord.branches b join v using (branch_id, op) where b.gid = t.gid)
          on conflict (gid, branch_id, op) do nothing
          returning 1
        )
        select t.status, t.mode, (select count(*) from ins)::int as inserted from t`.execute(db);
      const row = rows[0];
      if (!row) return { kind: "not-found" };
      if (row.mode !== mode) return { kind: "wrong-mode", mode: row.mode };
      if (row.status !== "prepared") return { kind: "not-prepared", status: row.status };
      if (Number(row.inserted) === branches.length) return { kind: "registered" };
      // The rows existed: a repeated registration is fine, other content under the id is not.
      const existing = (await getTransaction(gid))?.branches ?? [];
      for (const b of branches) {
        const found = existing.find((e) => e.branchId === b.branchId && e.op === b.op);
        if (!found || found.target !== b.target || Buffer.compare(Buffer.from(found.payload), Buffer.from(b.payload)) !== 0) {
          return { kind: "conflict", branchId: b.branchId };
        }
      }
      return { kind: "registered" };
    },

    async claimDueTransactions(owner: string, limit: number, leaseMs: number): Promise<ClaimedTransaction[]> {
      if (limit <= 0) return [];
      // Claiming is one statement so that picking and leasing cannot be separated by a crash or
      // by another instance:
      // - FOR UPDATE SKIP LOCKED: concurrent claimers (other instances) skip rows another claimer
      //   is taking right now instead of queueing behind it, so N instances split the due work
      //   without blocking and never both take one row.
      // - The lease (lease_owner + next_attempt_at = now() + lease) is what keeps the row ours
      //   after this commit: it is not due again until the lease runs out, so a crashed owner's
      //   work is picked up by someone else one lease later, and our later writes are fenced on it.
      // - previous_owner is read under the row lock: non-null means the last holder never handed
      //   the transaction back (a retry or finish clears it), i.e. it crashed or was stopped.
      // - now() is the database clock: all instances compare against one clock, whatever their
      //   hosts' clocks say. The timeout verdict is computed here for the same reason.
      const rows = await claim(
        sql`select gid, next_attempt_at as due_at, lease_owner as previous_owner from concord.transactions
          where status in ${unfinished} and next_attempt_at <= now()
          order by next_attempt_at
          limit ${limit}::int
          for update skip locked`,
        owner,
        leaseMs,
      );
      rows.sort((a, b) => a.due_at.getTime() - b.due_at.getTime());
      return withBranches(rows);
    },

    async claimTransaction(gid: string, owner: string, leaseMs: number): Promise<ClaimedTransaction | undefined> {
      // As a due claim, for one row whatever its due time — unless a live lease holds it: that
      // owner is driving it right now, and a second driver would call its branches twice at once.
      const rows = await claim(
        sql`select gid, next_attempt_at as due_at, lease_owner as previous_owner from concord.transactions
          where gid = ${gid} and status in ${unfinished} and (lease_owner is null or next_attempt_at <= now())
          for update skip locked`,
        owner,
        leaseMs,
      );
      return (await withBranches(rows))[0];
    },

    async renewLeases(owner: string, gids: readonly string[], leaseMs: number): Promise<string[]> {
      if (gids.length === 0) return [];
      // Rows locked in gid order (bytes: gids are ASCII, and JavaScript sorts them so too), as a
      // progress batch locks them (kysely-writes.ts). Locked in index order instead, a renewal
      // and a batch could each wait for the other until Postgres's deadlock check
      // (deadlock_timeout, 1 s) failed one of them.
      const { rows } = await sql<{ gid: string }>`${prepared}
        update concord.transactions t set next_attempt_at = ${fromNow(leaseMs)}
        from (
          select gid from concord.transactions
          where gid = any(${[...gids]}::text[]) and lease_owner = ${owner} and status in ${unfinished}
          order by gid collate "C"
          for no key update
        ) held
        where t.gid = held.gid
        returning t.gid`.execute(options.leaseDb ?? db);
      return rows.map((r) => r.gid);
    },

    saveProgress: (update: ProgressUpdate): Promise<TransactionRecord | undefined> => writes.saveProgress(update),

    async releaseLeases(owner: string): Promise<number> {
      // The owner stays recorded: whatever is still leased at hand-back was interrupted mid-run,
      // and the next claimer must know its branch calls may not have been written down.
      const { rows } = await sql<{ gid: string }>`
        update concord.transactions set next_attempt_at = now()
        where lease_owner = ${owner} and status in ${unfinished} and next_attempt_at > now()
        returning gid`.execute(db);
      return rows.length;
    },

    close(): Promise<void> {
      closing ??= (async () => {
        await db.destroy();
        await options.leaseDb?.destroy();
        await options.onClose?.();
      })();
      return closing;
    },
  };
}

interface PrefixedBranch {
  b_branch_id: string | null;
  b_op: BranchRow["op"] | null;
  b_target: string | null;
  b_payload: Uint8Array | null;
  b_status: BranchRow["status"] | null;
  b_attempts: number | null;
  b_last_error: string | null;
  b_created_at: Date | null;
  b_updated_at: Date | null;
  b_finished_at: Date | null;
}

function unprefix(gid: string, r: PrefixedBranch): BranchRow {
  return {
    gid,
    branch_id: r.b_branch_id!,
    op: r.b_op!,
    target: r.b_target!,
    payload: r.b_payload!,
    status: r.b_status!,
    attempts: r.b_attempts!,
    last_error: r.b_last_error!,
    created_at: r.b_created_at!,
    updated_at: r.b_updated_at!,
    finished_at: r.b_finished_at,
  };
}

