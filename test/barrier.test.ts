/**
 * The sub-transaction barrier on real Postgres: idempotence, null compensation, hanging,
 * concurrent duplicates, and both kinds of local transaction (pg client, Kysely).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { barrierSchemaSql, createBarrier, ensureBarrierTable } from "../src/client/barrier.js";
import { branchInfoFromUrl } from "../src/client/index.js";
import type { BranchInfo } from "../src/client/index.js";
import { createTestDatabase } from "./support/databases.js";
import type { TestDatabase } from "./support/databases.js";

let database: TestDatabase;
let pool: pg.Pool;
let kysely: Kysely<any>;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 12 });
  kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 4 }) }) });
  await ensureBarrierTable(pool);
  await ensureBarrierTable(pool); // idempotent
  await pool.query("create table accounts (id text primary key, balance int not null)");
});
afterAll(async () => {
  await kysely?.destroy();
  await pool?.end();
  await database?.drop();
});
beforeEach(async () => {
  await pool.query("truncate accounts");
  await pool.query("insert into accounts values ('alice', 100), ('bob', 0)");
});

const branch = (gid: string, op: string, transType = "saga"): BranchInfo => ({ gid, transType, branchId: "01", op, dtm: "" });
const balance = async (id: string) => (await pool.query<{ balance: number }>("select balance from accounts where id = $1", [id])).rows[0]!.balance;
const barrierRows = async (gid: string) =>
  (await pool.query("select op, barrier_id, reason from concord_barrier.barrier where gid = $1 order by id", [gid])).rows.map(
    (r: { op: string; barrier_id: string; reason: string }) => `${r.op}/${r.barrier_id}/${r.reason}`,
  );

/** Move 10 from alice to bob (the action) or back (the compensation), counting runs. */
function transfer(direction: "action" | "compensate", runs: string[]) {
  return async (client: pg.ClientBase) => {
    runs.push(direction);
    const [from, to] = direction === "action" ? ["alice", "bob"] : ["bob", "alice"];
    await client.query("update accounts set balance = balance - 10 where id = $1", [from]);
    await client.query("update accounts set balance = balance + 10 where id = $1", [to]);
  };
}

