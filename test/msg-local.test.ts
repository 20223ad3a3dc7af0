/**
 * Two-phase messages with a local Postgres transaction, against a real coordinator: the message
 * is delivered if and only if the local transaction committed, including after a crash between
 * commit and submit (the coordinator's back-check calls a real QueryPrepared gRPC handler).
 *
 * Money: the local transaction debits alice; the message's TransIn (payload = amount) credits the
 * other side. Invariant: alice's balance + every delivered TransIn amount = 100.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import * as grpc from "@grpc/grpc-js";
import pg from "pg";
import { createBarrier, ensureBarrierTable } from "../src/client/barrier.js";
import { createConcordClient, msg, MsgBuilder, rawBytesService, TransactionStatus } from "../src/client/index.js";
import { doAndSubmit, queryPrepared, queryPreparedGrpc } from "../src/client/msg-local.js";
import { createTestDatabase } from "./support/databases.js";
import type { TestDatabase } from "./support/databases.js";
import { startFakeBank } from "./support/fake-bank.js";
import type { FakeBank } from "./support/fake-bank.js";
import { startTestCoordinator } from "./support/coordinator.js";
import type { TestCoordinator } from "./support/coordinator.js";

/** The branch service's QueryPrepared, answering from the business database. */
async function startQueryPreparedServer(pool: pg.Pool): Promise<{ target: string; calls: string[]; stop(): void }> {
  const calls: string[] = [];
  const server = new grpc.Server();
  server.addService(
    rawBytesService("shop.v1.ShopService", ["QueryPrepared"]),
    {
      QueryPrepared: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        calls.push(String(call.metadata.get("dtm-gid")[0]));
        void queryPreparedGrpc(pool, call, callback, Buffer.alloc(0));
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
  );
  return { target: `127.0.0.1:${port}/shop.v1.ShopService/QueryPrepared`, calls, stop: () => server.forceShutdown() };
}

let database: TestDatabase;
let pool: pg.Pool;
let bank: FakeBank;
let c: TestCoordinator;
let queryPreparedServer: Awaited<ReturnType<typeof startQueryPreparedServer>>;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 6 });
  await ensureBarrierTable(pool);
  await pool.query("create table accounts (id text primary key, balance int not null)");
  await pool.query("insert into accounts values ('alice', 100)");
  bank = await startFakeBank();
  c = await startTestCoordinator("postgres");
  queryPreparedServer = await startQueryPreparedServer(pool);
});
afterAll(async () => {
  queryPreparedServer?.stop();
  await c?.stop();
  await bank?.stop();
  await pool?.end();
  await database?.drop();
});

const amount = 30;
const debit = (client: pg.ClientBase) => client.query("update accounts set balance = balance - $1 where id = 'alice'", [amount]).then(() => undefined);
const alice = async () => (await pool.query<{ balance: number }>("select balance from accounts where id = 'alice'")).rows[0]!.balance;
const delivered = () => {
  const byGid = new Map(bank.calls("TransIn").map((call) => [call.gid, Number(call.payload.toString())]));
  return [...byGid.values()].reduce((sum, n) => sum + n, 0);
};
const transferMessage = async (gid: string, timeoutToFailMs = 30_000) =>
  (await msg(c.client, gid, { timeoutToFailMs })).add(bank.target("TransIn"), new TextEncoder().encode(String(amount)));
const finished = (gid: string) => c.coordinator.events.waitFor("transaction:finished", (e) => e.gid === gid, 15_000);
const msgBarrier = (gid: string) => createBarrier({ gid, transType: "msg", branchId: "00", op: "msg", dtm: "" });
const statusOf = async (gid: string) => (await c.client.getTransaction({ gid })).transaction!;

