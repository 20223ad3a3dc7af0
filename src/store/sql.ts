/**
 * What the store's query files share: the model's status lists and time arithmetic as SQL, and
 * rows read back as records. Internal module.
 */
import { sql, type RawBuilder, type Selectable } from "kysely";
import type { BranchRecord, TransactionRecord } from "../model.js";
import { finalStatuses, forwardStatuses, unfinishedStatuses } from "../model.js";
import type { BranchesTable, TransactionsTable } from "./schema.js";
import { sqlTextList } from "./schema.js";
import { preparedMark } from "./prepared-pool.js";

export type TransactionRow = Selectable<TransactionsTable>;
export type BranchRow = Selectable<BranchesTable>;

/** The unfinished statuses, as an SQL list. */
export const unfinished = sql.raw(sqlTextList(unfinishedStatuses));
/** The final statuses, as an SQL list. */
export const final = sql.raw(sqlTextList(finalStatuses));
/** Starts the statements run per transaction: prepared once per connection on Postgres. */
export const prepared = sql.raw(preparedMark);
/** Statuses in which `timeout_to_fail` still caps a retry. */
export const forward = sql.raw(sqlTextList(forwardStatuses));

/** `now() + ms`, by the database clock (a negative `ms` is in the past). */
export function fromNow(ms: number): RawBuilder<Date> {
  return sql<Date>`now() + make_interval(secs => ${ms}::float8 / 1000)`;
}

export function toTransaction(r: TransactionRow): TransactionRecord {
  return {
    gid: r.gid,
    mode: r.mode,
    status: r.status,
    spec: r.spec,
    options: r.options,
    customData: r.custom_data,
    requestHash: r.request_hash,
    rollbackReason: r.rollback_reason,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    failAt: r.fail_at,
    leaseOwner: r.lease_owner,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
    traceContext: r.trace_context ?? null,
    createdBy: r.created_by,
    input: bytes(r.input),
    result: bytes(r.result),
  };
}

/** A `bytea` value as a plain Uint8Array (pg gives a Buffer; a row from before a column existed, undefined). */
function bytes(b: Uint8Array | undefined): Uint8Array {
  if (b === undefined) return new Uint8Array(0);
  return b instanceof Buffer ? new Uint8Array(b) : b;
}

export function toBranch(r: BranchRow): BranchRecord {
  return {
    gid: r.gid,
    branchId: r.branch_id,
    op: r.op,
    target: r.target,
    // pg hands out a Buffer: copy into a plain Uint8Array so both dialects return the same type.
    payload: bytes(r.payload),
    status: r.status,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

