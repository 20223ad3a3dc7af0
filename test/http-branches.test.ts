/**
 * HTTP branch targets end to end: a real coordinator calls a real node:http fake bank with dtm's
 * HTTP protocol, on each store dialect, in every mode.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { BranchOp, BranchStatus, Mode, TransactionFailedError, TransactionStatus, closeBranchChannels, msg, saga, tcc, xa } from "../src/client/index.js";
import type { SubmitRequest, Transaction } from "../src/client/index.js";
import { createLogger } from "../src/logger.js";
import { dialects } from "./support/databases.js";
import { startFakeHttpBank, type FakeHttpBank } from "./support/fake-http-bank.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const branch = (tx: Transaction, id: string, op: BranchOp) => tx.branches.find((b) => b.branchId === id && b.op === op)!;

describe.each(dialects)("http branches on %s", (dialect) => {
  let bank: FakeHttpBank;
  let c: TestCoordinator;

  beforeAll(async () => {
    bank = await startFakeHttpBank();
    c = await startTestCoordinator(dialect);
  });
  afterAll(async () => {
    closeBranchChannels();
    await c?.stop();
    await bank?.stop();
  });
  beforeEach(() => bank.reset());

  const callsOf = (gid: string) => bank.calls().filter((call) => call.gid === gid).map((call) => `${call.name}:${call.branchId}:${call.op}`);
  const transfer = async (gid: string, options: Parameters<typeof saga>[2] = {}) =>
    (await saga(c.client, gid, options))
      .add(bank.target("TransOut"), bank.target("TransOutCompensate"), json({ amount: 30 }))
      .add(bank.target("TransIn"), bank.target("TransInCompensate"), json({ amount: 30 }));

  it("a saga over HTTP succeeds and its branches get the method, query parameters, headers and body", async () => {
    const s = (await saga(c.client, "http-ok-1", { branchHeaders: { "x-tenant": "acme" } }))
      .add(bank.target("TransOut", "region=eu"), bank.target("TransOutCompensate"), json({ amount: 30 }), { headers: { "x-step": "one" } })
      .add(bank.target("TransIn"), bank.target("TransInCompensate"), json({ amount: 30 }));
    const tx = await s.submit({ waitResult: true });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    expect(callsOf("http-ok-1")).toEqual(["TransOut:01:action", "TransIn:02:action"]);
    const [out] = bank.calls("TransOut");
    expect(out).toMatchObject({ httpMethod: "POST", path: "/api/TransOut" });
    expect(out!.query).toEqual({ region: "eu", gid: "http-ok-1", trans_type: "saga", branch_id: "01", op: "action" });
    expect(out!.headers).toMatchObject({ "content-type": "application/json", "x-tenant": "acme", "x-step": "one" });
    expect(Object.keys(out!.headers).filter((k) => k.startsWith("dtm-"))).toEqual([]);
    expect(JSON.parse(out!.body.toString())).toEqual({ amount: 30 });
    expect(bank.calls("TransIn")[0]!.headers["x-step"]).toBeUndefined();
  });

  it.each([
    ["a 409", "conflict"],
    ["a 200 whose body says FAILURE", "failure-body"],
  ] as const)("%s from step 2 rolls the saga back, compensating both steps in reverse", async (_name, behaviour) => {
    const gid = `http-rollback-${behaviour}`;
    bank.failNext("TransIn", behaviour);
    const err = await (await transfer(gid)).submit({ waitResult: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionFailedError);
    const tx = (err as TransactionFailedError).transaction;
    expect(tx.status).toBe(TransactionStatus.FAILED);
    expect(callsOf(gid)).toEqual(["TransOut:01:action", "TransIn:02:action", "TransInCompensate:02:compensate", "TransOutCompensate:01:compensate"]);
    expect(branch(tx, "02", BranchOp.ACTION).status).toBe(BranchStatus.FAILED);
  });

  it.each([
    ["a 425", "too-early"],
    ["a body that says ONGOING", "ongoing-body"],
  ] as const)("%s is asked again without counting an attempt", async (_name, behaviour) => {
    const gid = `http-ongoing-${behaviour}`;
    bank.failNext("TransIn", behaviour);
    const tx = await (await transfer(gid)).submit({ waitResult: true, timeoutMs: 15_000 });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    expect(callsOf(gid)).toEqual(["TransOut:01:action", "TransIn:02:action", "TransIn:02:action"]);
    expect(branch(tx, "02", BranchOp.ACTION).attempts).toBe(1);
  });

  it("a 500 is retried with growing intervals and the attempts are recorded", async () => {
    bank.failNext("TransIn", "error", 3);
    const s = await transfer("http-500-1", { retry: { initialIntervalMs: 100, backoffMultiplier: 3, maxIntervalMs: 5000 } });
    const tx = await s.submit({ waitResult: true, timeoutMs: 20_000 });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    const times = bank.calls("TransIn").map((call) => call.at);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // Each gap at least its own backoff less the jitter (100, 300, 900 ms −20 %): a stall on a busy
    // machine can only lengthen a gap, so lower bounds say "growing" without racing the clock.
    expect(gaps[0]!).toBeGreaterThanOrEqual(75);
    expect(gaps[1]!).toBeGreaterThanOrEqual(225);
    expect(gaps[2]!).toBeGreaterThanOrEqual(700);
    expect(branch(tx, "02", BranchOp.ACTION).attempts).toBe(4);
    expect(branch(tx, "02", BranchOp.ACTION).lastError).toBe("Unknown: HTTP 500: internal error");
  });

  it("a URL that accepts the call but never answers hits the deadline and is retried", async () => {
    bank.failNext("TransIn", "hang");
    const tx = await (await transfer("http-hang-1", { requestTimeoutMs: 200 })).submit({ waitResult: true, timeoutMs: 15_000 });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    expect(callsOf("http-hang-1")).toEqual(["TransOut:01:action", "TransIn:02:action", "TransIn:02:action"]);
    expect(branch(tx, "02", BranchOp.ACTION).attempts).toBe(2);
    expect(branch(tx, "02", BranchOp.ACTION).lastError).toMatch(/^DeadlineExceeded: /);
  });

  it("a prepared msg is back-checked with a GET of its HTTP query_prepared, then POSTs its HTTP actions", async () => {
    const done = c.coordinator.events.waitFor("transaction:finished", (e) => e.gid === "http-msg-1", 15_000);
    const m = (await msg(c.client, "http-msg-1", { timeoutToFailMs: 300 })).add(bank.target("TransOut"), json({ amount: 5 })).add(bank.target("TransIn"), json({ amount: 5 }));
    await m.prepare(bank.target("QueryPrepared"));
    expect((await done).status).toBe("succeeded");
    expect(callsOf("http-msg-1")).toEqual(["QueryPrepared:00:msg", "TransOut:01:action", "TransIn:02:action"]);
    expect(bank.calls().map((call) => [call.name, call.httpMethod, call.transType])).toEqual([
      ["QueryPrepared", "GET", "msg"],
      ["TransOut", "POST", "msg"],
      ["TransIn", "POST", "msg"],
    ]);
  });

  it("a TCC with HTTP try, confirm and cancel confirms on success and cancels when a try says FAILURE", async () => {
    const tcc2 = (gid: string) =>
      tcc(c.client, gid, async (t) => {
        await t.callBranch(json({ amount: 1 }), bank.target("Try"), bank.target("Confirm"), bank.target("Cancel"));
        await t.callBranch(json({ amount: 2 }), bank.target("Try"), bank.target("Confirm"), bank.target("Cancel"));
      });
    await tcc2("http-tcc-ok");
    expect(callsOf("http-tcc-ok")).toEqual(["Try:01:try", "Try:02:try", "Confirm:02:confirm", "Confirm:01:confirm"]);
    expect(JSON.parse(bank.calls("Confirm")[1]!.body.toString())).toEqual({ amount: 1 });

    bank.failNext("Try", "conflict", 2);
    await expect(tcc2("http-tcc-cancel")).rejects.toThrow(/insufficient balance/);
    expect(callsOf("http-tcc-cancel")).toEqual(["Try:01:try", "Cancel:01:cancel"]);
    expect((await c.client.getTransaction({ gid: "http-tcc-cancel" })).transaction!.status).toBe(TransactionStatus.FAILED);
  });

  it("an XA branch without payload is POSTed with an empty body for its action and its commit", async () => {
    await xa(c.client, "http-xa-1", (x) => x.callBranch(new Uint8Array(0), bank.target("Xa")));
    expect(bank.calls("Xa").map((call) => [call.op, call.httpMethod, call.body.length, call.transType])).toEqual([
      ["action", "POST", 0, "xa"],
      ["commit", "POST", 0, "xa"],
    ]);
  });
});

describe("bad HTTP targets", () => {
  let c: TestCoordinator;
  beforeAll(async () => {
    c = await startTestCoordinator("postgres");
  });
  afterAll(async () => {
    await c?.stop();
  });

  it.each([
    ["an ftp URL", "ftp://bank.example/TransOut"],
    ["a URL with a user and password", "http://user:secret@bank.example/TransOut"],
    ["a URL without a host", "http:///TransOut"],
    ["a URL with a space", "http://bank.example/Trans Out"],
    ["a URL over 2048 characters", `http://bank.example/${"a".repeat(2048)}`],
  ])("a saga action of %s is INVALID_ARGUMENT naming the field, and nothing is stored", async (name, target) => {
    const gid = `http-bad-${name.length}-${target.length}`;
    const req = { gid, mode: Mode.SAGA, spec: { case: "saga", value: { steps: [{ action: "", compensate: "" }, { action: target, compensate: "" }] } } };
    const err = ConnectError.from(await c.client.submit(req as SubmitRequest).catch((e: unknown) => e));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toMatch(/^saga\.steps\[1\]\.action: .* is neither host:port\/package\.Service\/Method nor an http\(s\) URL/);
    // A refused URL's credentials are not handed back.
    expect(err.rawMessage).not.toContain("secret");
    expect(ConnectError.from(await c.client.getTransaction({ gid }).catch((e: unknown) => e)).code).toBe(Code.NotFound);
  });
});

describe("http branch circuit", () => {
  it("connection refused opens the circuit of that origin, and later attempts fail fast", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger("debug", (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    const c = await startTestCoordinator("postgres", { breakerFailureThreshold: 2, breakerOpenMs: 60_000 }, undefined, { logger });
    const dead = await startFakeHttpBank();
    await dead.stop();
    try {
      const s = (await saga(c.client, "http-refused-1", { retry: { maxAttempts: 4, initialIntervalMs: 20 } })).add(dead.target("TransOut"), "", json({}));
      const err = await s.submit({ waitResult: true, timeoutMs: 15_000 }).catch((e: unknown) => e);
      const tx = (err as TransactionFailedError).transaction;
      expect(tx.status).toBe(TransactionStatus.FAILED);
      expect(lines.filter((l) => l["msg"] === "circuit open")).toEqual([expect.objectContaining({ address: dead.address, gid: "http-refused-1" })]);
      expect(branch(tx, "01", BranchOp.ACTION).lastError).toBe(`Unavailable: circuit open for ${dead.address}`);
      expect(branch(tx, "01", BranchOp.ACTION).attempts).toBe(4);
    } finally {
      await c.stop();
    }
  });
});
