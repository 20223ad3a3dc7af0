/**
 * The two writes every transaction makes: its insert, and the progress writes of its runs (the
 * last of which finishes it). Each is one statement over arrays, so one statement text serves a
 * batch of any size and group commit (group-commit.ts) can send many concurrent writes as one
 * round trip and one commit. Internal module.
 *
 * Neither is a named prepared statement (sql.ts `prepared`): Postgres plans each batch anew, with
 * the table's size now and the batch's real length. A plan kept per connection is made from the
 * statistics of the moment: on a young database (a few hundred rows, not yet analyzed) that is a
 * sequential scan of transactions, kept until the next ANALYZE while the table grows, and every
 * batch then read the whole table (46 ms a batch at 20,000 rows). A batch carries many writes, so
 * planning it costs little per write.
 *
 * The rules of kysely-store.ts hold per row: the database clock, one statement per engine step,
 * and progress writes fenced on the lease owner and a status compare-and-set.
 */
import { sql, type Kysely } from "kysely";
import type { TransactionRecord } from "../model.js";
import { canMove } from "../model.js";
import type { Database } from "./schema.js";
import type { NewBranch, NewTransaction, ProgressUpdate } from "./store.js";
import { forward, toTransaction, type TransactionRow } from "./sql.js";
import { createGroupCommit } from "./group-commit.js";

export interface NewTransactionWrite {
  readonly tx: NewTransaction;
  readonly branches: readonly NewBranch[];
}

export interface GroupCommitSettings {
  /** Most writes of one kind in one statement. */
  readonly maxBatch: number;
  /** Most statements of one kind in flight at once. */
  readonly maxConcurrent: number;
}

export interface TransactionWrites {
  /** The inserted row, or undefined when the gid exists (nothing was written). */
  insert(write: NewTransactionWrite): Promise<TransactionRecord | undefined>;
  /** The row as written, or undefined when the fence or the status check refused the write. */
  saveProgress(update: ProgressUpdate): Promise<TransactionRecord | undefined>;
}

/** pg sends a Buffer as bytea; a plain Uint8Array inside an array parameter would not be. */
const asBuffer = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/**
 * The writes over `db`, each kind grouped as `settings` says; `maxBatch: 1` sends every write
 * alone (the same statements, one row each).
 */
export function createTransactionWrites(db: Kysely<Database>, settings: GroupCommitSettings): TransactionWrites {
  const inserts = createGroupCommit<NewTransactionWrite, TransactionRecord | undefined>({
    write: (items) => insertBatch(db, items),
    keyOf: (w) => w.tx.gid,
    ...settings,
  });
  const progress = createGroupCommit<ProgressUpdate, TransactionRecord | undefined>({
    write: (items) => progressBatch(db, items),
    keyOf: (u) => u.gid,
    ...settings,
  });
  return {
    insert: (write) => inserts.submit(write),
    saveProgress(update) {
      // A move the state machine forbids is a bug in the caller, not a lost race: say so loudly.
      if (update.toStatus !== undefined && !canMove(update.fromStatus, update.toStatus)) {
        return Promise.reject(new Error(`transaction ${update.gid}: no move from ${update.fromStatus} to ${update.toStatus}`));
      }
      return progress.submit(update);
    },
  };
}

