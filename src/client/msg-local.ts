/**
 * Two-phase messages whose local part is a Postgres transaction: `doAndSubmit` commits the
 * business change and the message's barrier row together, and `queryPrepared` answers the
 * coordinator's back-check from that row — so the message is sent if and only if the local
 * transaction committed, whatever crashes in between. Same rows as dtm's `DoAndSubmitDB` /
 * `QueryPrepared`, so either side may be Go.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import * as grpc from "@grpc/grpc-js";
import type pg from "pg";
import { barrierRowReason, createBarrier, defaultBarrierTable, insertBarrierRow } from "./barrier.js";
import type { BranchInfo } from "../protocol/index.js";
import type { Transaction } from "../../gen/ts/concord/v1/transaction_pb.js";
import { branchFailure, branchInfoFromGrpc, branchInfoFromHeaders, grpcBranchFailure } from "./branch.js";
import type { MsgBuilder } from "./builders.js";
import type { SubmitOptions } from "./options.js";

/** The message's own barrier row: branch `00`, op `msg`, barrier `01` (dtm's `MsgDoBranch0`, `MsgDoOp`, `MsgDoBarrier1`). */
const msgBranchId = "00";
const msgOp = "msg";
const msgBarrierId = "01";

export interface MsgLocalOptions {
  /** Barrier table, as for `createBarrier`. Default: `concord_barrier.barrier`. */
  readonly table?: string;
}

export interface DoAndSubmitOptions extends MsgLocalOptions {
  /** Options of the final `submit` (`waitResult`, `timeoutMs`). */
  readonly submit?: SubmitOptions;
}

/** The back-check's answer: the local transaction committed (send the message) or never will (drop it). */
export type QueryPreparedResult = "success" | "failure";

function msgInfo(gid: string): BranchInfo {
  return { gid, transType: "msg", branchId: msgBranchId, op: msgOp, dtm: "" };
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1000);

/**
 * Prepare the message, run `fn` in a local transaction together with the message's barrier row,
 * commit, then submit.
 *
 * - Prepare fails → `fn` never runs; the error is thrown.
 * - `fn` throws → roll back, abort the message (best effort: if the abort is lost the back-check
 *   finds no committed row and answers FAILURE), rethrow.
 * - The process dies after COMMIT, before submit → the coordinator back-checks `queryPrepared`
 *   after `timeout_to_fail`, finds the row, and delivers the message.
 * - COMMIT itself fails (connection lost: committed or not?) → ask `queryPrepared` here; it settles
 *   the question for good either way.
 * - The back-check already ran and answered FAILURE before our row went in → the message is FAILED;
 *   roll back and throw ABORTED rather than commit a change whose message is gone.
 *
 * A submit error is thrown, but the commit stands: the back-check will still deliver the message.
 */
export async function doAndSubmit(
  builder: MsgBuilder,
  queryPreparedTarget: string,
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<void>,
  options: DoAndSubmitOptions = {},
): Promise<Transaction> {
  await builder.prepare(queryPreparedTarget);
  const info = msgInfo(builder.gid);
  const barrier = createBarrier(info, options.table === undefined ? {} : { table: options.table });
  const client = await pool.connect().catch(async (error: unknown) => {
    await builder.abort(reasonOf(error)).catch(() => undefined);
    throw error;
  });
  let committing = false;
  let broken: Error | undefined;
  try {
    await client.query("begin");
    const result = await barrier.call(client, fn);
    if (!result.ran) throw new ConnectError(`msg ${builder.gid}: the back-check already answered FAILURE; not committed`, Code.Aborted);
    committing = true;
    const committed = await client.query("commit");
    if (committed.command === "ROLLBACK") {
      committing = false;
      throw new Error(`msg ${builder.gid}: local transaction was rolled back: a statement in it failed`);
    }
  } catch (error) {
    if (!committing) {
      await client.query("rollback").catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
      await builder.abort(reasonOf(error)).catch(() => undefined);
      throw error;
    }
    broken = error instanceof Error ? error : new Error(String(error));
    const decided = await queryPrepared(pool, info, options).catch(() => undefined);
    if (decided !== "success") {
      // failure: settled as never committed; undefined: the coordinator's back-check will settle it.
      if (decided === "failure") await builder.abort(reasonOf(error)).catch(() => undefined);
      throw error;
    }
  } finally {
    client.release(broken);
  }
  return builder.submit(options.submit);
}

/**
 * Answer the back-check of message `info.gid`: insert the message's barrier row with reason
 * `rollback` if absent, then read whose row it is.
 *
 * While the business transaction is still open the insert waits on the unique index — the answer
 * waits for the local outcome. Then: its row committed → the insert does nothing and the reason is
 * `msg` → SUCCESS. It rolled back, or never started → our `rollback` row is in, so the business
 * transaction, if it ever runs, conflicts and cannot commit → FAILURE, for good.
 */
export async function queryPrepared(pool: pg.Pool, info: Pick<BranchInfo, "gid" | "transType">, options: MsgLocalOptions = {}): Promise<QueryPreparedResult> {
  const table = options.table ?? defaultBarrierTable;
  await insertBarrierRow(pool, table, [info.transType || "msg", info.gid, msgBranchId, msgOp, msgBarrierId, "rollback"]);
  const reason = await barrierRowReason(pool, table, [info.gid, msgBranchId, msgOp, msgBarrierId]);
  return reason === "rollback" ? "failure" : "success";
}

/**
 * A grpc-js QueryPrepared handler's whole body: `callback(null, reply)` on SUCCESS, ABORTED on
 * FAILURE, UNAVAILABLE / INTERNAL when the database cannot answer (the coordinator asks again).
 */
export async function queryPreparedGrpc<Res>(
  pool: pg.Pool,
  call: { readonly metadata: grpc.Metadata },
  callback: grpc.sendUnaryData<Res>,
  reply: Res,
  options: MsgLocalOptions = {},
): Promise<void> {
  let result: QueryPreparedResult;
  try {
    result = await queryPrepared(pool, branchInfoFromGrpc(call.metadata), options);
  } catch (error) {
    callback(grpcStatusOf(error));
    return;
  }
  if (result === "failure") callback(grpcBranchFailure("local transaction did not commit"));
  else callback(null, reply);
}

/** A Connect QueryPrepared handler's check: resolves on SUCCESS, throws `branchFailure` (ABORTED) on FAILURE. */
export async function queryPreparedConnect(pool: pg.Pool, requestHeader: Headers, options: MsgLocalOptions = {}): Promise<void> {
  if ((await queryPrepared(pool, branchInfoFromHeaders(requestHeader), options)) === "failure") {
    throw branchFailure("local transaction did not commit");
  }
}

function grpcStatusOf(error: unknown): Partial<grpc.StatusObject> {
  if (error instanceof ConnectError) return { code: error.code as number as grpc.status, details: error.rawMessage };
  const errno = (error as { code?: unknown }).code;
  const unreachable = typeof errno === "string" && /^E[A-Z]+$/.test(errno);
  return { code: unreachable ? grpc.status.UNAVAILABLE : grpc.status.INTERNAL, details: reasonOf(error) };
}
