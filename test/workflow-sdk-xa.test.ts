/**
 * XA branches inside a workflow, on real Postgres: each action prepares a local transaction
 * (PREPARE TRANSACTION), which the SDK commits when the function returns and rolls back when it
 * throws, recording each. The money across accounts never changes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BranchOp, BranchStatus, createWorkflowClient, createWorkflows, TransactionStatus, WorkflowFailedError } from "../src/client/index.js";
import type { Workflows } from "../src/client/index.js";
import { encodeTransfer } from "../examples/ts/bank-service.js";
import { startPostgresBank } from "../examples/ts/postgres-bank.js";
import type { PostgresBank } from "../examples/ts/postgres-bank.js";
import { createTestDatabase } from "./support/databases.js";
import type { TestDatabase } from "./support/databases.js";
import { startTestCoordinator } from "./support/coordinator.js";
import type { TestCoordinator } from "./support/coordinator.js";

describe("xa branches in a workflow on postgres", () => {
  let c: TestCoordinator;
  let db: TestDatabase;
  let bank: PostgresBank;
  let workflows: Workflows;

  beforeAll(async () => {
    c = await startTestCoordinator("postgres");
    db = await createTestDatabase({ empty: true });
    bank = await startPostgresBank(db.url, { alice: 100, bob: 0 });
    // Nothing here is left unfinished, so the resume target is never called.
    workflows = createWorkflows({ client: createWorkflowClient({ baseUrl: `http://127.0.0.1:${c.grpcPort}` }), resumeTarget: "127.0.0.1:1/unused.v1.Resume/Resume" });
  });
  afterAll(async () => {
    workflows?.close();
    await bank?.close();
    await c?.stop();
    await db?.drop();
  });

  const balances = async () => [await bank.balance("alice"), await bank.balance("bob")];
  const prepared = async () => Number((await bank.pool.query("select count(*) from pg_prepared_xacts")).rows[0].count);
  const recorded = async (gid: string) =>
    (await c.client.getTransaction({ gid })).transaction!.branches.map((b) => `${b.branchId}:${BranchOp[b.op]}:${BranchStatus[b.status]}`).sort();

  const register = () =>
    workflows.register("xa-transfer", async (ctx, t: { amount: number; thenFail?: boolean }) => {
      await ctx.xa(encodeTransfer({ account: "alice", amount: t.amount }), bank.target("TransOutXa"));
      await ctx.xa(encodeTransfer({ account: "bob", amount: t.amount }), bank.target("TransInXa"));
      // Both local transactions are prepared, their effects not yet visible.
      const heldBack = { prepared: await prepared(), bob: await bank.balance("bob") };
      if (t.thenFail) throw new Error("fraud check failed");
      return heldBack;
    });
  let transfer: ReturnType<typeof register>;
  beforeAll(() => void (transfer = register()));

  it("commits every prepared branch when the function returns, newest first, and records the commits", async () => {
    expect(await transfer.run("wf-xa-ok", { amount: 10 })).toEqual({ prepared: 2, bob: 0 });
    expect(await balances()).toEqual([90, 10]);
    expect(await prepared()).toBe(0);
    expect((await c.client.getTransaction({ gid: "wf-xa-ok" })).transaction!.status).toBe(TransactionStatus.SUCCEEDED);
    expect(await recorded("wf-xa-ok")).toEqual(["01:ACTION:SUCCEEDED", "01:COMMIT:SUCCEEDED", "02:ACTION:SUCCEEDED", "02:COMMIT:SUCCEEDED"]);
  });

  it("rolls back every prepared branch when the function throws, and finishes FAILED", async () => {
    const error = await transfer.run("wf-xa-throw", { amount: 10, thenFail: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(await balances()).toEqual([90, 10]);
    expect(await prepared()).toBe(0);
    const tx = (await c.client.getTransaction({ gid: "wf-xa-throw" })).transaction!;
    expect([tx.status, tx.rollbackReason]).toEqual([TransactionStatus.FAILED, "fraud check failed"]);
    expect(await recorded("wf-xa-throw")).toEqual(["01:ACTION:SUCCEEDED", "01:ROLLBACK:SUCCEEDED", "02:ACTION:SUCCEEDED", "02:ROLLBACK:SUCCEEDED"]);
  });

  it("an action the branch refuses rolls back the branches prepared before it", async () => {
    // bob's credit prepares first; alice cannot afford the debit.
    const refuse = workflows.register("xa-refused", async (ctx) => {
      await ctx.xa(encodeTransfer({ account: "bob", amount: 1000 }), bank.target("TransInXa"));
      await ctx.xa(encodeTransfer({ account: "alice", amount: 1000 }), bank.target("TransOutXa"));
    });
    await expect(refuse.run("wf-xa-refused", null)).rejects.toThrow(/step 02 \(xa\) failed: insufficient funds/);
    expect(await balances()).toEqual([90, 10]);
    expect(await prepared()).toBe(0);
    expect(await recorded("wf-xa-refused")).toEqual(["01:ACTION:SUCCEEDED", "01:ROLLBACK:SUCCEEDED", "02:ACTION:FAILED", "02:ROLLBACK:SUCCEEDED"]);
  });
});