async function insertBatch(db: Kysely<Database>, writes: readonly NewTransactionWrite[]): Promise<(TransactionRecord | undefined)[]> {
  // Rows in gid order: two instances inserting overlapping gids lock them in the same order.
  const order = writes.map((_, i) => i).sort((a, b) => (writes[a]!.tx.gid < writes[b]!.tx.gid ? -1 : 1));
  const txs = order.map((i) => writes[i]!.tx);
  const branches = order.flatMap((i) => writes[i]!.branches.map((b) => ({ gid: writes[i]!.tx.gid, ...b })));
  // Due: with a lease, when it runs out (the receiving instance works on it now: its first
  // attempt); without, a PREPARED one at its timeout (it waits for Submit), anything else after
  // dueInMs (a delayed MSG) or at once.
  const { rows } = await sql<TransactionRow>`
    with v as (
      select * from unnest(${txs.map((t) => t.gid)}::text[], ${txs.map((t) => t.mode)}::text[],
        ${txs.map((t) => t.status)}::text[], ${txs.map((t) => JSON.stringify(t.spec))}::jsonb[],
        ${txs.map((t) => JSON.stringify(t.options))}::jsonb[], ${txs.map((t) => t.customData)}::text[],
        ${txs.map((t) => t.requestHash)}::text[], ${txs.map((t) => t.timeoutToFailMs)}::float8[],
        ${txs.map((t) => (t.lease ? t.lease.leaseMs : (t.dueInMs ?? 0)))}::float8[],
        ${txs.map((t) => !t.lease && t.status === "prepared")}::bool[], ${txs.map((t) => t.lease?.owner ?? null)}::text[],
        ${txs.map((t) => t.traceContext ?? null)}::text[], ${txs.map((t) => t.createdBy ?? "")}::text[],
        ${txs.map((t) => asBuffer(t.input ?? new Uint8Array(0)))}::bytea[])
        with ordinality as v(gid, mode, status, spec, options, custom_data, request_hash, timeout_ms, due_ms,
          due_at_timeout, lease_owner, trace_context, created_by, input, ord)
    ), p as (
      select v.*, case when v.timeout_ms > 0 then now() + make_interval(secs => v.timeout_ms / 1000) end as fail_at from v
    ), inserted as (
      insert into concord.transactions (gid, mode, status, spec, options, custom_data, request_hash,
        attempts, fail_at, next_attempt_at, lease_owner, trace_context, created_by, input)
      select gid, mode, status, spec, options, custom_data, request_hash,
        case when lease_owner is null then 0 else 1 end, fail_at,
        case when due_at_timeout then coalesce(fail_at, now()) else now() + make_interval(secs => due_ms / 1000) end,
        lease_owner, trace_context, created_by, input
      from p order by ord
      -- A repeated gid inserts nothing (not even branches, which join on inserted) and returns no row.
      on conflict (gid) do nothing
      returning *
    ), new_branches as (
      insert into concord.branches (gid, branch_id, op, target, payload, status)
      select b.gid, b.branch_id, b.op, b.target, b.payload, 'prepared'
      from unnest(${branches.map((b) => b.gid)}::text[], ${branches.map((b) => b.branchId)}::text[],
        ${branches.map((b) => b.op)}::text[], ${branches.map((b) => b.target)}::text[],
        ${branches.map((b) => asBuffer(b.payload))}::bytea[]) as b(gid, branch_id, op, target, payload)
      join inserted i on i.gid = b.gid
    )
    select * from inserted`.execute(db);
  const byGid = new Map(rows.map((r) => [r.gid, r]));
  return writes.map((w) => {
    const row = byGid.get(w.tx.gid);
    return row ? toTransaction(row) : undefined;
  });
}

