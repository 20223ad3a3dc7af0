/**
 * An in-process coordinator's stop() answers everyone: a wait_result whose transaction finishes
 * within the grace gets its result, one that does not gets UNAVAILABLE (the transaction goes on
 * elsewhere), and calls that arrive once shutdown has begun get UNAVAILABLE — never a dropped
 * connection, never an INTERNAL from a store closed under a running handler.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { saga, TransactionStatus } from "../src/client/index.js";
import { createLogger } from "../src/logger.js";
import { startFakeBank } from "./support/fake-bank.js";
import type { FakeBank } from "./support/fake-bank.js";
import { startTestCoordinator } from "./support/coordinator.js";
import type { TestCoordinator } from "./support/coordinator.js";

describe("coordinator shutdown", () => {
  let slowBank: FakeBank;
  let quickBank: FakeBank;
  let c: TestCoordinator;
  const lines: { level: string; msg: string }[] = [];

  beforeAll(async () => {
    // Slower than the grace, but within the call's deadline: the run is still in flight when the grace ends.
    slowBank = await startFakeBank({ slowMs: 6000 });
    quickBank = await startFakeBank({ slowMs: 200 });
    const logger = createLogger("info", (line) => lines.push(JSON.parse(line) as { level: string; msg: string }));
    c = await startTestCoordinator("postgres", { shutdownGraceMs: 2500, requestTimeoutMs: 10_000 }, undefined, { logger });
  });
  afterAll(async () => {
    await c?.stop();
    await slowBank?.stop();
    await quickBank?.stop();
  });

  it("answers a waiter whose saga ends within the grace with SUCCEEDED, one whose saga does not with UNAVAILABLE, and later calls with UNAVAILABLE", async () => {
    slowBank.setDefault("TransIn", "slow");
    quickBank.setDefault("TransIn", "slow");
    const settle = (p: Promise<unknown>) => p.then((value) => ({ value }), (error: unknown) => ({ error: ConnectError.from(error) }));
    const slow = settle(
      (await saga(c.client, "shutdown-slow")).add(slowBank.target("TransIn"), "", new Uint8Array(1)).submit({ waitResult: true, timeoutMs: 20_000 }),
    );
    const quick = settle(
      (await saga(c.client, "shutdown-quick")).add(quickBank.target("TransIn"), "", new Uint8Array(1)).submit({ waitResult: true, timeoutMs: 20_000 }),
    );
    await slowBank.waitForCalls("TransIn", 1);
    await quickBank.waitForCalls("TransIn", 1);

    const stopping = c.coordinator.stop();
    const late = await settle(c.client.getTransaction({ gid: "shutdown-slow" }));
    expect(late).toMatchObject({ error: { code: Code.Unavailable } });

    const quickResult = await quick;
    expect(quickResult).toHaveProperty("value");
    expect((quickResult as { value: { status: TransactionStatus } }).value.status).toBe(TransactionStatus.SUCCEEDED);

    const slowResult = await slow;
    expect(slowResult).toHaveProperty("error");
    const error = (slowResult as { error: ConnectError }).error;
    expect(error.code).toBe(Code.Unavailable);
    expect(error.rawMessage).toBe("coordinator is shutting down; the transaction goes on, ask another instance");

    await stopping;
    // Nothing ran into a closed store ("driver has already been destroyed") or failed otherwise.
    expect(lines.filter((l) => l.level === "error")).toEqual([]);
    // The slow saga was handed back unfinished, for another instance (or this one, restarted),
    // with its interrupted call recorded: a later rollback knows the action may have run.
    const stored = await c.testStore.store.getTransaction("shutdown-slow");
    expect(stored?.status).toBe("submitted");
    expect(stored?.leaseOwner).toBeNull();
    expect(stored?.branches.find((b) => b.op === "action")?.attempts).toBe(1);
  });
});

describe("coordinator shutdown with runs given the grace", () => {
  it("keeps renewing their leases, so no other instance may take them over mid-call", async () => {
    const bank = await startFakeBank({ slowMs: 3000 });
    const c = await startTestCoordinator("postgres", { shutdownGraceMs: 6000, leaseMs: 1000, requestTimeoutMs: 10_000 });
    try {
      bank.setDefault("TransIn", "slow");
      const done = (await saga(c.client, "shutdown-renew")).add(bank.target("TransIn"), "", new Uint8Array(1)).submit({ waitResult: true, timeoutMs: 20_000 });
      done.catch(() => undefined);
      await bank.waitForCalls("TransIn", 1);
      const leasedUntil = async () => (await c.testStore.store.getTransaction("shutdown-renew"))!.nextAttemptAt!.getTime();
      const before = await leasedUntil();
      const stopping = c.coordinator.stop();
      // The branch call outlasts the 1 s lease: the lease must move on while the run goes on.
      const deadline = Date.now() + 2500;
      let renewed = false;
      while (!renewed && Date.now() < deadline) {
        renewed = (await leasedUntil()) > before;
        if (!renewed) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(renewed).toBe(true);
      await stopping;
      expect((await c.testStore.store.getTransaction("shutdown-renew"))?.status).toBe("succeeded");
    } finally {
      await c.stop();
      await bank.stop();
    }
  });
});