/** Poll until `check` holds, for at most `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("barrier", () => {
  it("guards an HTTP branch with the branch info read from its query string", async () => {
    const runs: string[] = [];
    const url = "/api/TransOut?gid=http-dup-1&trans_type=saga&branch_id=01&op=action";
    const first = await createBarrier(branchInfoFromUrl(url)).callInTransaction(pool, transfer("action", runs));
    const second = await createBarrier(branchInfoFromUrl(url)).callInTransaction(pool, transfer("action", runs));
    expect([first.ran, second]).toEqual([true, { ran: false, skipped: "duplicate" }]);
    expect(runs).toEqual(["action"]);
    expect(await barrierRows("http-dup-1")).toEqual(["action/01/action"]);
  });

  it("a duplicated call runs the business function once", async () => {
    const runs: string[] = [];
    const first = await createBarrier(branch("dup-1", "action")).callInTransaction(pool, transfer("action", runs));
    const second = await createBarrier(branch("dup-1", "action")).callInTransaction(pool, transfer("action", runs));
    expect(first).toEqual({ ran: true, value: undefined });
    expect(second).toEqual({ ran: false, skipped: "duplicate" });
    expect(runs).toEqual(["action"]);
    expect([await balance("alice"), await balance("bob")]).toEqual([90, 10]);
    expect(await barrierRows("dup-1")).toEqual(["action/01/action"]);
  });

  it("a compensation before its action is skipped (null compensation), and the late action is refused (hanging)", async () => {
    const runs: string[] = [];
    const compensate = await createBarrier(branch("null-1", "compensate")).callInTransaction(pool, transfer("compensate", runs));
    expect(compensate).toEqual({ ran: false, skipped: "null-compensation" });
    const lateAction = await createBarrier(branch("null-1", "action")).callInTransaction(pool, transfer("action", runs));
    expect(lateAction).toEqual({ ran: false, skipped: "hanging" });
    const again = await createBarrier(branch("null-1", "compensate")).callInTransaction(pool, transfer("compensate", runs));
    expect(again).toEqual({ ran: false, skipped: "duplicate" });
    expect(runs).toEqual([]);
    expect([await balance("alice"), await balance("bob")]).toEqual([100, 0]);
    // The compensation wrote its action's row (reason says who): that is what refuses the action.
    expect(await barrierRows("null-1")).toEqual(["action/01/compensate", "compensate/01/compensate"]);
  });

  it("tcc: a cancel before its try is null, and the late try is refused", async () => {
    const runs: string[] = [];
    expect(await createBarrier(branch("tcc-1", "cancel", "tcc")).callInTransaction(pool, async () => runs.push("cancel"))).toEqual({ ran: false, skipped: "null-compensation" });
    expect(await createBarrier(branch("tcc-1", "try", "tcc")).callInTransaction(pool, async () => runs.push("try"))).toEqual({ ran: false, skipped: "hanging" });
    expect(runs).toEqual([]);
  });

  it("an action then its compensation both run, and the money is back", async () => {
    const runs: string[] = [];
    await createBarrier(branch("normal-1", "action")).callInTransaction(pool, transfer("action", runs));
    await createBarrier(branch("normal-1", "compensate")).callInTransaction(pool, transfer("compensate", runs));
    await createBarrier(branch("normal-1", "compensate")).callInTransaction(pool, transfer("compensate", runs));
    expect(runs).toEqual(["action", "compensate"]);
    expect([await balance("alice"), await balance("bob")]).toEqual([100, 0]);
    expect(await barrierRows("normal-1")).toEqual(["action/01/action", "compensate/01/compensate"]);
  });

  it("a business function that throws rolls back its rows too, so a retry runs", async () => {
    const runs: string[] = [];
    const failing = createBarrier(branch("throw-1", "action")).callInTransaction(pool, async (client) => {
      await transfer("action", runs)(client);
      throw new Error("business says no");
    });
    await expect(failing).rejects.toThrow("business says no");
    expect(await barrierRows("throw-1")).toEqual([]);
    expect(await balance("alice")).toBe(100);
    expect(await createBarrier(branch("throw-1", "action")).callInTransaction(pool, transfer("action", runs))).toMatchObject({ ran: true });
    expect(await balance("alice")).toBe(90);
  });

  it("concurrent duplicates on two connections: the second waits on the unique index, then skips", async () => {
    const runs: string[] = [];
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      await first.query("begin");
      expect(await createBarrier(branch("conc-1", "action")).call(first, transfer("action", runs))).toMatchObject({ ran: true });

      await second.query("begin");
      const pid = (await second.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;
      const waiting = createBarrier(branch("conc-1", "action")).call(second, transfer("action", runs));
      await until(async () => (await pool.query("select 1 from pg_stat_activity where pid = $1 and wait_event_type = 'Lock'", [pid])).rowCount === 1);

      await first.query("commit");
      expect(await waiting).toEqual({ ran: false, skipped: "duplicate" });
      await second.query("commit");
    } finally {
      first.release();
      second.release();
    }
    expect(runs).toEqual(["action"]);
    expect([await balance("alice"), await balance("bob")]).toEqual([90, 10]);
  });

  it("concurrent duplicates: when the first rolls back, the waiting second runs", async () => {
    const runs: string[] = [];
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      await first.query("begin");
      await createBarrier(branch("conc-2", "action")).call(first, transfer("action", runs));
      await second.query("begin");
      const pid = (await second.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;
      const waiting = createBarrier(branch("conc-2", "action")).call(second, transfer("action", runs));
      await until(async () => (await pool.query("select 1 from pg_stat_activity where pid = $1 and wait_event_type = 'Lock'", [pid])).rowCount === 1);
      await first.query("rollback");
      expect(await waiting).toMatchObject({ ran: true });
      await second.query("commit");
    } finally {
      first.release();
      second.release();
    }
    expect(runs).toEqual(["action", "action"]);
    expect([await balance("alice"), await balance("bob")]).toEqual([90, 10]);
  });

  it("many concurrent duplicates run the business function exactly once", async () => {
    const runs: string[] = [];
    const results = await Promise.all(
      Array.from({ length: 8 }, () => createBarrier(branch("conc-many", "action")).callInTransaction(pool, transfer("action", runs))),
    );
    expect(results.filter((r) => r.ran)).toHaveLength(1);
    expect(runs).toEqual(["action"]);
    expect([await balance("alice"), await balance("bob")]).toEqual([90, 10]);
  });

  it("works in a Kysely transaction, given or opened by callInTransaction", async () => {
    const debit = async (trx: Kysely<any>) => {
      await trx.updateTable("accounts").set((eb) => ({ balance: eb("balance", "-", 10) })).where("id", "=", "alice").execute();
      return "debited";
    };
    const given = await kysely.transaction().execute((trx) => createBarrier(branch("kysely-1", "action")).call(trx, debit));
    expect(given).toEqual({ ran: true, value: "debited" });
    const duplicate = await createBarrier(branch("kysely-1", "action")).callInTransaction(kysely, debit);
    expect(duplicate).toEqual({ ran: false, skipped: "duplicate" });
    const compensated = await createBarrier(branch("kysely-1", "compensate")).callInTransaction(kysely, async (trx) => {
      await trx.updateTable("accounts").set((eb) => ({ balance: eb("balance", "+", 10) })).where("id", "=", "alice").execute();
    });
    expect(compensated).toMatchObject({ ran: true });
    const nullCompensation = await createBarrier(branch("kysely-2", "compensate")).callInTransaction(kysely, async () => "never");
    expect(nullCompensation).toEqual({ ran: false, skipped: "null-compensation" });
    expect(await balance("alice")).toBe(100);
    expect(await barrierRows("kysely-2")).toEqual(["action/01/compensate", "compensate/01/compensate"]);
  });

  it("refuses a Kysely instance or a pool outside a transaction", async () => {
    await expect(createBarrier(branch("misuse-1", "action")).call(kysely as never, async () => 1)).rejects.toThrow(/transaction/);
    await expect(createBarrier(branch("misuse-1", "action")).call(pool as never, async () => 1)).rejects.toThrow(/pool/);
  });

  it("numbers successive calls of one barrier 01, 02, … as dtm does", async () => {
    const barrier = createBarrier(branch("ids-1", "action"));
    await barrier.callInTransaction(pool, async () => undefined);
    await barrier.callInTransaction(pool, async () => undefined);
    expect(await barrierRows("ids-1")).toEqual(["action/01/action", "action/02/action"]);
  });

  it("shares dtm's table: its ON CONSTRAINT uniq_barrier insert meets our rows", async () => {
    await createBarrier(branch("dtm-1", "action")).callInTransaction(pool, async () => undefined);
    const dtmInsert = await pool.query(
      "insert into concord_barrier.barrier(trans_type, gid, branch_id, op, barrier_id, reason) values($1,$2,$3,$4,$5,$6) on conflict ON CONSTRAINT uniq_barrier do nothing",
      ["saga", "dtm-1", "01", "action", "01", "action"],
    );
    expect(dtmInsert.rowCount).toBe(0);
  });

  it("uses a configured table, and refuses names that are not plain identifiers", async () => {
    await ensureBarrierTable(pool, "other_barrier.rows");
    await createBarrier(branch("table-1", "action"), { table: "other_barrier.rows" }).callInTransaction(pool, async () => undefined);
    expect((await pool.query("select count(*)::int as n from other_barrier.rows where gid = 'table-1'")).rows[0].n).toBe(1);
    expect(await barrierRows("table-1")).toEqual([]);
    expect(() => barrierSchemaSql("x; drop table accounts")).toThrow(TypeError);
    expect(() => createBarrier(branch("table-2", "action"), { table: 'a."b"' })).toThrow(TypeError);
  });
});
