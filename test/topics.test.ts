/**
 * Topics in Concord's own contract (concord.v1.TopicService), and messages that publish to them
 * or wait a delay, on each store dialect.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { BranchOp, BranchStatus, Mode, TransactionStatus, createTopicClient, msg, type TopicClient } from "../src/client/index.js";
import { dialects } from "./support/databases.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const codeOf = (e: unknown) => (e instanceof ConnectError ? e.code : e);

describe.each(dialects)("topics on %s", (dialect) => {
  let bank: FakeBank;
  let c: TestCoordinator;
  let topics: TopicClient;

  beforeAll(async () => {
    bank = await startFakeBank();
    c = await startTestCoordinator(dialect);
    topics = createTopicClient({ baseUrl: `http://127.0.0.1:${c.grpcPort}` });
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
  });
  beforeEach(() => bank.reset());

  it("subscribe creates a topic at version 1 and each change adds one; unsubscribe keeps the topic; delete removes it", async () => {
    const first = await topics.subscribe({ topic: "payments", target: bank.target("TransIn"), remark: "ledger" });
    expect(first.topic).toMatchObject({ name: "payments", version: 1n, subscribers: [{ target: bank.target("TransIn"), remark: "ledger" }] });
    const second = await topics.subscribe({ topic: "payments", target: bank.target("TransOut") });
    expect(second.topic?.version).toBe(2n);
    expect(second.topic?.subscribers.map((s) => s.target)).toEqual([bank.target("TransIn"), bank.target("TransOut")]);
    expect(codeOf(await topics.subscribe({ topic: "payments", target: bank.target("TransIn") }).catch((e: unknown) => e))).toBe(Code.FailedPrecondition);
    const left = await topics.unsubscribe({ topic: "payments", target: bank.target("TransIn") });
    expect(left.topic).toMatchObject({ version: 3n, subscribers: [{ target: bank.target("TransOut") }] });
    expect(codeOf(await topics.unsubscribe({ topic: "payments", target: bank.target("TransIn") }).catch((e: unknown) => e))).toBe(Code.FailedPrecondition);
    expect(codeOf(await topics.unsubscribe({ topic: "nope", target: bank.target("TransIn") }).catch((e: unknown) => e))).toBe(Code.NotFound);
    await topics.unsubscribe({ topic: "payments", target: bank.target("TransOut") });
    expect((await topics.getTopic({ topic: "payments" })).topic).toMatchObject({ version: 4n, subscribers: [] });
    await topics.deleteTopic({ topic: "payments" });
    expect(codeOf(await topics.getTopic({ topic: "payments" }).catch((e: unknown) => e))).toBe(Code.NotFound);
    expect(codeOf(await topics.deleteTopic({ topic: "payments" }).catch((e: unknown) => e))).toBe(Code.NotFound);
  });

  it("refuses bad topics and targets with INVALID_ARGUMENT naming the field", async () => {
    const cases: [Parameters<TopicClient["subscribe"]>[0], string][] = [
      [{ topic: "", target: bank.target("X") }, "topic: required"],
      [{ topic: "has space", target: bank.target("X") }, "topic: a topic name"],
      [{ topic: "ok", target: "" }, "target: required"],
      [{ topic: "ok", target: "topic://other" }, 'target: "topic://other" is neither'],
      [{ topic: "ok", target: "ftp://x/y" }, "target: "],
    ];
    for (const [req, message] of cases) {
      const err = await topics.subscribe(req).catch((e: unknown) => e);
      expect(codeOf(err)).toBe(Code.InvalidArgument);
      expect((err as ConnectError).rawMessage.startsWith(message), (err as ConnectError).rawMessage).toBe(true);
    }
    expect(codeOf(await topics.listTopics({ pageToken: "%%%" }).catch((e: unknown) => e))).toBe(Code.InvalidArgument);
  });

  it("lists topics by name, a page at a time", async () => {
    for (const name of ["list-c", "list-a", "list-b"]) await topics.subscribe({ topic: name, target: bank.target("TransIn") });
    const names: string[] = [];
    let pageToken = "";
    for (let page = 0; page < 50; page++) {
      const res = await topics.listTopics({ pageSize: 1, pageToken });
      names.push(...res.topics.map((t) => t.name));
      pageToken = res.nextPageToken;
      if (pageToken === "") break;
    }
    expect(names.filter((n) => n.startsWith("list-"))).toEqual(["list-a", "list-b", "list-c"]);
  });

  it("a message publishing to a topic gets one branch per subscriber, each called with the step's payload", async () => {
    await topics.subscribe({ topic: "orders", target: bank.target("TransOut") });
    await topics.subscribe({ topic: "orders", target: bank.target("TransIn") });
    const m = (await msg(c.client, "topic-msg")).publish("orders", bytes("order-1")).add(bank.target("Confirm"), bytes("after"));
    const tx = await m.submit({ waitResult: true });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    expect(tx.branches.map((b) => `${b.branchId}:${b.target}`)).toEqual([
      `01-01:${bank.target("TransOut")}`,
      `01-02:${bank.target("TransIn")}`,
      `02:${bank.target("Confirm")}`,
    ]);
    expect(bank.calls().map((call) => `${call.method}:${call.branchId}:${call.payload.toString()}`)).toEqual([
      "TransOut:01-01:order-1",
      "TransIn:01-02:order-1",
      "Confirm:02:after",
    ]);
    // The same message again is a repeat, as requested, even after the topic changed.
    await topics.subscribe({ topic: "orders", target: bank.target("Cancel") });
    const again = await (await msg(c.client, "topic-msg")).publish("orders", bytes("order-1")).add(bank.target("Confirm"), bytes("after")).submit();
    expect(again.branches).toHaveLength(3);
  });

  it("a message to a topic without subscribers is refused, naming the step, and nothing is stored", async () => {
    const err = await (await msg(c.client, "topic-none")).add(bank.target("TransOut"), bytes("x")).publish("empty-topic", bytes("y")).submit().catch((e: unknown) => e);
    expect(codeOf(err)).toBe(Code.FailedPrecondition);
    expect((err as ConnectError).rawMessage).toBe('msg.steps[1].action: topic not found: "empty-topic" has no subscribers');
    expect(codeOf(await c.client.getTransaction({ gid: "topic-none" }).catch((e: unknown) => e))).toBe(Code.NotFound);
  });

  it("a message with a delay calls no action before the delay has passed since it was created", async () => {
    const tx = await (await msg(c.client, "delayed-msg")).add(bank.target("TransIn"), bytes("late")).delay(700).submit();
    expect(tx.msg?.delay).toMatchObject({ nanos: 700_000_000 });
    const [call] = await bank.waitForCalls("TransIn", 1, 5000);
    expect(call!.at).toBeGreaterThanOrEqual(Number(tx.createTime!.seconds) * 1000 + tx.createTime!.nanos / 1e6 + 700 - 50);
    const done = await c.coordinator.events.waitFor("transaction:finished", (e) => e.gid === "delayed-msg", 5000);
    expect(done.status).toBe("succeeded");
    const got = await c.client.getTransaction({ gid: "delayed-msg" });
    expect(got.transaction?.branches.find((b) => b.op === BranchOp.ACTION)?.status).toBe(BranchStatus.SUCCEEDED);
  });

  it("a delay of 0s is refused: unset means none", async () => {
    const err = await c.client
      .submit({ gid: "delay-zero", mode: Mode.MSG, spec: { case: "msg", value: { steps: [{ action: bank.target("TransIn") }], delay: { seconds: 0n, nanos: 0 } } } })
      .catch((e: unknown) => e);
    expect(codeOf(err)).toBe(Code.InvalidArgument);
    expect((err as ConnectError).rawMessage).toMatch(/^msg\.delay: /);
  });
});
