/**
 * SAGA scenarios over real gRPC against the fake bank, on each store dialect.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { saga, TransactionFailedError, TransactionStatus, TransactionView, BranchStatus, BranchOp, Mode } from "../src/client/index.js";
import type { Transaction } from "../src/client/index.js";
import { dialects } from "./support/databases.js";
import { startFakeBank } from "./support/fake-bank.js";
import type { FakeBank } from "./support/fake-bank.js";
import { startTestCoordinator } from "./support/coordinator.js";
import type { TestCoordinator } from "./support/coordinator.js";

const payload = (s: string) => new TextEncoder().encode(s);

describe.each(dialects)("saga on %s", (dialect) => {
  let bank: FakeBank;
  let c: TestCoordinator;

  beforeAll(async () => {
    bank = await startFakeBank({ methods: ["A", "ACompensate", "B", "BCompensate", "C", "CCompensate"], slowMs: 1500 });
    c = await startTestCoordinator(dialect);
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
  });
  beforeEach(() => bank.reset());

  const transfer = async (gid: string, options: Parameters<typeof saga>[2] = {}) =>
    (await saga(c.client, gid, options))
      .add(bank.target("TransOut"), bank.target("TransOutCompensate"), payload("out"))
      .add(bank.target("TransIn"), bank.target("TransInCompensate"), payload("in"));

  const callsOf = (gid: string) => bank.calls().filter((call) => call.gid === gid).map((call) => `${call.method}:${call.branchId}:${call.op}`);
  const branch = (tx: Transaction, id: string, op: BranchOp) => tx.branches.find((b) => b.branchId === id && b.op === op)!;

  it("saga succeeds and calls each action once, in order", async () => {
    const tx = await (await transfer("ok-1")).submit({ waitResult: true });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    expect(callsOf("ok-1")).toEqual(["TransOut:01:action", "TransIn:02:action"]);
    expect(branch(tx, "01", BranchOp.ACTION).status).toBe(BranchStatus.SUCCEEDED);
    expect(branch(tx, "02", BranchOp.COMPENSATE).status).toBe(BranchStatus.PREPARED);
    const stored = (await c.client.getTransaction({ gid: "ok-1" })).transaction!;
    expect(stored.status).toBe(TransactionStatus.SUCCEEDED);
    expect(stored.finishTime).toBeDefined();
    expect(stored.branches.map((b) => [b.branchId, b.op, b.status])).toEqual([
      ["01", BranchOp.ACTION, BranchStatus.SUCCEEDED],
      ["01", BranchOp.COMPENSATE, BranchStatus.PREPARED],
      ["02", BranchOp.ACTION, BranchStatus.SUCCEEDED],
      ["02", BranchOp.COMPENSATE, BranchStatus.PREPARED],
    ]);
    expect(bank.calls("TransOut")[0]!.payload.toString()).toBe("out");
  });

  it("view BASIC answers the outcome without steps, options or branches; FULL and unset echo them; an unknown view is refused", async () => {
    const basic = await (await transfer("view-basic")).submit({ waitResult: true, view: TransactionView.BASIC });
    expect(basic.status).toBe(TransactionStatus.SUCCEEDED);
    expect(basic.gid).toBe("view-basic");
    expect(basic.finishTime).toBeDefined();
    expect(basic.branches).toEqual([]);
    expect(basic.saga).toBeUndefined();
    expect(basic.options).toBeUndefined();
    const full = await (await transfer("view-full")).submit({ waitResult: true, view: TransactionView.FULL });
    expect(full.branches).toHaveLength(4);
    expect(full.saga?.steps[0]?.payload).toEqual(payload("out"));
    // A failed saga in the basic view still says why.
    bank.failNext("TransIn", "failure");
    const err = await (await transfer("view-basic-failed")).submit({ waitResult: true, view: TransactionView.BASIC }).catch((e: unknown) => e);
    expect((err as TransactionFailedError).transaction.rollbackReason).toContain("step 02");
    expect((err as TransactionFailedError).transaction.branches).toEqual([]);
    const refused = await c.client
      .submit({ gid: "view-bad", mode: Mode.SAGA, spec: { case: "saga", value: { steps: [{ action: bank.target("TransOut") }] } }, view: 9 as TransactionView })
      .catch((e: unknown) => ConnectError.from(e));
    expect(refused).toMatchObject({ code: Code.InvalidArgument });
    expect((refused as ConnectError).rawMessage).toContain("view");
    await expect(c.client.getTransaction({ gid: "view-bad" })).rejects.toMatchObject({ code: Code.NotFound });
  });

  it("saga rolls back every executed step when step 2 fails, the failed one included", async () => {
    bank.failNext("TransIn", "failure");
    const err = await (await transfer("rollback-1")).submit({ waitResult: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionFailedError);
    const tx = (err as TransactionFailedError).transaction;
    expect(tx.status).toBe(TransactionStatus.FAILED);
    expect(tx.rollbackReason).toContain("step 02");
    expect(callsOf("rollback-1")).toEqual(["TransOut:01:action", "TransIn:02:action", "TransInCompensate:02:compensate", "TransOutCompensate:01:compensate"]);
    expect(branch(tx, "02", BranchOp.ACTION).status).toBe(BranchStatus.FAILED);
    expect(branch(tx, "01", BranchOp.COMPENSATE).status).toBe(BranchStatus.SUCCEEDED);
  });

  it("saga asks again after ONGOING without counting an error, then succeeds", async () => {
    bank.failNext("TransIn", "ongoing");
    const tx = await (await transfer("ongoing-1")).submit({ waitResult: true, timeoutMs: 15_000 });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    expect(callsOf("ongoing-1")).toEqual(["TransOut:01:action", "TransIn:02:action", "TransIn:02:action"]);
    expect(branch(tx, "02", BranchOp.ACTION).attempts).toBe(1);
  });

  it("saga retries UNAVAILABLE with growing intervals and records the attempts", async () => {
    bank.failNext("TransIn", "unavailable", 3);
    const s = await transfer("unavailable-1", { retry: { initialIntervalMs: 100, backoffMultiplier: 3, maxIntervalMs: 5000 } });
    const tx = await s.submit({ waitResult: true, timeoutMs: 20_000 });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    const times = bank.calls("TransIn").filter((call) => call.gid === "unavailable-1").map((call) => call.at);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // 100, 300, 900 ms ±20 %: each gap clearly longer than the one before.
    expect(gaps[0]!).toBeGreaterThanOrEqual(75);
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);
    expect(branch(tx, "02", BranchOp.ACTION).attempts).toBe(4);
    expect(branch(tx, "02", BranchOp.ACTION).lastError).toContain("Unavailable");
  });

  it("a branch slower than its deadline is retried", async () => {
    bank.failNext("TransIn", "slow");
    const tx = await (await transfer("slow-1", { requestTimeoutMs: 200 })).submit({ waitResult: true, timeoutMs: 15_000 });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    expect(callsOf("slow-1")).toEqual(["TransOut:01:action", "TransIn:02:action", "TransIn:02:action"]);
    expect(branch(tx, "02", BranchOp.ACTION).attempts).toBe(2);
  });

  it("saga rolls back when timeout_to_fail passes while still going forward", async () => {
    bank.setDefault("TransIn", "unavailable");
    const err = await (await transfer("timeout-1", { timeoutToFailMs: 800 }))
      .submit({ waitResult: true, timeoutMs: 20_000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionFailedError);
    const tx = (err as TransactionFailedError).transaction;
    expect(tx.rollbackReason).toBe("Timeout after 0.8 seconds");
    expect(callsOf("timeout-1").slice(-2)).toEqual(["TransInCompensate:02:compensate", "TransOutCompensate:01:compensate"]);
  });

  it("saga rolls back when a step exceeds max_attempts", async () => {
    bank.setDefault("TransIn", "unavailable");
    const err = await (await transfer("max-attempts-1", { retry: { maxAttempts: 3, initialIntervalMs: 50 } }))
      .submit({ waitResult: true, timeoutMs: 20_000 })
      .catch((e: unknown) => e);
    const tx = (err as TransactionFailedError).transaction;
    expect(tx.status).toBe(TransactionStatus.FAILED);
    expect(tx.rollbackReason).toContain("max_attempts");
    expect(callsOf("max-attempts-1")).toEqual([
      "TransOut:01:action",
      "TransIn:02:action",
      "TransIn:02:action",
      "TransIn:02:action",
      "TransInCompensate:02:compensate",
      "TransOutCompensate:01:compensate",
    ]);
  });

  it("concurrent saga runs each step only after the steps it names in after", async () => {
    const s = (await saga(c.client, "concurrent-1"))
      .add(bank.target("A"), bank.target("ACompensate"), payload("a"))
      .add(bank.target("B"), bank.target("BCompensate"), payload("b"), { after: [0] })
      .add(bank.target("C"), bank.target("CCompensate"), payload("c"), { after: [0] })
      .concurrent();
    const tx = await s.submit({ waitResult: true });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    const calls = callsOf("concurrent-1");
    expect(calls[0]).toBe("A:01:action");
    expect(calls.slice(1).sort()).toEqual(["B:02:action", "C:03:action"]);
  });

  it("concurrent saga compensates dependents before the steps they waited for", async () => {
    bank.failNext("C", "failure");
    const s = (await saga(c.client, "concurrent-rollback-1"))
      .add(bank.target("A"), bank.target("ACompensate"), payload("a"))
      .add(bank.target("B"), bank.target("BCompensate"), payload("b"), { after: [0] })
      .add(bank.target("C"), bank.target("CCompensate"), payload("c"), { after: [0] })
      .concurrent();
    const err = await s.submit({ waitResult: true }).catch((e: unknown) => e);
    expect((err as TransactionFailedError).transaction.status).toBe(TransactionStatus.FAILED);
    const calls = callsOf("concurrent-rollback-1");
    const compensations = calls.filter((x) => x.endsWith("compensate"));
    expect(compensations.at(-1)).toBe("ACompensate:01:compensate");
    expect(compensations).toContain("CCompensate:03:compensate");
    expect(compensations).toContain("BCompensate:02:compensate");
  });

  it("headers reach branches with the dtm metadata", async () => {
    const s = (await saga(c.client, "headers-1", { branchHeaders: { "x-tenant": "acme" } }))
      .add(bank.target("TransOut"), "", payload("x"), { headers: { "x-step": "one" } });
    await s.submit({ waitResult: true });
    const md = bank.calls("TransOut").find((call) => call.gid === "headers-1")!.metadata;
    expect(md).toMatchObject({
      "x-tenant": "acme",
      "x-step": "one",
      "dtm-gid": "headers-1",
      "dtm-trans_type": "saga",
      "dtm-branch_id": "01",
      "dtm-op": "action",
    });
    expect(md["dtm-dtm"]).toBeTruthy();
  });

  it("branches are told the gRPC address the coordinator actually bound, not the configured port 0", async () => {
    expect(c.config.grpcPort).toBe(0);
    await (await saga(c.client, "advertised-1")).add(bank.target("TransOut"), "", payload("x")).submit({ waitResult: true });
    const md = bank.calls("TransOut").find((call) => call.gid === "advertised-1")!.metadata;
    expect(md["dtm-dtm"]).toBe(`127.0.0.1:${c.grpcPort}`);
    // Runs read the address when they call: a later advertise reaches the next call.
    c.coordinator.advertise("concord.example:36790");
    try {
      await (await saga(c.client, "advertised-2")).add(bank.target("TransOut"), "", payload("x")).submit({ waitResult: true });
    } finally {
      c.coordinator.advertise(`127.0.0.1:${c.grpcPort}`);
    }
    expect(bank.calls("TransOut").find((call) => call.gid === "advertised-2")!.metadata["dtm-dtm"]).toBe("concord.example:36790");
  });

  it("an empty target is a no-op that succeeds", async () => {
    const tx = await (await saga(c.client, "empty-1")).add("", "", payload("")).add(bank.target("TransIn"), "", payload("in")).submit({ waitResult: true });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    expect(callsOf("empty-1")).toEqual(["TransIn:02:action"]);
  });

  it("a repeated submit answers as the first did and runs nothing twice; other content under the same gid is refused", async () => {
    const first = await (await transfer("dup-1")).submit({ waitResult: true });
    const again = await (await transfer("dup-1")).submit({ waitResult: true });
    expect(again.status).toBe(first.status);
    expect(callsOf("dup-1")).toHaveLength(2);
    const other = (await saga(c.client, "dup-1")).add(bank.target("TransIn"), "", payload("different"));
    const err = await other.submit().catch((e: unknown) => e);
    expect(ConnectError.from(err).code).toBe(Code.AlreadyExists);
  });

  it("submit without wait_result answers at once and the saga finishes in the background", async () => {
    const tx = await (await transfer("nowait-1")).submit();
    expect([TransactionStatus.SUBMITTED, TransactionStatus.SUCCEEDED]).toContain(tx.status);
    await c.coordinator.events.waitFor("transaction:finished", (e) => e.gid === "nowait-1", 10_000).catch(() => undefined);
    const stored = (await c.client.getTransaction({ gid: "nowait-1" })).transaction!;
    expect(stored.status).toBe(TransactionStatus.SUCCEEDED);
  });

  it("Connect JSON clients get the same answers as gRPC clients", async () => {
    const tx = await (await saga(c.connectClient, "connect-1")).add(bank.target("TransOut"), "", payload("x")).submit({ waitResult: true });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    const err = await c.connectClient.getTransaction({ gid: "missing-gid" }).catch((e: unknown) => e);
    expect(ConnectError.from(err).code).toBe(Code.NotFound);
  });
});

describe("saga with wait_result and a deadline shorter than its first run", () => {
  it("answers with the current state before the client's deadline, not DEADLINE_EXCEEDED", async () => {
    const bank = await startFakeBank({ slowMs: 4000 });
    const c = await startTestCoordinator("postgres", { requestTimeoutMs: 6000 });
    try {
      bank.failNext("TransIn", "slow");
      const tx = await (await saga(c.client, "deadline-1"))
        .add(bank.target("TransIn"), "", new Uint8Array(1))
        .submit({ waitResult: true, timeoutMs: 1500 });
      expect(tx.status).toBe(TransactionStatus.SUBMITTED);
      expect(tx.gid).toBe("deadline-1");
    } finally {
      await c.stop();
      await bank.stop();
    }
  });
});
