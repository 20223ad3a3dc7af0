import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDispatcher } from "../dispatch/index.js";
import { silentLogger } from "../logger.js";
import { noTracing } from "../tracing.js";
import type { Store } from "../store/index.js";
import type { TransactionWithBranches } from "../model.js";
import { startFakeBank } from "../../test/support/fake-bank.js";
import { loopbackPolicy } from "../../test/support/outbound.js";
import type { FakeBank } from "../../test/support/fake-bank.js";
import { CoordinatorEvents } from "./events.js";
import { TransactionRun } from "./run.js";
import { createLease, LeaseExpiringError } from "./lease.js";

describe("a run's lease check", () => {
  let bank: FakeBank;
  const dispatcher = createDispatcher({ outboundPolicy: loopbackPolicy() });
  beforeAll(async () => {
    bank = await startFakeBank();
  });
  afterAll(async () => {
    dispatcher.close();
    await bank?.stop();
  });

  const runWith = (leaseRemainingMs: number) => {
    const now = new Date();
    const tx: TransactionWithBranches = {
      gid: "lease-check",
      mode: "saga",
      status: "submitted",
      spec: { steps: [], concurrent: false, queryPrepared: "" },
      options: { waitResult: false, timeoutToFailMs: 0, requestTimeoutMs: 3000, retry: { initialIntervalMs: 100, maxIntervalMs: 1000, backoffMultiplier: 2, maxAttempts: 0 }, branchHeaders: {} },
      customData: "",
      requestHash: "",
      rollbackReason: "",
      attempts: 1,
      nextAttemptAt: now,
      failAt: null,
      leaseOwner: "me",
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
      traceContext: null,
      createdBy: "",
      input: new Uint8Array(0),
      result: new Uint8Array(0),
      branches: [
        { gid: "lease-check", branchId: "01", op: "action", target: bank.target("TransOut"), payload: new Uint8Array(1), status: "prepared", attempts: 0, lastError: "", createdAt: now, updatedAt: now, finishedAt: null },
      ],
    };
    // A lease taken at clock 0, seen from the moment it has `leaseRemainingMs` left.
    const lease = createLease({ owner: "me", leaseMs: 10_000, now: () => 10_000 - leaseRemainingMs });
    lease.taken("lease-check", 0);
    const ctx = {
      // The store is never reached by a branch call.
      store: undefined as unknown as Store,
      dispatcher,
      events: new CoordinatorEvents(),
      logger: silentLogger,
      lease,
      advertiseAddress: "localhost:0",
      alertAfterAttempts: 0,
      tracing: noTracing,
    };
    return new TransactionRun(ctx, tx, false, false, noTracing.startRun(tx));
  };
  const step = { branchId: "01", headers: {}, requestTimeoutMs: 0 };

  it("calls the branch while the lease outlasts the call's deadline", async () => {
    const outcome = await runWith(9_000).call(step, "action", bank.target("TransOut"));
    expect(outcome.kind).toBe("success");
  });

  it("does not call the branch when the lease may run out during the call", async () => {
    const before = bank.count("TransOut");
    await expect(runWith(2_000).call(step, "action", bank.target("TransOut"))).rejects.toBeInstanceOf(LeaseExpiringError);
    expect(bank.count("TransOut")).toBe(before);
  });
});
