/**
 * What an operator sees at `info` when transactions go wrong: one line when a transaction rolls
 * back, one when it ends FAILED, one when a branch op reaches its alert threshold, each naming
 * the gid, the branch, the op and its last error.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { msg, saga } from "../src/client/index.js";
import { createLogger } from "../src/logger.js";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AdminService } from "../gen/ts/concord/v1/admin_service_pb.js";
import { startFakeBank } from "./support/fake-bank.js";
import type { FakeBank } from "./support/fake-bank.js";
import { startTestCoordinator } from "./support/coordinator.js";
import type { TestCoordinator } from "./support/coordinator.js";

type Line = Record<string, unknown> & { level: string; msg: string; gid?: string };

describe("operator log at info", () => {
  let bank: FakeBank;
  let c: TestCoordinator;
  const lines: Line[] = [];
  const linesOf = (gid: string) => lines.filter((l) => l.gid === gid);

  beforeAll(async () => {
    bank = await startFakeBank();
    const logger = createLogger("info", (line) => lines.push(JSON.parse(line) as Line));
    c = await startTestCoordinator("postgres", {}, undefined, { logger });
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
  });
  beforeEach(() => bank.reset());

  it("a saga whose step fails logs its rollback and its failure, naming the step, op and error", async () => {
    bank.failNext("TransIn", "failure");
    const s = (await saga(c.client, "log-rollback"))
      .add(bank.target("TransOut"), bank.target("TransOutCompensate"), new Uint8Array(1))
      .add(bank.target("TransIn"), bank.target("TransInCompensate"), new Uint8Array(1));
    await s.submit({ waitResult: true }).catch(() => undefined);
    const cause = { branchId: "02", op: "action", lastError: expect.stringContaining("failure") as unknown };
    expect(linesOf("log-rollback")).toEqual([
      expect.objectContaining({ level: "info", msg: "transaction rolls back", reason: expect.stringContaining("step 02") as unknown, ...cause }),
      expect.objectContaining({ level: "info", msg: "transaction failed", ...cause }),
    ]);
  });

  it("a message whose back-check answers FAILURE logs its failure with the back-check as the branch", async () => {
    bank.setDefault("QueryPrepared", "failure");
    const m = (await msg(c.client, "log-msg", { timeoutToFailMs: 100 })).add(bank.target("TransIn"), new Uint8Array(1));
    await m.prepare(bank.target("QueryPrepared"));
    await c.coordinator.events.waitFor("transaction:finished", (e) => e.gid === "log-msg", 10_000);
    expect(linesOf("log-msg")).toEqual([
      expect.objectContaining({ level: "info", msg: "transaction failed", branchId: "00", op: "msg", lastError: expect.any(String) as unknown }),
    ]);
  });

  it("a compensation reaching max_attempts is logged once, with its last error", async () => {
    bank.failNext("TransIn", "failure");
    bank.failNext("TransOutCompensate", "unavailable", 3);
    const s = (await saga(c.client, "log-alert", { retry: { maxAttempts: 2, initialIntervalMs: 20, maxIntervalMs: 40 } }))
      .add(bank.target("TransOut"), bank.target("TransOutCompensate"), new Uint8Array(1))
      .add(bank.target("TransIn"), "", new Uint8Array(1));
    await s.submit({ waitResult: true, timeoutMs: 15_000 }).catch(() => undefined);
    const alerts = linesOf("log-alert").filter((l) => l.msg.includes("max_attempts"));
    expect(alerts).toEqual([
      expect.objectContaining({ level: "warn", branchId: "01", op: "compensate", attempts: 2, lastError: expect.stringContaining("Unavailable") as unknown }),
    ]);
  });

  it("writes JSON lines with level names, and the level changes at run time through AdminService", async () => {
    const admin = createClient(AdminService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${c.grpcPort}` }));
    const run = async (gid: string) => {
      bank.failNext("TransOut", "unavailable");
      const s = (await saga(c.client, gid, { retry: { initialIntervalMs: 20, maxIntervalMs: 40 } })).add(bank.target("TransOut"), "", new Uint8Array(1));
      await s.submit({ waitResult: true, timeoutMs: 10_000 });
    };
    await run("log-quiet");
    expect(linesOf("log-quiet").filter((l) => l.level === "debug")).toEqual([]);
    expect((await admin.setLogLevel({ level: "debug" })).previous).toBe("info");
    try {
      await run("log-loud");
      expect(linesOf("log-loud")).toContainEqual(
        expect.objectContaining({ level: "debug", msg: "branch call unknown", gid: "log-loud", branchId: "01", op: "action", time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown }),
      );
    } finally {
      await admin.setLogLevel({ level: "info" });
    }
  });
});
