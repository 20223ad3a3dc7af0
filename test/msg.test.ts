/**
 * Two-phase message scenarios over real gRPC against the fake bank, on each store dialect.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { msg, TransactionStatus } from "../src/client/index.js";
import { dialects } from "./support/databases.js";
import { startFakeBank } from "./support/fake-bank.js";
import type { FakeBank } from "./support/fake-bank.js";
import { startTestCoordinator } from "./support/coordinator.js";
import type { TestCoordinator } from "./support/coordinator.js";

const payload = (s: string) => new TextEncoder().encode(s);

describe.each(dialects)("msg on %s", (dialect) => {
  let bank: FakeBank;
  let c: TestCoordinator;

  beforeAll(async () => {
    bank = await startFakeBank();
    c = await startTestCoordinator(dialect);
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
  });
  beforeEach(() => bank.reset());

  const callsOf = (gid: string) => bank.calls().filter((call) => call.gid === gid).map((call) => `${call.method}:${call.branchId}:${call.op}`);
  const message = async (gid: string, timeoutToFailMs = 30_000) =>
    (await msg(c.client, gid, { timeoutToFailMs }))
      .add(bank.target("TransOut"), payload("out"))
      .add(bank.target("TransIn"), payload("in"));
  const finished = (gid: string) =>
    c.coordinator.events.waitFor("transaction:finished", (e) => e.gid === gid, 15_000);

  it("msg submitted in one call runs every action in order", async () => {
    const tx = await (await message("msg-ok-1")).submit({ waitResult: true });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    expect(callsOf("msg-ok-1")).toEqual(["TransOut:01:action", "TransIn:02:action"]);
    expect(bank.calls("TransOut")[0]!.transType).toBe("msg");
  });

  it("msg prepared then submitted runs its actions, retrying failures until they succeed", async () => {
    const m = await message("msg-prepared-1");
    await m.prepare(bank.target("QueryPrepared"));
    expect((await c.client.getTransaction({ gid: "msg-prepared-1" })).transaction!.status).toBe(TransactionStatus.PREPARED);
    bank.failNext("TransIn", "failure");
    const tx = await m.submit({ waitResult: true, timeoutMs: 15_000 });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    expect(callsOf("msg-prepared-1")).toEqual(["TransOut:01:action", "TransIn:02:action", "TransIn:02:action"]);
  });

  it("a prepared msg past timeout_to_fail is back-checked and submitted when query_prepared answers SUCCESS", async () => {
    const done = finished("msg-check-ok");
    await (await message("msg-check-ok", 300)).prepare(bank.target("QueryPrepared"));
    const event = await done;
    expect(event.status).toBe("succeeded");
    expect(callsOf("msg-check-ok")).toEqual(["QueryPrepared:00:msg", "TransOut:01:action", "TransIn:02:action"]);
  });

  it("a prepared msg whose back-check answers FAILURE fails without running any action", async () => {
    bank.failNext("QueryPrepared", "failure");
    const done = finished("msg-check-fail");
    await (await message("msg-check-fail", 300)).prepare(bank.target("QueryPrepared"));
    expect((await done).status).toBe("failed");
    expect(callsOf("msg-check-fail")).toEqual(["QueryPrepared:00:msg"]);
    const tx = (await c.client.getTransaction({ gid: "msg-check-fail" })).transaction!;
    expect(tx.status).toBe(TransactionStatus.FAILED);
    expect(tx.rollbackReason).toContain("query_prepared");
  });

  it("a back-check answering ONGOING is asked again later", async () => {
    bank.failNext("QueryPrepared", "ongoing");
    const done = finished("msg-check-ongoing");
    await (await message("msg-check-ongoing", 300)).prepare(bank.target("QueryPrepared"));
    expect((await done).status).toBe("succeeded");
    expect(callsOf("msg-check-ongoing")).toEqual(["QueryPrepared:00:msg", "QueryPrepared:00:msg", "TransOut:01:action", "TransIn:02:action"]);
  });

  it("an aborted msg is FAILED, runs nothing, and cannot be submitted afterwards", async () => {
    const m = await message("msg-abort-1");
    await m.prepare(bank.target("QueryPrepared"));
    const tx = await m.abort("customer cancelled");
    expect(tx.status).toBe(TransactionStatus.FAILED);
    expect(tx.rollbackReason).toBe("customer cancelled");
    const err = await m.submit().catch((e: unknown) => e);
    expect(ConnectError.from(err).code).toBe(Code.FailedPrecondition);
    expect(callsOf("msg-abort-1")).toEqual([]);
  });

  it("concurrent msg actions all run, and one failing does not hold back the others", async () => {
    bank.failNext("TransOut", "unavailable");
    const m = (await message("msg-concurrent-1")).concurrent();
    const tx = await m.submit({ waitResult: true, timeoutMs: 15_000 });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    expect(callsOf("msg-concurrent-1").sort()).toEqual(["TransIn:02:action", "TransOut:01:action", "TransOut:01:action"]);
  });

  it("submitting a msg that was never prepared and has no steps is NOT_FOUND", async () => {
    const err = await (await msg(c.client, "msg-never")).submit().catch((e: unknown) => e);
    expect(ConnectError.from(err).code).toBe(Code.NotFound);
  });
});

describe("msg submitted while its back-check runs", () => {
  it("goes on as soon as the back-check returns, not a lease later", async () => {
    const bank = await startFakeBank({ slowMs: 1500 });
    // A long lease: were the submitted message left to the scheduler, it would wait this long.
    const c = await startTestCoordinator("postgres", { leaseMs: 20_000, requestTimeoutMs: 5000 });
    try {
      bank.failNext("QueryPrepared", "slow");
      const m = (await msg(c.client, "msg-submit-during-check", { timeoutToFailMs: 100 }))
        .add(bank.target("TransOut"), payload("out"))
        .add(bank.target("TransIn"), payload("in"));
      await m.prepare(bank.target("QueryPrepared"));
      await bank.waitForCalls("QueryPrepared", 1);
      // The back-check is in flight here (its answer takes 1.5 s); the deadline is far below the lease.
      const tx = await m.submit({ waitResult: true, timeoutMs: 8000 });
      expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
      expect(bank.calls().filter((call) => call.gid === "msg-submit-during-check").map((call) => call.method)).toEqual(["QueryPrepared", "TransOut", "TransIn"]);
    } finally {
      await c.stop();
      await bank.stop();
    }
  });
});