/** Poll until `check` holds, for at most `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("msg with a local transaction", () => {
  it("business succeeds: committed locally, then the message is delivered", async () => {
    const before = await alice();
    const done = finished("ml-ok");
    await doAndSubmit(await transferMessage("ml-ok"), queryPreparedServer.target, pool, debit);
    expect((await done).status).toBe("succeeded");
    expect(bank.calls("TransIn").filter((call) => call.gid === "ml-ok").map((call) => call.op)).toEqual(["action"]);
    expect(await alice()).toBe(before - amount);
    expect(await alice() + delivered()).toBe(100);
  });

  it("business throws: rolled back, the message is aborted and nothing is sent", async () => {
    const before = await alice();
    const failing = doAndSubmit(await transferMessage("ml-throw"), queryPreparedServer.target, pool, async (client) => {
      await debit(client);
      throw new Error("insufficient funds");
    });
    await expect(failing).rejects.toThrow("insufficient funds");
    const tx = await statusOf("ml-throw");
    expect(tx.status).toBe(TransactionStatus.FAILED);
    expect(tx.rollbackReason).toBe("insufficient funds");
    expect(bank.calls("TransIn").filter((call) => call.gid === "ml-throw")).toEqual([]);
    expect(await alice()).toBe(before);
    expect(await alice() + delivered()).toBe(100);
  });

  it("crash between the local commit and submit: the back-check answers SUCCESS and the message completes", async () => {
    const before = await alice();
    const done = finished("ml-crash");
    // What doAndSubmit does up to the commit, then the process "dies": no submit.
    await (await transferMessage("ml-crash", 300)).prepare(queryPreparedServer.target);
    expect(await msgBarrier("ml-crash").callInTransaction(pool, debit)).toMatchObject({ ran: true });
    expect((await done).status).toBe("succeeded");
    expect(queryPreparedServer.calls).toContain("ml-crash");
    expect(bank.calls("TransIn").filter((call) => call.gid === "ml-crash")).toHaveLength(1);
    expect(await alice()).toBe(before - amount);
    expect(await alice() + delivered()).toBe(100);
  });

  it.each(["rollback", "commit"] as const)(
    "a back-check during the open local transaction waits for it, then answers by its outcome (%s)",
    async (outcome) => {
      const gid = `ml-open-${outcome}`;
      const before = await alice();
      const done = finished(gid);
      await (await transferMessage(gid, 300)).prepare(queryPreparedServer.target);
      const client = await pool.connect();
      try {
        await client.query("begin");
        await msgBarrier(gid).call(client, debit);
        // The back-check's insert now waits on the unique index for this transaction.
        await until(async () => (await pool.query("select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")).rowCount! > 0);
        expect(queryPreparedServer.calls).toContain(gid);
        await client.query(outcome);
      } finally {
        client.release();
      }
      expect((await done).status).toBe(outcome === "commit" ? "succeeded" : "failed");
      expect(bank.calls("TransIn").filter((call) => call.gid === gid)).toHaveLength(outcome === "commit" ? 1 : 0);
      expect(await alice()).toBe(outcome === "commit" ? before - amount : before);
      expect(await alice() + delivered()).toBe(100);
    },
  );

  it("a local transaction that never committed: the back-check answers FAILURE and the message FAILS, for good", async () => {
    const before = await alice();
    const done = finished("ml-never");
    await (await transferMessage("ml-never", 300)).prepare(queryPreparedServer.target);
    const client = await pool.connect();
    try {
      await client.query("begin");
      await msgBarrier("ml-never").call(client, debit);
      await client.query("rollback"); // the process died before COMMIT
    } finally {
      client.release();
    }
    const event = await done;
    expect(event.status).toBe("failed");
    expect(event.rollbackReason).toContain("query_prepared");
    expect(bank.calls("TransIn").filter((call) => call.gid === "ml-never")).toEqual([]);
    // A late retry of the business transaction can no longer commit its change.
    expect(await msgBarrier("ml-never").callInTransaction(pool, debit)).toEqual({ ran: false, skipped: "hanging" });
    expect(await queryPrepared(pool, { gid: "ml-never", transType: "msg" })).toBe("failure");
    expect(await alice()).toBe(before);
    expect(await alice() + delivered()).toBe(100);
  });

  it("when the back-check already answered FAILURE, doAndSubmit refuses to run the business", async () => {
    expect(await queryPrepared(pool, { gid: "ml-late", transType: "msg" })).toBe("failure");
    let ran = false;
    const late = await doAndSubmit(await transferMessage("ml-late"), queryPreparedServer.target, pool, async () => {
      ran = true;
    }).catch((e: unknown) => e);
    expect(ConnectError.from(late).code).toBe(Code.Aborted);
    expect(ran).toBe(false);
    expect((await statusOf("ml-late")).status).toBe(TransactionStatus.FAILED);
  });

  it("prepare fails (coordinator unreachable): the business never runs", async () => {
    const unreachable = createConcordClient({ baseUrl: "http://127.0.0.1:1" });
    let ran = false;
    const result = doAndSubmit(new MsgBuilder(unreachable, "ml-unreachable"), queryPreparedServer.target, pool, async () => {
      ran = true;
    });
    expect(ConnectError.from(await result.catch((e: unknown) => e)).code).toBe(Code.Unavailable);
    expect(ran).toBe(false);
    expect((await pool.query("select 1 from concord_barrier.barrier where gid = 'ml-unreachable'")).rowCount).toBe(0);
  });
});
