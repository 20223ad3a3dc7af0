/**
 * Kysely table types of schema `concord`, as created by `migrations.ts`. Internal module.
 *
 * Column values are what both dialects return after our type setup (`pglite-dialect.ts`,
 * `index.ts`): `timestamptz` → `Date`, `jsonb` → parsed JSON, `bytea` → `Uint8Array` (pg gives
 * a `Buffer`, which is one), `int8` → `number`. JSON columns are written as JSON text.
 */
import type { ColumnType, Generated } from "kysely";
import type { BranchOp, BranchStatus, Mode, TopicSubscriber, TransactionSpec, TransactionStatus, TransOptions } from "../model.js";

/** A `timestamptz` column: read as `Date`, written as `Date` or an SQL expression. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A `timestamptz` column with `default now()`. */
export type CreatedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `jsonb` column: read parsed, written as JSON text (identical on pg and PGlite). */
export type Json<T> = ColumnType<T, string, string>;

export interface TransactionsTable {
  gid: string;
  mode: Mode;
  status: TransactionStatus;
  spec: Json<TransactionSpec>;
  options: Json<TransOptions>;
  custom_data: Generated<string>;
  request_hash: Generated<string>;
  rollback_reason: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  fail_at: Timestamp | null;
  lease_owner: string | null;
  created_at: CreatedTimestamp;
  updated_at: CreatedTimestamp;
  finished_at: Timestamp | null;
  trace_context: string | null;
  created_by: Generated<string>;
  input: Generated<Uint8Array>;
  result: Generated<Uint8Array>;
}

export interface BranchesTable {
  gid: string;
  branch_id: string;
  op: BranchOp;
  target: string;
  payload: Uint8Array;
  status: BranchStatus;
  attempts: Generated<number>;
  last_error: Generated<string>;
  created_at: CreatedTimestamp;
  updated_at: CreatedTimestamp;
  finished_at: Timestamp | null;
}

export interface BranchAttemptsTable {
  gid: string;
  branch_id: string;
  op: string;
  at: Timestamp;
  outcome: "success" | "failure" | "ongoing" | "unknown";
  error: Generated<string>;
  seq: Generated<string>;
}

export interface TopicsTable {
  name: string;
  subscribers: Json<TopicSubscriber[]>;
  version: number;
  created_at: CreatedTimestamp;
  updated_at: CreatedTimestamp;
}

export interface SchemaMigrationsTable {
  version: number;
  applied_at: CreatedTimestamp;
}

/** The database as Kysely sees it; tables are named with their schema. */
export interface Database {
  "concord.transactions": TransactionsTable;
  "concord.branches": BranchesTable;
  "concord.topics": TopicsTable;
  "concord.branch_attempts": BranchAttemptsTable;
  "concord.schema_migrations": SchemaMigrationsTable;
}

/**
 * An SQL list of text literals, `('a', 'b')`, for a list of the model's own words (statuses):
 * the one list in model.ts is the source, and the statement text reads as a literal would.
 */
export function sqlTextList(values: readonly string[]): string {
  return `(${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ")})`;
}
