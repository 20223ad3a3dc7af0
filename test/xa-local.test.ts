/**
 * The XA branch side on real Postgres: PREPARE TRANSACTION, then COMMIT / ROLLBACK PREPARED.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import pg from "pg";
import { ensureBarrierTable } from "../src/client/barrier.js";
import type { BranchInfo } from "../src/client/index.js";
import { xaFinish, xaHandle, xaLocal } from "../src/client/xa.js";
import { createTestDatabase } from "./support/databases.js";
import type { TestDatabase } from "./support/databases.js";

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await ensureBarrierTable(pool);
  await pool.query("create table ledger (gid text primary key, amount int not null)");
});
/** Prepared transactions outlive sessions and block DROP DATABASE: end every one this file left. */
async function rollbackLeftovers(): Promise<void> {
  const { rows } = await pool.query<{ gid: string }>("select gid from pg_prepared_xacts where database = current_database()");
  for (const { gid } of rows) await pool.query(`rollback prepared ${pg.escapeLiteral(gid)}`);
}
afterEach(rollbackLeftovers);
afterAll(async () => {
  if (pool) {
    await rollbackLeftovers();
    await pool.end();
  }
  await database?.drop();
});

const branch = (gid: string, op: string): BranchInfo => ({ gid, transType: "xa", branchId: "01", op, dtm: "" });
const prepared = async (gid: string) =>
  (await pool.query("select 1 from pg_prepared_xacts where database = current_database() and gid = $1", [gid])).rowCount;
const ledger = async (gid: string) => (await pool.query<{ amount: number }>("select amount from ledger where gid = $1", [gid])).rows.map((r) => r.amount);
const record = (gid: string, amount: number) => async (client: pg.PoolClient) => {
  await client.query("insert into ledger values ($1, $2)", [gid, amount]);
  return amount;
};

describe("xa branch", () => {
  it("xaLocal prepares: visible in pg_prepared_xacts, its data invisible until COMMIT PREPARED", async () => {
    expect(await xaLocal(pool, branch("xa-1", "action"), record("xa-1", 30))).toBe(30);
    expect(await prepared("xa-1-01")).toBe(1);
    expect(await ledger("xa-1")).toEqual([]);

    await xaFinish(pool, branch("xa-1", "commit"));
    expect(await prepared("xa-1-01")).toBe(0);
    expect(await ledger("xa-1")).toEqual([30]);

    await xaFinish(pool, branch("xa-1", "commit")); // retried commit: already done
    expect(await ledger("xa-1")).toEqual([30]);
  });

  it("ROLLBACK PREPARED discards it; repeated, or without any prepare, is fine", async () => {
    await xaLocal(pool, branch("xa-2", "action"), record("xa-2", 30));
    await xaFinish(pool, branch("xa-2", "rollback"));
    await xaFinish(pool, branch("xa-2", "rollback"));
    await xaFinish(pool, branch("xa-never", "rollback"));
    expect(await prepared("xa-2-01")).toBe(0);
    expect(await ledger("xa-2")).toEqual([]);
  });

  it("an error before the prepare rolls back, rethrows, and leaves nothing prepared", async () => {
    const failing = xaLocal(pool, branch("xa-3", "action"), async (client) => {
      await record("xa-3", 30)(client);
      throw new Error("insufficient funds");
    });
    await expect(failing).rejects.toThrow("insufficient funds");
    expect(await prepared("xa-3-01")).toBe(0);
    expect(await ledger("xa-3")).toEqual([]);
    expect(pool.idleCount + pool.waitingCount).toBe(pool.totalCount); // the connection went back
  });

  it("a failed statement the callback swallowed is not prepared as if it succeeded", async () => {
    const swallowing = xaLocal(pool, branch("xa-4", "action"), async (client) => {
      await client.query("select 1/0").catch(() => undefined);
    });
    await expect(swallowing).rejects.toThrow(/rolled back/);
    expect(await prepared("xa-4-01")).toBe(0);
  });

  it("quotes the transaction id safely", async () => {
    const gid = "o'brien\\x-1";
    await xaLocal(pool, branch(gid, "action"), record(gid, 5));
    expect(await prepared(`${gid}-01`)).toBe(1);
    await xaFinish(pool, branch(gid, "commit"));
    expect(await ledger(gid)).toEqual([5]);
  });

  it("xaHandle serves action, commit and rollback from one method", async () => {
    expect(await xaHandle(pool, branch("xa-5", "action"), record("xa-5", 7))).toBe(7);
    expect(await xaHandle(pool, branch("xa-5", "commit"), record("xa-5", 7))).toBeUndefined();
    expect(await ledger("xa-5")).toEqual([7]);
    await xaHandle(pool, branch("xa-6", "action"), record("xa-6", 8));
    await xaHandle(pool, branch("xa-6", "rollback"), record("xa-6", 8));
    expect(await ledger("xa-6")).toEqual([]);
    const bad = await xaHandle(pool, branch("xa-7", "confirm"), record("xa-7", 1)).catch((e: unknown) => e);
    expect(ConnectError.from(bad).code).toBe(Code.InvalidArgument);
  });

  it("with the barrier, an action arriving after its rollback is refused instead of staying prepared", async () => {
    const options = { barrier: true } as const;
    await xaFinish(pool, branch("xa-8", "rollback"), options);
    const late = await xaLocal(pool, branch("xa-8", "action"), record("xa-8", 30), options).catch((e: unknown) => e);
    expect(ConnectError.from(late).code).toBe(Code.Aborted);
    expect(await prepared("xa-8-01")).toBe(0);
    expect(await ledger("xa-8")).toEqual([]);

    // The normal path with the barrier: action, rollback, then a duplicated late action.
    await xaLocal(pool, branch("xa-9", "action"), record("xa-9", 30), options);
    await xaFinish(pool, branch("xa-9", "rollback"), options);
    const duplicate = await xaLocal(pool, branch("xa-9", "action"), record("xa-9", 30), options).catch((e: unknown) => e);
    expect(ConnectError.from(duplicate).code).toBe(Code.Aborted);
    expect(await prepared("xa-9-01")).toBe(0);
    expect(await ledger("xa-9")).toEqual([]);
  });
});
