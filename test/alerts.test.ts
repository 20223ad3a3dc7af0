/**
 * Alerts for branch ops that keep failing: at `--alert-after-attempts` the coordinator logs a
 * warning and POSTs dtm's AlertWebHook body to `--alert-webhook-url`, once per op; a webhook that
 * is down holds nothing up.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { msg } from "../src/client/index.js";
import { createLogger } from "../src/logger.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";

type Line = Record<string, unknown> & { level: string; msg: string; gid?: string };

describe("alerts", () => {
  let bank: FakeBank;
  let receiver: Server;
  let c: TestCoordinator;
  let down: TestCoordinator;
  const posts: { path: string; body: Record<string, unknown> }[] = [];
  const lines: Line[] = [];

  beforeAll(async () => {
    bank = await startFakeBank();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        posts.push({ path: req.url ?? "", body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/alert?team=payments`;
    const logger = createLogger("warn", (line) => lines.push(JSON.parse(line) as Line));
    c = await startTestCoordinator("postgres", { alertAfterAttempts: 3, alertWebhookUrl: url }, undefined, { logger });
    // Port 1 refuses connections: the webhook is down.
    down = await startTestCoordinator("pglite", { alertAfterAttempts: 2, alertWebhookUrl: "http://127.0.0.1:1/alert" }, undefined, { logger });
  });
  afterAll(async () => {
    await c?.stop();
    await down?.stop();
    await bank?.stop();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  });
  beforeEach(() => {
    bank.reset();
    posts.length = 0;
  });

  it("an action failing its third time is POSTed once with dtm's fields and Concord's, and logged as a warning", async () => {
    bank.failNext("TransIn", "unavailable", 5);
    const m = (await msg(c.client, "alert-msg", { retry: { initialIntervalMs: 20, maxIntervalMs: 40 } })).add(bank.target("TransIn"), new Uint8Array(1));
    await m.submit();
    await c.coordinator.events.waitFor("transaction:finished", (e) => e.gid === "alert-msg", 10_000);
    expect(bank.count("TransIn")).toBe(6);
    await expect.poll(() => posts.length).toBe(1);
    expect(posts[0]).toEqual({
      path: "/hooks/alert?team=payments",
      body: {
        gid: "alert-msg",
        status: "submitted",
        branch: bank.target("TransIn"),
        error: expect.stringMatching(/^Unavailable: /),
        retry_count: 3,
        branch_id: "01",
        op: "action",
        trans_type: "msg",
        reason: "attempts",
      },
    });
    expect(lines.filter((l) => l.gid === "alert-msg")).toEqual([
      expect.objectContaining({ level: "warn", msg: "branch op keeps failing; still retrying", branchId: "01", op: "action", attempts: 3 }),
    ]);
  });

  it("a webhook that is down is logged, and the transaction goes on", async () => {
    bank.failNext("TransIn", "unavailable", 2);
    const m = (await msg(down.client, "alert-down", { retry: { initialIntervalMs: 20, maxIntervalMs: 40 } })).add(bank.target("TransIn"), new Uint8Array(1));
    await m.submit();
    const done = await down.coordinator.events.waitFor("transaction:finished", (e) => e.gid === "alert-down", 10_000);
    expect(done.status).toBe("succeeded");
    await expect.poll(() => lines.some((l) => l.gid === "alert-down" && l.msg === "alert webhook POST failed")).toBe(true);
  });
});
