/**
 * The store's operator queries: listings, counts, figures, timelines, force-stop and
 * make-due, and retention's deletes. Internal module; `createKyselyStore` serves them.
 */
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { BranchAttemptRecord, Mode, TransactionRecord, TransactionStatus } from "../model.js";
import type { Database } from "./schema.js";
import { final, fromNow, prepared, toTransaction, unfinished, type TransactionRow } from "./sql.js";
import type { ListedTransaction, Store, StoreOverview, TransactionCursor, TransactionFilter } from "./store.js";

type AdminQueries = Pick<
  Store,
  "makeDue" | "makeDueNow" | "forceStop" | "listTransactions" | "getAttempts" | "countTransactions" | "overview" | "deleteFinished"
>;

export function createAdminQueries(db: Kysely<Database>): AdminQueries {
  return {
    async makeDue(gid: string): Promise<boolean> {
      const { rows } = await sql<{ gid: string }>`
        update concord.transactions set next_attempt_at = now()
        where gid = ${gid} and status in ${unfinished} and (lease_owner is null or next_attempt_at <= now())
        returning gid`.execute(db);
      return rows.length > 0;
    },

    async makeDueNow(laterThanMs: number, limit: number): Promise<{ count: number; remaining: boolean }> {
      if (limit <= 0) return { count: 0, remaining: false };
      // One more row than asked for is locked and counted, to tell whether any are left. Leased
      // rows are skipped: their owner is working on them and sets their next attempt itself.
      const { rows } = await sql<{ count: number; remaining: boolean }>`
        with later as (
          select gid from concord.transactions
          where status in ${unfinished} and lease_owner is null and next_attempt_at > ${fromNow(laterThanMs)}
          order by next_attempt_at
          limit ${limit + 1}::int
          for update skip locked
        ), picked as (
          select gid from later limit ${limit}::int
        ), made_due as (
          update concord.transactions t set next_attempt_at = now() from picked where t.gid = picked.gid returning 1
        )
        select (select count(*) from made_due)::int as count, (select count(*) from later) > ${limit}::int as remaining`.execute(db);
      const row = rows[0];
      return { count: Number(row?.count ?? 0), remaining: row?.remaining === true };
    },

    async forceStop(gid: string, reason: string): Promise<TransactionRecord | undefined> {
      // No lease fence and no status compare beyond "unfinished": an operator's override wins over
      // whoever drives the transaction, whose next write is then fenced off (its lease is gone).
      const { rows } = await sql<TransactionRow>`${prepared}
        update concord.transactions t
        set status = 'failed', rollback_reason = case when ${reason}::text <> '' then ${reason}::text else t.rollback_reason end,
          lease_owner = null, next_attempt_at = null, finished_at = now(), updated_at = now()
        where t.gid = ${gid} and t.status in ${unfinished}
        returning t.*`.execute(db);
      const row = rows[0];
      return row ? toTransaction(row) : undefined;
    },

    async listTransactions(filter: TransactionFilter, limit: number, after?: TransactionCursor): Promise<ListedTransaction[]> {
      const conditions: RawBuilder<unknown>[] = [];
      if (filter.status !== undefined) conditions.push(sql`t.status = ${filter.status}`);
      if (filter.statuses !== undefined && filter.statuses.length > 0) conditions.push(sql`t.status = any(${[...filter.statuses]}::text[])`);
      if (filter.mode !== undefined) conditions.push(sql`t.mode = ${filter.mode}`);
      if (filter.modes !== undefined && filter.modes.length > 0) conditions.push(sql`t.mode = any(${[...filter.modes]}::text[])`);
      if (filter.gid !== undefined) conditions.push(sql`t.gid = ${filter.gid}`);
      if (filter.gidPrefix !== undefined && filter.gidPrefix !== "") conditions.push(sql`t.gid like ${`${escapeLike(filter.gidPrefix)}%`}`);
      if (filter.stuck !== undefined) {
        const { olderThanMs, minAttempts } = filter.stuck;
        const either: RawBuilder<unknown>[] = [];
        if (olderThanMs !== undefined) either.push(sql`t.created_at < ${fromNow(-olderThanMs)}`);
        if (minAttempts !== undefined && minAttempts > 0) either.push(sql`t.attempts >= ${minAttempts}::int`);
        conditions.push(either.length === 0 ? sql`t.status in ${unfinished}` : sql`t.status in ${unfinished} and (${sql.join(either, sql` or `)})`);
      }
      if (filter.targetContains !== undefined && filter.targetContains !== "") {
        conditions.push(sql`exists (select 1 from concord.branches b where b.gid = t.gid and strpos(b.target, ${filter.targetContains}::text) > 0)`);
      }
      if (filter.createdFrom !== undefined) conditions.push(sql`t.created_at >= ${filter.createdFrom}`);
      if (filter.createdTo !== undefined) conditions.push(sql`t.created_at <= ${filter.createdTo}`);
      // Keyset paging on the (created_at, gid) index: a page starts strictly after the last row of
      // the one before, at the database's own precision, so rows are neither skipped nor repeated.
      if (after !== undefined) conditions.push(sql`(t.created_at, t.gid) < (${after.createdKey}::timestamptz, ${after.gid}::text)`);
      const where = conditions.length === 0 ? sql`` : sql`where ${sql.join(conditions, sql` and `)}`;
      const { rows } = await sql<TransactionRow & { created_key: string }>`
        select t.*, t.created_at::text as created_key from concord.transactions t
        ${where}
        order by t.created_at desc, t.gid desc
        limit ${limit}::int`.execute(db);
      return rows.map((r) => ({ ...toTransaction(r), cursor: { createdKey: r.created_key, gid: r.gid } }));
    },

    async getAttempts(gid: string, perOp: number): Promise<BranchAttemptRecord[]> {
      const { rows } = await sql<{ branch_id: string; op: BranchAttemptRecord["op"]; at: Date; outcome: BranchAttemptRecord["outcome"]; error: string }>`
        select branch_id, op, at, outcome, error from (
          select a.*, row_number() over (partition by a.branch_id, a.op order by a.seq desc) as newest
          from concord.branch_attempts a where a.gid = ${gid}
        ) x
        where newest <= ${perOp}::int
        order by seq`.execute(db);
      return rows.map((r) => ({ branchId: r.branch_id, op: r.op, at: r.at, outcome: r.outcome, error: r.error }));
    },

    async countTransactions(): Promise<{ status: TransactionStatus; mode: Mode; count: number }[]> {
      const { rows } = await sql<{ status: TransactionStatus; mode: Mode; count: number }>`
        select status, mode, count(*)::int as count from concord.transactions group by status, mode order by status, mode`.execute(db);
      return rows.map((r) => ({ ...r, count: Number(r.count) }));
    },

    async overview(windowMs: number, stuckAfterMs: number): Promise<StoreOverview> {
      // The window reads the (created_at, gid) index; the unfinished counts and the lag read the
      // partial index of unfinished transactions.
      const { rows } = await sql<{ created: number; succeeded: number; failed: number; stuck: number; unfinished: number; lag_ms: number }>`
        select w.created, w.succeeded, w.failed, u.stuck, u.unfinished, u.lag_ms
        from (
          select count(*)::int as created,
            (count(*) filter (where status = 'succeeded'))::int as succeeded,
            (count(*) filter (where status = 'failed'))::int as failed
          from concord.transactions where created_at >= ${fromNow(-windowMs)}
        ) w, (
          select (count(*) filter (where created_at < ${fromNow(-stuckAfterMs)}))::int as stuck,
            count(*)::int as unfinished,
            coalesce(extract(epoch from now() - min(next_attempt_at) filter (where next_attempt_at <= now())) * 1000, 0)::float8 as lag_ms
          from concord.transactions where status in ${unfinished}
        ) u`.execute(db);
      const r = rows[0]!;
      return {
        created: Number(r.created),
        succeeded: Number(r.succeeded),
        failed: Number(r.failed),
        stuck: Number(r.stuck),
        unfinished: Number(r.unfinished),
        schedulerLagMs: Number(r.lag_ms),
      };
    },

    async deleteFinished(olderThanMs: number, limit: number): Promise<number> {
      // Old rows first, through the (created_at, gid) index: a transaction finishes after it is
      // created, so one that finished long enough ago was created long enough ago too. SKIP
      // LOCKED: rows another session holds are left for a later batch, never waited for. Their
      // branch rows and call timeline go in the same statement (no foreign key cascades them).
      const { rows } = await sql<{ gid: string }>`
        with doomed as (
          select gid from concord.transactions
          where created_at < ${fromNow(-olderThanMs)} and status in ${final} and finished_at < ${fromNow(-olderThanMs)}
          order by created_at
          limit ${limit}::int
          for update skip locked
        ), branches as (
          delete from concord.branches b using doomed where b.gid = doomed.gid
        ), attempts as (
          delete from concord.branch_attempts a using doomed where a.gid = doomed.gid
        )
        delete from concord.transactions t using doomed where t.gid = doomed.gid
        returning t.gid`.execute(db);
      return rows.length;
    }
  };
}

/** `text` matched literally by LIKE: its wildcards and the escape character escaped. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
