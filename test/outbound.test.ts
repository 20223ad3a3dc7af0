/**
 * The outbound policy on a real coordinator: what `concord serve` does with no allow-list (the
 * production default: no loopback, link-local, metadata or unspecified address), and with one.
 * A refused target is an INVALID_ARGUMENT naming its field at every way a target enters, before
 * anything is stored; a name that resolves to a protected address only at call time is refused
 * then, retried like an unreachable service, with a fixed text stored and the real address only
 * in the log. Names resolve through an injected table (there is no DNS server to change).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { BranchOp, Mode, TransactionStatus, createTopicClient } from "../src/client/index.js";
import { createCoordinator } from "../src/coordinator.js";
import { createLogger } from "../src/logger.js";
import { startTestCoordinator, testConfig, type TestCoordinator } from "./support/coordinator.js";
import { openTestStore } from "./support/databases.js";
import { dtmHttp } from "./support/dtm-http.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";
import { tableResolver } from "./support/outbound.js";

const settingHint = "--allow-targets (CONCORD_ALLOW_TARGETS)";

async function refusal(promise: Promise<unknown>): Promise<ConnectError> {
  return ConnectError.from(await promise.then(() => new Error("the call was not refused")).catch((e: unknown) => e));
}

describe("the production default (no --allow-targets)", () => {
  let c: TestCoordinator;
  let bank: FakeBank;
  const resolve = tableResolver({ "bank.test": ["10.20.30.40"] });
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    bank = await startFakeBank();
    c = await startTestCoordinator("postgres", { allowTargets: undefined }, undefined, {
      resolveHost: resolve,
      logger: createLogger("debug", (line) => lines.push(JSON.parse(line) as Record<string, unknown>)),
    });
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
  });

  const saga = (gid: string, actions: string[]) => ({
    gid,
    mode: Mode.SAGA,
    spec: { case: "saga" as const, value: { steps: actions.map((action) => ({ action, compensate: "", payload: new Uint8Array([1]) })) } },
  });

  it.each([
    ["a loopback address", () => bank.target("TransIn"), /"127\.0\.0\.1:\d+\/bank\.v1\.BankService\/TransIn" is refused by the outbound policy: 127\.0\.0\.1 is a loopback address/],
    ["the cloud metadata address", () => "http://169.254.169.254/latest/meta-data/", /169\.254\.169\.254 is a cloud metadata address/],
    ["a name for loopback", () => "localhost:50051/bank.v1.BankService/TransIn", /localhost names the loopback interface/],
    ["an IPv4-mapped loopback address", () => "http://[::ffff:127.0.0.1]:8080/x", /is a loopback address/],
  ])("refuses %s at Submit, naming the step and the setting, and stores nothing", async (_what, target, reason) => {
    const gid = `ssrf-${Math.random().toString(36).slice(2, 8)}`;
    const err = await refusal(c.client.submit(saga(gid, ["", target()])));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toMatch(/^saga\.steps\[1\]\.action: /);
    expect(err.rawMessage).toMatch(reason);
    expect(err.rawMessage).toContain(settingHint);
    expect((await refusal(c.client.getTransaction({ gid }))).code).toBe(Code.NotFound);
  });

  it("tells a new user submitting to 127.0.0.1:50051 how to allow it", async () => {
    const err = await refusal(c.connectClient.submit(saga("ssrf-new-user", ["127.0.0.1:50051/bank.v1.BankService/TransOut"])));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toBe(
      'saga.steps[0].action: "127.0.0.1:50051/bank.v1.BankService/TransOut" is refused by the outbound policy: 127.0.0.1 is a loopback address, ' +
        'refused unless --allow-targets (CONCORD_ALLOW_TARGETS) lists it; set it to "*,127.0.0.1" to allow it beside any other host',
    );
  });

  it("refuses a protected target at every other way one enters", async () => {
    const loopback = bank.target("TransIn");
    const expectRefused = async (call: Promise<unknown>, field: string) => {
      const err = await refusal(call);
      expect(err.code).toBe(Code.InvalidArgument);
      expect(err.rawMessage.startsWith(`${field}: "`)).toBe(true);
      expect(err.rawMessage).toContain("is refused by the outbound policy");
    };
    await expectRefused(c.client.prepare({ gid: "ssrf-msg", mode: Mode.MSG, msg: { steps: [{ action: "http://bank.test/x" }], queryPrepared: loopback } }), "msg.query_prepared");
    expect((await refusal(c.client.getTransaction({ gid: "ssrf-msg" }))).code).toBe(Code.NotFound);
    await expectRefused(c.client.submit({ gid: "ssrf-msg2", mode: Mode.MSG, spec: { case: "msg", value: { steps: [{ action: "http://bank.test/x" }, { action: loopback }] } } }), "msg.steps[1].action");
    await expectRefused(
      c.client.submit({ gid: "ssrf-comp", mode: Mode.SAGA, spec: { case: "saga", value: { steps: [{ action: "http://bank.test/a", compensate: "http://[::1]:9/c" }] } } }),
      "saga.steps[0].compensate",
    );

    await c.client.prepare({ gid: "ssrf-tcc", mode: Mode.TCC });
    await expectRefused(c.client.registerBranch({ gid: "ssrf-tcc", branchId: "01", branch: { case: "tcc", value: { confirm: "http://bank.test/c", cancel: "http://0.0.0.0:8080/c" } } }), "tcc.cancel");
    const tcc = await c.client.getTransaction({ gid: "ssrf-tcc" });
    expect(tcc.transaction?.branches).toEqual([]);

    const topics = createTopicClient({ baseUrl: `http://127.0.0.1:${c.grpcPort}` });
    await expectRefused(topics.subscribe({ topic: "ssrf-topic", target: "http://metadata.google.internal/computeMetadata/v1/" }), "target");
    expect((await refusal(topics.getTopic({ topic: "ssrf-topic" }))).code).toBe(Code.NotFound);

    const dtm = dtmHttp(c.httpPort);
    const submitted = await dtm.post("submit", { gid: "ssrf-dtm", trans_type: "saga", steps: [{ action: "http://bank.test/a", compensate: "" }, { action: "http://localhost:8081/b", compensate: "" }], payloads: ["", ""] });
    expect(submitted.json).toMatchObject({ code: "invalid_argument", message: expect.stringMatching(/^steps\[1\]\.action: "http:\/\/localhost:8081\/b" is refused by the outbound policy/) });
    expect((await dtm.query("ssrf-dtm")).transaction).toBeUndefined();
    await dtm.post("prepare", { gid: "ssrf-dtm-tcc", trans_type: "tcc" });
    const registered = await dtm.post("registerBranch", { gid: "ssrf-dtm-tcc", trans_type: "tcc", branch_id: "01", confirm: "http://169.254.169.254/c", cancel: "" });
    expect(registered.json).toMatchObject({ code: "invalid_argument", message: expect.stringMatching(/^confirm: .*cloud metadata address/) });
    const subscribed = await dtm.get("subscribe", { topic: "ssrf-topic", url: "http://127.0.0.1:9/hook", remark: "" });
    expect(subscribed.json).toMatchObject({ code: "invalid_argument", message: expect.stringMatching(/^url: .*loopback address/) });
  });

  it("refuses at call time a name that passed at Submit but resolves to loopback then, retries it as unreachable, and stores the fixed text", async () => {
    resolve.set("bank.test", ["10.20.30.40"]);
    const target = `bank.test:${bank.address.split(":")[1]}/bank.v1.BankService/TransOut`;
    const before = bank.calls("TransOut").length;
    // Submit checks static facts only: a name that is not protected passes without DNS.
    resolve.set("bank.test", ["127.0.0.1"]);
    await c.client.submit(saga("ssrf-dns", [target]));
    const deadline = Date.now() + 10_000;
    let tx = (await c.client.getTransaction({ gid: "ssrf-dns" })).transaction!;
    while (tx.branches.find((b) => b.op === BranchOp.ACTION)!.attempts < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      tx = (await c.client.getTransaction({ gid: "ssrf-dns" })).transaction!;
    }
    const action = tx.branches.find((b) => b.op === BranchOp.ACTION)!;
    expect(tx.status).toBe(TransactionStatus.SUBMITTED);
    expect(action.attempts).toBeGreaterThanOrEqual(2);
    expect(action.lastError).toBe("Unavailable: destination refused by the outbound policy");
    expect(bank.calls("TransOut").length).toBe(before);
    const warnings = lines.filter((l) => l.msg === "branch call refused by the outbound policy" && l.gid === "ssrf-dns");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: "warn", address: "127.0.0.1", branchId: "01", op: "action" });
  });
});

describe("an allow-list that lists loopback", () => {
  let c: TestCoordinator;
  let bank: FakeBank;
  beforeAll(async () => {
    bank = await startFakeBank();
    c = await startTestCoordinator("postgres", { allowTargets: ["bank.example", "127.0.0.0/8", "localhost"] }, undefined, {
      resolveHost: tableResolver({ localhost: ["127.0.0.1"], "other.example": ["203.0.113.9"] }),
    });
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
  });

  it("calls loopback branches it lists, by address and by name", async () => {
    for (const [gid, target] of [
      ["allow-ip", bank.target("TransOut")],
      ["allow-name", `localhost:${bank.address.split(":")[1]}/bank.v1.BankService/TransOut`],
    ] as const) {
      const res = await c.client.submit({ gid, mode: Mode.SAGA, options: { waitResult: true }, spec: { case: "saga", value: { steps: [{ action: target, payload: new Uint8Array([1]) }] } } });
      expect(res.transaction?.status).toBe(TransactionStatus.SUCCEEDED);
    }
  });

  it("refuses a destination it does not list, naming the setting", async () => {
    const err = await refusal(c.client.submit({ gid: "allow-other", mode: Mode.SAGA, spec: { case: "saga", value: { steps: [{ action: "http://other.example/x" }] } } }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toBe(
      'saga.steps[0].action: "http://other.example/x" is refused by the outbound policy: other.example matches no name in --allow-targets (CONCORD_ALLOW_TARGETS) ' +
        'and resolves to 203.0.113.9, which no address entry covers; add "other.example" to it',
    );
  });
});

describe("a bad --allow-targets entry", () => {
  it("stops the coordinator's start, naming the setting and the entry", async () => {
    const store = await openTestStore("pglite");
    try {
      const start = async () => {
        const started = await createCoordinator(testConfig({ allowTargets: ["bank:99999", "*.ok"] }), createLogger("error", () => {}), { store: store.store });
        await started.stop();
      };
      await expect(start()).rejects.toThrow(
        '--allow-targets (CONCORD_ALLOW_TARGETS): "bank:99999": the port must be 1-65535',
      );
    } finally {
      await store.close();
    }
  });
});