async function progressBatch(db: Kysely<Database>, updates: readonly ProgressUpdate[]): Promise<(TransactionRecord | undefined)[]> {
  // Rows in gid order, the order a lease renewal locks them in (kysely-store.ts renewLeases).
  const order = updates.map((_, i) => i).sort((a, b) => (updates[a]!.gid < updates[b]!.gid ? -1 : 1));
  const us = order.map((i) => updates[i]!);
  const branches = us.flatMap((u) => (u.branches ?? []).map((b) => ({ gid: u.gid, ...b })));
  const attempts = us.flatMap((u) => (u.attempts ?? []).map((a) => ({ gid: u.gid, ...a })));
  const holdMs = (u: ProgressUpdate) => (u.next.kind === "hold" ? u.next.leaseMs : u.next.kind === "retry" ? u.next.delayMs : 0);
  // Per row, as `next` says:
  // - hold: keep the lease, next attempt when it runs out;
  // - retry: lease released, due after the delay, capped at the timeout while the transaction
  //   still goes forward and the timeout is ahead (once passed it has been seen, and a cap in the
  //   past would make it due again and again, e.g. a MSG back-check answering ONGOING; LEAST
  //   ignores NULL, so no timeout means the plain delay);
  // - finish: lease released, nothing due, finished now.
  // The branch updates and attempts join `moved`, so when the fence or the status check refuses
  // a row none of its branches or attempts are written either: each step is written whole, or not.
  const { rows } = await sql<TransactionRow>`
    with v as (
      select * from unnest(${us.map((u) => u.gid)}::text[], ${us.map((u) => u.owner)}::text[],
        ${us.map((u) => u.takeLease === true)}::bool[], ${us.map((u) => u.fromStatus)}::text[],
        ${us.map((u) => u.toStatus ?? null)}::text[], ${us.map((u) => u.rollbackReason ?? null)}::text[],
        ${us.map((u) => u.next.kind)}::text[], ${us.map(holdMs)}::float8[])
        as v(gid, owner, take_lease, from_status, to_status, rollback_reason, next_kind, next_ms)
    ), moved as (
      update concord.transactions t
      set status = coalesce(v.to_status, t.status),
        rollback_reason = coalesce(v.rollback_reason, t.rollback_reason),
        lease_owner = case when v.next_kind = 'hold' then v.owner end,
        next_attempt_at = case v.next_kind
          when 'hold' then now() + make_interval(secs => v.next_ms / 1000)
          when 'retry' then least(now() + make_interval(secs => v.next_ms / 1000),
            case when coalesce(v.to_status, t.status) in ${forward} and t.fail_at > now() then t.fail_at end)
          end,
        finished_at = case when v.next_kind = 'finish' then now() else t.finished_at end,
        updated_at = now()
      from v
      where t.gid = v.gid and t.status = v.from_status and (v.take_lease or t.lease_owner = v.owner)
      returning t.*
    ), changed_branches as (
      update concord.branches b
      set status = bv.status, attempts = bv.attempts, last_error = bv.last_error, updated_at = now(),
        finished_at = case when bv.status in ('succeeded', 'failed') then coalesce(b.finished_at, now()) end
      from moved m, unnest(${branches.map((b) => b.gid)}::text[], ${branches.map((b) => b.branchId)}::text[],
        ${branches.map((b) => b.op)}::text[], ${branches.map((b) => b.status)}::text[],
        ${branches.map((b) => b.attempts)}::int[], ${branches.map((b) => b.lastError)}::text[])
        as bv(gid, branch_id, op, status, attempts, last_error)
      where bv.gid = m.gid and b.gid = m.gid and b.branch_id = bv.branch_id and b.op = bv.op
    ), new_attempts as (
      insert into concord.branch_attempts (gid, branch_id, op, at, outcome, error)
      select a.gid, a.branch_id, a.op, a.at, a.outcome, a.error
      from moved m, unnest(${attempts.map((a) => a.gid)}::text[], ${attempts.map((a) => a.branchId)}::text[],
        ${attempts.map((a) => a.op)}::text[], ${attempts.map((a) => a.at)}::timestamptz[],
        ${attempts.map((a) => a.outcome)}::text[], ${attempts.map((a) => a.error)}::text[])
        with ordinality as a(gid, branch_id, op, at, outcome, error, n)
      where a.gid = m.gid
      -- the identity column numbers them as they come: in the order the run made them
      order by a.n
    )
    select * from moved`.execute(db);
  const byGid = new Map(rows.map((r) => [r.gid, r]));
  return updates.map((u) => {
    const row = byGid.get(u.gid);
    return row ? toTransaction(row) : undefined;
  });
}
