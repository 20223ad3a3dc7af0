/**
 * The sub-transaction barrier for Postgres: the same table, unique key and insert-if-absent
 * algorithm as dtm's `dtmcli.BranchBarrier`, so a Go service using dtm's barrier with
 * `dtmcli.SetBarrierTableName("concord_barrier.barrier")` shares rows with a TypeScript one.
 *
 * Branch calls are at-least-once and may arrive out of order (a compensation can overtake the
 * action it undoes). Running the business code through `barrier.call` inside the branch's local
 * transaction makes it idempotent and rejects null compensation and hanging — see `createBarrier`.
 */
import type { Kysely, Transaction } from "kysely";
import { sql } from "kysely";
import type pg from "pg";
import type { BranchInfo } from "../protocol/index.js";

/** Where barrier rows live unless `table` says otherwise. */
export const defaultBarrierTable = "concord_barrier.barrier";

/**
 * The ops whose arrival must first claim their forward op's row: a cancel claims its try, a
 * compensate (saga) or rollback (workflow, xa) its action. Other ops have no origin.
 */
const originOps: Readonly<Record<string, string>> = { cancel: "try", compensate: "action", rollback: "action" };

/** A local transaction the barrier can write in: a pg client inside BEGIN, or a Kysely transaction. */
export type BarrierTx = pg.ClientBase | Transaction<any>;

/** Why `call` did not run the business function. */
export type BarrierSkip =
  /** This op already ran (a retried or duplicated call): its first run's effects stand. */
  | "duplicate"
  /** A compensation whose action never ran: there is nothing to undo. */
  | "null-compensation"
  /** A forward op arriving after its compensation already ran (or was skipped as null): it must not run now. */
  | "hanging";

export type BarrierResult<T> = { readonly ran: true; readonly value: T } | { readonly ran: false; readonly skipped: BarrierSkip };

export interface BarrierOptions {
  /** `schema.table` (or `table`) of the barrier rows, unquoted as in dtm. Default: `concord_barrier.barrier`. */
  readonly table?: string;
}

