/**
 * The branch side of XA on Postgres: the action runs in a local transaction that ends with
 * `PREPARE TRANSACTION` instead of COMMIT, holding its locks and effects invisible; the
 * coordinator later calls the same target with op `commit` or `rollback`, and `xaFinish` ends it
 * with `COMMIT PREPARED` / `ROLLBACK PREPARED`. The server needs `max_prepared_transactions > 0`.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import pg from "pg";
import { defaultBarrierTable, insertBarrierRow, withPgTransaction } from "./barrier.js";
import type { BranchInfo } from "../protocol/index.js";

export interface XaOptions {
  /**
   * Also write dtm's XA barrier row `(xa, gid, branch_id, action, 01)` in the local transaction,
   * and after a rollback: then an action arriving after its rollback (a "hanging" action, which
   * would otherwise stay prepared forever, holding its locks) is refused with FAILURE.
   * `true` for `concord_barrier.barrier`, or a table name; the table must exist
   * (`ensureBarrierTable`). Default: false (no barrier).
   */
  readonly barrier?: boolean | string;
  /**
   * How long a barrier insert waits for a concurrent transaction on the same row before giving up
   * with an unknown outcome (the coordinator retries), ms. Default: 2000.
   */
  readonly barrierLockTimeoutMs?: number;
}

/** SQLSTATE undefined_object: "prepared transaction with identifier … does not exist". */
const undefinedObject = "42704";
/** SQLSTATE lock_not_available: `lock_timeout` expired. */
const lockNotAvailable = "55P03";

/** The prepared transaction's identifier: `<gid>-<branchId>`, as dtm names it. */
export function xaTransactionId(info: Pick<BranchInfo, "gid" | "branchId">): string {
  const xid = `${info.gid}-${info.branchId}`;
  // Postgres limits a prepared transaction's identifier to 200 bytes.
  if (Buffer.byteLength(xid) >= 200) throw new ConnectError(`xa transaction id too long: ${xid}`, Code.InvalidArgument);
  return xid;
}

/**
 * Run `fn` in a local transaction on one pooled connection and end it with
 * `PREPARE TRANSACTION '<gid>-<branchId>'`. Anything thrown before the prepare rolls back and is
 * rethrown (the client then aborts the global transaction); after the prepare the connection is
 * free again — the prepared transaction belongs to the server, not to the session.
 */
export async function xaLocal<T>(pool: pg.Pool, info: BranchInfo, fn: (client: pg.PoolClient) => Promise<T>, options: XaOptions = {}): Promise<T> {
  const xid = xaTransactionId(info);
  const table = barrierTable(options);
  return withPgTransaction(
    pool,
    async (client) => {
      if (table && !(await claimAction(client, table, info, options))) {
        throw new ConnectError(`xa ${xid}: already rolled back (or a duplicate action): refused`, Code.Aborted);
      }
      return fn(client);
    },
    // The prepared transaction belongs to the server, not the session: the connection is free after.
    `prepare transaction ${pg.escapeLiteral(xid)}`,
  );
}

/**
 * Finish the prepared transaction of this branch: `COMMIT PREPARED` for op `commit`,
 * `ROLLBACK PREPARED` for op `rollback`. "Does not exist" counts as done: it was finished by an
 * earlier call (commits and rollbacks are retried until they succeed) or, for a rollback, never
 * prepared. With a barrier, a rollback then writes the action's row so a late action is refused.
 */
export async function xaFinish(pool: pg.Pool, info: BranchInfo, options: XaOptions = {}): Promise<void> {
  const xid = xaTransactionId(info);
  const command = { commit: "commit prepared", rollback: "rollback prepared" }[info.op];
  if (!command) throw new ConnectError(`xa ${xid}: op must be commit or rollback, got ${JSON.stringify(info.op)}`, Code.InvalidArgument);
  try {
    await pool.query(`${command} ${pg.escapeLiteral(xid)}`);
  } catch (error) {
    if ((error as { code?: unknown }).code !== undefinedObject) throw error;
  }
  const table = barrierTable(options);
  if (info.op === "rollback" && table) {
    // If the action is still running (not yet prepared) this waits for its row; past the lock
    // timeout the outcome is unknown and the coordinator retries — by then it is prepared and
    // ROLLBACK PREPARED finds it, or it rolled back by itself.
    await withPgTransaction(pool, (client) => claimAction(client, table, info, options, "rollback"));
  }
}

/**
 * One handler for all three XA calls of a branch, as in dtm: op `action` runs `fn` and prepares
 * (resolving with its value); `commit` / `rollback` finish the prepared transaction (resolving
 * with undefined).
 */
export async function xaHandle<T>(pool: pg.Pool, info: BranchInfo, fn: (client: pg.PoolClient) => Promise<T>, options: XaOptions = {}): Promise<T | undefined> {
  if (info.op === "commit" || info.op === "rollback") {
    await xaFinish(pool, info, options);
    return undefined;
  }
  if (info.op !== "action") throw new ConnectError(`xa: unexpected op ${JSON.stringify(info.op)}`, Code.InvalidArgument);
  return xaLocal(pool, info, fn, options);
}

function barrierTable(options: XaOptions): string | undefined {
  if (options.barrier === true) return defaultBarrierTable;
  return options.barrier || undefined;
}

/**
 * Insert the branch's action row (reason = who wrote it) under a bounded lock wait; false when it
 * was already there. `set_config(…, true)` scopes the timeout to this transaction; the previous
 * value is restored so the business code keeps the session's own.
 */
async function claimAction(client: pg.ClientBase, table: string, info: BranchInfo, options: XaOptions, reason = "action"): Promise<boolean> {
  const timeoutMs = options.barrierLockTimeoutMs ?? 2000;
  const { rows } = await client.query<{ previous: string }>("select current_setting('lock_timeout') as previous");
  await client.query("select set_config('lock_timeout', $1, true)", [`${timeoutMs}ms`]);
  try {
    return await insertBarrierRow(client, table, ["xa", info.gid, info.branchId, "action", "01", reason]);
  } catch (error) {
    if ((error as { code?: unknown }).code === lockNotAvailable) {
      throw new ConnectError(`xa ${info.gid}-${info.branchId}: its action is still running`, Code.Unavailable, undefined, undefined, error);
    }
    throw error;
  } finally {
    await client.query("select set_config('lock_timeout', $1, true)", [rows[0]!.previous]).catch(() => undefined);
  }
}
