/**
 * XA scenarios on real Postgres: branches prepare local transactions (PREPARE TRANSACTION),
 * Concord commits or rolls them back. The money across accounts never changes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { xa, closeBranchChannels, BranchStatus, Mode, TransactionStatus } from "../src/client/index.js";
import { encodeTransfer } from "../examples/ts/bank-service.js";
import { startPostgresBank } from "../examples/ts/postgres-bank.js";
import type { PostgresBank } from "../examples/ts/postgres-bank.js";
import { createTestDatabase } from "./support/databases.js";
import type { TestDatabase } from "./support/databases.js";
import { startTestCoordinator } from "./support/coordinator.js";
import type { TestCoordinator } from "./support/coordinator.js";

describe("xa on postgres", () => {
  let c: TestCoordinator;
  let db: TestDatabase;
  let bank: PostgresBank;

  beforeAll(async () => {
    c = await startTestCoordinator("postgres");
    db = await createTestDatabase({ empty: true });
    bank = await startPostgresBank(db.url, { alice: 100, bob: 0 });
  });
  afterAll(async () => {
    await bank?.close();
    closeBranchChannels();
    await c?.stop();
    await db?.drop();
  });

  const total = async () => (await bank.balance("alice")) + (await bank.balance("bob"));
  const prepared = async () => Number((await bank.pool.query("select count(*) from pg_prepared_xacts")).rows[0].count);
  const out = (amount: number) => encodeTransfer({ account: "alice", amount });
  const into = (amount: number) => encodeTransfer({ account: "bob", amount });

  it("xa commits every prepared branch when the function returns", async () => {
    await xa(c.client, "xa-ok", async (x) => {
      await x.callBranch(out(10), bank.target("TransOutXa"));
      await x.callBranch(into(10), bank.target("TransInXa"));
      // Both local transactions are prepared, their effects not yet visible.
      expect(await prepared()).toBe(2);
      expect(await bank.balance("bob")).toBe(0);
    });
    expect([await bank.balance("alice"), await bank.balance("bob")]).toEqual([90, 10]);
    expect(await prepared()).toBe(0);
    expect((await c.client.getTransaction({ gid: "xa-ok" })).transaction!.status).toBe(TransactionStatus.SUCCEEDED);
  });

  it("xa rolls back the prepared branches when a later branch fails", async () => {
    const err = await xa(c.client, "xa-rollback", async (x) => {
      await x.callBranch(into(1000), bank.target("TransInXa"));
      await x.callBranch(out(1000), bank.target("TransOutXa")); // alice cannot afford it
    }).catch((e: unknown) => e);
    expect(String(err)).toContain("insufficient funds");
    expect(await prepared()).toBe(0);
    expect(await total()).toBe(100);
    const tx = (await c.client.getTransaction({ gid: "xa-rollback" })).transaction!;
    expect(tx.status).toBe(TransactionStatus.FAILED);
    expect(tx.branches.filter((b) => b.status === BranchStatus.SUCCEEDED).map((b) => b.branchId)).toEqual(["01", "02"]); 
  });

  it("a local error before prepare leaves nothing prepared and aborts the transaction", async () => {
    await expect(xa(c.client, "xa-local-error", (x) => x.callBranch(out(5000), bank.target("TransOutXa")))).rejects.toThrow(/insufficient/);
    expect(await prepared()).toBe(0);
    expect((await c.client.getTransaction({ gid: "xa-local-error" })).transaction!.status).toBe(TransactionStatus.FAILED);
  });

  it("an xa left prepared past timeout_to_fail is rolled back, releasing its prepared transaction", async () => {
    const finished = c.coordinator.events.waitFor("transaction:finished", (e) => e.gid === "xa-timeout", 15_000);
    await c.client.prepare({ gid: "xa-timeout", mode: Mode.XA, options: { timeoutToFail: { seconds: 0n, nanos: 400_000_000 } } });
    const target = bank.target("TransOutXa");
    await c.client.registerBranch({ gid: "xa-timeout", branchId: "01", branch: { case: "xa", value: { target } }, payload: out(7) });
    // The client calls the action itself (as xa() does), then disappears without Submit.
    const { createDispatcher } = await import("../src/dispatch/index.js");
    const { loopbackPolicy } = await import("./support/outbound.js");
    const d = createDispatcher({ outboundPolicy: loopbackPolicy() });
    const outcome = await d.call({
      target,
      payload: out(7),
      timeoutMs: 3000,
      metadata: { "dtm-gid": "xa-timeout", "dtm-trans_type": "xa", "dtm-branch_id": "01", "dtm-op": "action" },
    });
    d.close();
    expect(outcome.kind).toBe("success");
    expect(await prepared()).toBe(1);
    expect((await finished).status).toBe("failed");
    expect(await prepared()).toBe(0);
    expect(await total()).toBe(100);
  });
});