export interface Barrier {
  /** The branch this barrier guards. */
  readonly info: BranchInfo;
  /**
   * Run `fn` in `tx` (already inside BEGIN; the caller commits) unless the barrier says it must
   * not run. Commit in every case that resolves: the rows written are what protects later calls.
   * Each call on one barrier takes the next barrier id (`01`, `02`, …), as dtm does, so one
   * handler may guard several local transactions; create one barrier per incoming call.
   */
  call<Tx extends BarrierTx, T>(tx: Tx, fn: (tx: Tx) => Promise<T>): Promise<BarrierResult<T>>;
  /** Open the local transaction, `call`, then COMMIT — or ROLLBACK and rethrow if anything throws. */
  callInTransaction<T>(db: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<BarrierResult<T>>;
  callInTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<BarrierResult<T>>;
}

const tableName = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

/**
 * Check a barrier table name. It is used unquoted — exactly as dtm writes it into its SQL, so both
 * resolve the same relation — which is safe only because it must be a plain (schema.)identifier.
 */
export function checkBarrierTable(table: string): string {
  if (!tableName.test(table)) throw new TypeError(`barrier table must be "schema.table" or "table" (plain identifiers), got ${JSON.stringify(table)}`);
  return table;
}

/**
 * The DDL of the barrier table (dtm's columns and unique key), idempotent. The unique constraint
 * is named `uniq_barrier` because dtm inserts with `ON CONFLICT ON CONSTRAINT uniq_barrier`; index
 * names are per schema, so keep one barrier table per schema.
 */
export function barrierSchemaSql(table: string = defaultBarrierTable): string {
  const name = checkBarrierTable(table);
  const schema = name.includes(".") ? name.slice(0, name.indexOf(".")) : undefined;
  return [
    ...(schema ? [`create schema if not exists ${schema}`] : []),
    `create table if not exists ${name} (
  id bigserial primary key,
  trans_type varchar(45) default '',
  gid varchar(128) default '',
  branch_id varchar(128) default '',
  op varchar(45) default '',
  barrier_id varchar(45) default '',
  reason varchar(45) default '',
  create_time timestamptz default now(),
  update_time timestamptz default now(),
  constraint uniq_barrier unique (gid, branch_id, op, barrier_id)
)`,
  ].join(";\n");
}

/**
 * Create the barrier table if it is missing: the migration helper to run at service start.
 * Serialized by a transaction-scoped advisory lock, since concurrent `create … if not exists`
 * can still collide in the catalog.
 */
export async function ensureBarrierTable(db: pg.Pool | pg.ClientBase | Kysely<any>, table: string = defaultBarrierTable): Promise<void> {
  const ddl = barrierSchemaSql(table);
  const lockKey = `concord barrier table ${table}`;
  if (isKysely(db)) {
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${lockKey}))`.execute(trx);
      await sql.raw(ddl).execute(trx);
    });
    return;
  }
  await withPgTransaction(db, async (client) => {
    await client.query("select pg_advisory_xact_lock(hashtext($1))", [lockKey]);
    await client.query(ddl);
  });
}

/**
 * A barrier for one incoming branch call. `call` runs, in the branch's local transaction:
 *
 * 1. For a compensating op (cancel, compensate, rollback), insert the row of its origin op
 *    (try, action, action) if absent — the "origin" insert.
 * 2. Insert the row of the current op if absent — the "current" insert.
 *    Both are `INSERT … ON CONFLICT DO NOTHING` on the unique `(gid, branch_id, op, barrier_id)`;
 *    the `reason` column records which op wrote the row.
 * 3. Decide:
 *    - origin newly inserted by a compensating op → **null compensation**: the action never ran
 *      (it would have written that row), so there is nothing to undo; skip `fn`. The row now
 *      exists, so the action, if it still arrives, is refused below.
 *    - current row already there → **duplicate** (this op already ran: retries must not repeat
 *      it) or **hanging** (a forward op whose compensation already wrote its row: running it now
 *      would leave an effect nobody undoes); skip `fn`.
 *    - otherwise run `fn(tx)`: its effects and the rows commit or roll back together, so a
 *      failed run leaves no row and a retry runs again.
 *
 * Two concurrent duplicates: the second insert waits on the unique index until the first
 * transaction ends, then conflicts (first committed → skip) or succeeds (first rolled back → run).
 * Skipped calls should answer SUCCESS: the effect of this op is already settled.
 */
export function createBarrier(info: BranchInfo, options: BarrierOptions = {}): Barrier {
  const table = checkBarrierTable(options.table ?? defaultBarrierTable);
  let lastBarrierId = 0;

  async function call<Tx extends BarrierTx, T>(tx: Tx, fn: (tx: Tx) => Promise<T>): Promise<BarrierResult<T>> {
    const exec = executorOf(tx);
    const barrierId = String(++lastBarrierId).padStart(2, "0");
    const origin = originOps[info.op];
    const insert = (op: string) => exec.insertIfAbsent(table, [info.transType, info.gid, info.branchId, op, barrierId, info.op]);
    const originInserted = origin ? await insert(origin) : false;
    const currentInserted = await insert(info.op);
    if (origin && originInserted) return { ran: false, skipped: "null-compensation" };
    if (!currentInserted) {
      const writer = await exec.reasonOf(table, [info.gid, info.branchId, info.op, barrierId]);
      return { ran: false, skipped: writer === info.op ? "duplicate" : "hanging" };
    }
    return { ran: true, value: await fn(tx) };
  }

  async function callInTransaction<T>(db: pg.Pool | Kysely<any>, fn: (tx: any) => Promise<T>): Promise<BarrierResult<T>> {
    if (isKysely(db)) return db.transaction().execute((trx) => call(trx, fn));
    return withPgTransaction(db, (client) => call(client, fn));
  }

  return { info, call, callInTransaction } as Barrier;
}

// ---- internal -------------------------------------------------------------------------------

interface Executor {
  /** Insert a barrier row `(trans_type, gid, branch_id, op, barrier_id, reason)`; false when it already existed. */
  insertIfAbsent(table: string, row: readonly string[]): Promise<boolean>;
  /** The `reason` of the row with this unique key (the op that wrote it), or undefined. */
  reasonOf(table: string, key: readonly string[]): Promise<string | undefined>;
}

/**
 * `ON CONFLICT (columns)` rather than dtm's `ON CONSTRAINT uniq_barrier`: the same unique index
 * decides, and it also works on a table whose constraint was named otherwise.
 */
const insertSql = (table: string) =>
  `insert into ${table} (trans_type, gid, branch_id, op, barrier_id, reason) values ($1, $2, $3, $4, $5, $6) ` +
  `on conflict (gid, branch_id, op, barrier_id) do nothing`;
const reasonSql = (table: string) => `select reason from ${table} where gid = $1 and branch_id = $2 and op = $3 and barrier_id = $4`;

/** @internal Insert one barrier row if absent, outside any barrier object (msg and xa helpers). */
export async function insertBarrierRow(tx: pg.ClientBase | pg.Pool | Transaction<any>, table: string, row: readonly string[]): Promise<boolean> {
  if (isKysely(tx)) return executorOf(tx).insertIfAbsent(checkBarrierTable(table), row);
  return ((await tx.query(insertSql(checkBarrierTable(table)), [...row])).rowCount ?? 0) > 0;
}

/** @internal The reason of one barrier row, outside any barrier object. */
export async function barrierRowReason(db: pg.ClientBase | pg.Pool, table: string, key: readonly string[]): Promise<string | undefined> {
  const { rows } = await db.query<{ reason: string }>(reasonSql(checkBarrierTable(table)), [...key]);
  return rows[0]?.reason;
}

function executorOf(tx: BarrierTx | pg.Pool): Executor {
  if (isKysely(tx)) {
    if (!tx.isTransaction) throw new TypeError("barrier.call needs a Kysely transaction (or use callInTransaction)");
    return {
      insertIfAbsent: async (table, row) => {
        const result = await sql`insert into ${sql.raw(table)} (trans_type, gid, branch_id, op, barrier_id, reason)
          values (${sql.join(row)}) on conflict (gid, branch_id, op, barrier_id) do nothing`.execute(tx);
        return (result.numAffectedRows ?? 0n) > 0n;
      },
      reasonOf: async (table, [gid, branchId, op, barrierId]) => {
        const result = await sql<{ reason: string }>`select reason from ${sql.raw(table)}
          where gid = ${gid} and branch_id = ${branchId} and op = ${op} and barrier_id = ${barrierId}`.execute(tx);
        return result.rows[0]?.reason;
      },
    };
  }
  if (isPool(tx)) throw new TypeError("barrier.call needs one connection inside BEGIN, not a pool (or use callInTransaction)");
  return {
    insertIfAbsent: async (table, row) => ((await tx.query(insertSql(table), [...row])).rowCount ?? 0) > 0,
    reasonOf: (table, key) => barrierRowReason(tx, table, key),
  };
}

function isKysely(db: unknown): db is Kysely<any> {
  return typeof db === "object" && db !== null && typeof (db as Kysely<any>).executeQuery === "function" && typeof (db as Kysely<any>).transaction === "function";
}

function isPool(db: unknown): db is pg.Pool {
  return typeof db === "object" && db !== null && "totalCount" in db && typeof (db as pg.Pool).connect === "function";
}

/**
 * @internal Run `fn` between BEGIN and `end` (COMMIT, or XA's PREPARE TRANSACTION) on a pooled
 * connection (or on the given client); ROLLBACK and rethrow when anything throws. A connection
 * whose ROLLBACK failed is destroyed rather than returned to the pool in an unknown state.
 */
export async function withPgTransaction<T>(
  db: pg.Pool | pg.ClientBase,
  fn: (client: pg.PoolClient) => Promise<T>,
  end = "commit",
): Promise<T> {
  const pooled = isPool(db);
  const client = (pooled ? await db.connect() : db) as pg.PoolClient;
  let broken: Error | undefined;
  try {
    await client.query("begin");
    try {
      const value = await fn(client);
      // COMMIT (or PREPARE) of a transaction that already failed (an error the callback caught)
      // answers ROLLBACK without an error: that must not pass for success.
      const ended = await client.query(end);
      if (ended.command === "ROLLBACK") throw new Error("local transaction was rolled back: a statement in it failed");
      return value;
    } catch (error) {
      await client.query("rollback").catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
      throw error;
    }
  } finally {
    if (pooled) client.release(broken);
  }
}
