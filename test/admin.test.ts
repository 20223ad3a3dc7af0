/**
 * AdminService, what operators call: listings with filters and keyset pages, one transaction's
 * branch timeline, RetryNow, RetryAllNow, ForceStop, counts, the overview, the log level — over
 * real gRPC against a real coordinator, on each store dialect.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { durationFromMs, timestampFromDate, timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AdminService, BranchOutcome, CircuitState } from "../gen/ts/concord/v1/admin_service_pb.js";
import { BranchOp, Mode, TransactionStatus, msg, saga } from "../src/client/index.js";
import { createLogger } from "../src/logger.js";
import { dialects } from "./support/databases.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";

const payload = new TextEncoder().encode("transfer-30");
const codeOf = (e: unknown) => (e instanceof ConnectError ? e.code : e);
/** Retries this far apart never come during a test: only RetryNow drives these again. */
const farRetry = { initialIntervalMs: 3_600_000, maxIntervalMs: 3_600_000 };

describe.each(dialects)("AdminService on %s", (dialect) => {
  let bank: FakeBank;
  let c: TestCoordinator;
  let admin: Client<typeof AdminService>;

  beforeAll(async () => {
    bank = await startFakeBank();
    // A real logger (writing nowhere), whose level can change.
    c = await startTestCoordinator(dialect, { breakerFailureThreshold: 3, breakerOpenMs: 60_000 }, undefined, { logger: createLogger("info", () => {}) });
    admin = createClient(AdminService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${c.grpcPort}` }));
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
  });
  beforeEach(() => bank.reset());

  const transfer = async (gid: string, options: Parameters<typeof saga>[2] = {}) =>
    (await saga(c.client, gid, options)).add(bank.target("TransOut"), bank.target("TransOutCompensate"), payload).add(bank.target("TransIn"), bank.target("TransInCompensate"), payload);
  /** Run `op` and wait until the run it causes hands `gid` back for a later attempt. */
  const handedBack = async (gid: string, op: () => Promise<unknown>): Promise<void> => {
    const scheduled = c.coordinator.events.waitFor("transaction:retry-scheduled", (e) => e.gid === gid, 10_000);
    await op();
    await scheduled;
  };

  it("lists newest first with filters, a page at a time, and refuses a forged page token", async () => {
    const prefix = `adm-list-${dialect}-`;
    const start = new Date(Date.now() - 1000);
    await (await transfer(`${prefix}ok`)).submit({ waitResult: true });
    bank.failNext("TransIn", "failure");
    await (await transfer(`${prefix}failed`)).submit({ waitResult: true }).catch(() => undefined);
    await (await msg(c.client, `${prefix}msg`, { timeoutToFailMs: 60_000 })).add(bank.target("TransIn"), payload).prepare(bank.target("QueryPrepared"));
    await c.client.prepare({ gid: `${prefix}tcc`, mode: Mode.TCC, options: { timeoutToFail: durationFromMs(60_000) } });

    const gids = async (filter: Parameters<typeof admin.listTransactions>[0]["filter"]) =>
      (await admin.listTransactions({ filter: { gidPrefix: prefix, ...filter }, pageSize: 100 })).transactions.map((t) => t.gid);
    expect(await gids({})).toEqual([`${prefix}tcc`, `${prefix}msg`, `${prefix}failed`, `${prefix}ok`]);
    expect(await gids({ statuses: [TransactionStatus.FAILED] })).toEqual([`${prefix}failed`]);
    expect(await gids({ statuses: [TransactionStatus.PREPARED], modes: [Mode.MSG] })).toEqual([`${prefix}msg`]);
    expect(await gids({ targetContains: "/bank.v1.BankService/TransOut" })).toEqual([`${prefix}failed`, `${prefix}ok`]);
    expect(await gids({ createdAfter: timestampFromDate(start), createdBefore: timestampFromDate(new Date(Date.now() + 60_000)) })).toHaveLength(4);
    expect(await gids({ createdBefore: timestampFromDate(start) })).toEqual([]);
    expect(await gids({ stuckOlderThan: durationFromMs(1) })).toEqual([`${prefix}tcc`, `${prefix}msg`]);
    expect(await gids({ stuckOlderThan: durationFromMs(3_600_000) })).toEqual([]);

    const seen: string[] = [];
    let pageToken = "";
    for (let page = 0; page < 10; page++) {
      const res = await admin.listTransactions({ filter: { gidPrefix: prefix }, pageSize: 3, pageToken });
      seen.push(...res.transactions.map((t) => t.gid));
      expect(res.transactions.every((t) => t.branches.length === 0)).toBe(true);
      pageToken = res.nextPageToken;
      if (pageToken === "") break;
    }
    expect(seen).toEqual([`${prefix}tcc`, `${prefix}msg`, `${prefix}failed`, `${prefix}ok`]);

    for (const req of [{ pageToken: "forged" }, { pageSize: 5000 }, { filter: { statuses: [9 as TransactionStatus] } }, { filter: { stuckOlderThan: durationFromMs(0) } }]) {
      expect(codeOf(await admin.listTransactions(req).catch((e: unknown) => e))).toBe(Code.InvalidArgument);
    }
  });

  it("inspects a transaction: its branches with payload sizes and last errors, and every call in order", async () => {
    const gid = `adm-inspect-${dialect}`;
    bank.failNext("TransIn", "unavailable");
    bank.failNext("TransIn", "failure");
    await (await transfer(gid, { retry: { initialIntervalMs: 20, maxIntervalMs: 20 } })).submit({ waitResult: true }).catch(() => undefined);
    const { transaction, timeline } = await admin.inspectTransaction({ gid });
    expect(transaction?.status).toBe(TransactionStatus.FAILED);
    expect(transaction?.branches.find((b) => b.branchId === "02" && b.op === BranchOp.ACTION)).toMatchObject({
      payloadSize: payload.byteLength,
      attempts: 2,
      lastError: expect.stringMatching(/^failure: /) as unknown,
    });
    expect(timeline.map((a) => `${a.branchId}:${BranchOp[a.op]}:${BranchOutcome[a.outcome]}`)).toEqual([
      "01:ACTION:SUCCESS",
      "02:ACTION:UNKNOWN",
      "02:ACTION:FAILURE",
      "02:COMPENSATE:SUCCESS",
      "01:COMPENSATE:SUCCESS",
    ]);
    expect(timeline[1]?.error).toMatch(/^Unavailable: /);
    expect(timeline[2]?.error).toMatch(/TransIn failure/);
    const times = timeline.map((a) => timestampDate(a.time!).getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(codeOf(await admin.inspectTransaction({ gid: "no-such-gid" }).catch((e: unknown) => e))).toBe(Code.NotFound);
  });

  it("RetryNow drives a transaction now instead of at its next attempt; RetryAllNow does it for many", async () => {
    const one = `adm-retry-${dialect}`;
    bank.failNext("TransOut", "unavailable");
    const tx = await transfer(one, { retry: farRetry });
    await handedBack(one, () => tx.submit());
    expect((await c.client.getTransaction({ gid: one })).transaction?.status).toBe(TransactionStatus.SUBMITTED);
    await admin.retryNow({ gid: one });
    await c.coordinator.events.waitFor("transaction:finished", (e) => e.gid === one, 10_000);
    expect((await c.client.getTransaction({ gid: one })).transaction?.status).toBe(TransactionStatus.SUCCEEDED);

    const many = [`adm-retry-all-${dialect}-1`, `adm-retry-all-${dialect}-2`];
    bank.failNext("TransOut", "unavailable", 2);
    for (const gid of many) {
      const tx = await transfer(gid, { retry: farRetry });
      await handedBack(gid, () => tx.submit());
    }
    const finished = Promise.all(many.map((gid) => c.coordinator.events.waitFor("transaction:finished", (e) => e.gid === gid, 10_000)));
    const res = await admin.retryAllNow({ dueLaterThan: durationFromMs(60_000), limit: 100 });
    expect(res.count).toBeGreaterThanOrEqual(2);
    expect(res.remaining).toBe(false);
    await finished;
    expect(codeOf(await admin.retryNow({ gid: "no-such-gid" }).catch((e: unknown) => e))).toBe(Code.NotFound);
  });

  it("ForceStop fails a saga that retries for ever, recording the reason and who asked; a finished one is refused", async () => {
    const gid = `adm-force-${dialect}`;
    bank.setDefault("TransIn", "unavailable");
    try {
      await (await transfer(gid, { retry: { initialIntervalMs: 50, maxIntervalMs: 100 } })).submit();
      await bank.waitForCalls("TransIn", 2);
      for (const bad of [{ gid, reason: "", operator: "alice" }, { gid, reason: "stuck", operator: " " }]) {
        expect(codeOf(await admin.forceStop(bad).catch((e: unknown) => e))).toBe(Code.InvalidArgument);
      }
      const stopped = await admin.forceStop({ gid, reason: "branch service retired", operator: "alice (INC-42)" });
      expect(stopped.transaction).toMatchObject({ status: TransactionStatus.FAILED, rollbackReason: "force-stopped by alice (INC-42): branch service retired" });
      const calls = bank.count("TransIn");
      await new Promise((resolve) => setTimeout(resolve, 300));
      // A run in flight may end its last call, but nothing is called after that.
      expect(bank.count("TransIn")).toBeLessThanOrEqual(calls + 1);
      expect(codeOf(await admin.forceStop({ gid, reason: "again", operator: "alice" }).catch((e: unknown) => e))).toBe(Code.FailedPrecondition);
    } finally {
      bank.setDefault("TransIn", "ok");
    }
  });

  it("counts by status and mode, and gives a dashboard's overview with this instance's circuits", async () => {
    const before = await admin.countTransactions({});
    await (await transfer(`adm-count-${dialect}`)).submit({ waitResult: true });
    const after = await admin.countTransactions({});
    const sagasOk = (counts: typeof before.counts) => counts.find((x) => x.mode === Mode.SAGA && x.status === TransactionStatus.SUCCEEDED)?.count ?? 0n;
    expect(sagasOk(after.counts) - sagasOk(before.counts)).toBe(1n);

    // Three unknown outcomes in a row open the circuit of a dead address.
    const dead = `adm-dead-${dialect}`;
    const deadSaga = (await saga(c.client, dead, { retry: farRetry })).add("127.0.0.1:1/bank.v1.BankService/TransOut", "", payload);
    await handedBack(dead, () => deadSaga.submit());
    for (let i = 0; i < 2; i++) await handedBack(dead, () => admin.retryNow({ gid: dead }));
    const overview = await admin.getOverview({ window: durationFromMs(3_600_000), stuckAfter: durationFromMs(1) });
    expect(overview.created).toBeGreaterThanOrEqual(1n);
    expect(overview.succeeded).toBeGreaterThanOrEqual(1n);
    expect(overview.unfinished).toBeGreaterThanOrEqual(1n);
    expect(overview.stuck).toBeGreaterThanOrEqual(1n);
    expect(overview.circuits).toContainEqual(expect.objectContaining({ address: "127.0.0.1:1", state: CircuitState.OPEN }));
    expect(codeOf(await admin.getOverview({ window: durationFromMs(48 * 3_600_000) }).catch((e: unknown) => e))).toBe(Code.InvalidArgument);
    await admin.forceStop({ gid: dead, reason: "test over", operator: "test" });
  });

  it("changes the log level at run time", async () => {
    const first = await admin.setLogLevel({ level: "debug" });
    expect((await admin.setLogLevel({ level: first.previous })).previous).toBe("debug");
    expect(codeOf(await admin.setLogLevel({ level: "loud" }).catch((e: unknown) => e))).toBe(Code.InvalidArgument);
  });

  it("is served over Connect JSON on the HTTP port too", async () => {
    const res = await fetch(`http://127.0.0.1:${c.httpPort}/concord.v1.AdminService/CountTransactions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ counts: expect.any(Array) as unknown });
  });
});
