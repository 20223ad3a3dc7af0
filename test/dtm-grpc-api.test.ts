/**
 * dtm's gRPC service `dtmgimp.Dtm` as dtmgrpc calls it, over real gRPC on the coordinator's gRPC
 * port, with gRPC branches on a real fake bank: FAILURE answers ABORTED, state is read back
 * through dtm's HTTP `/query`, as dtm's own suite does.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Dtm } from "../gen/ts/dtmgimp/dtmgimp_pb.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";
import { dtmHttp, type DtmHttp } from "./support/dtm-http.js";

describe("dtm's gRPC API, dtmgimp.Dtm", () => {
  let bank: FakeBank;
  let c: TestCoordinator;
  let dtm: DtmHttp;
  let client: Client<typeof Dtm>;

  beforeAll(async () => {
    bank = await startFakeBank({ methods: ["XaNotify"] });
    c = await startTestCoordinator("postgres");
    dtm = dtmHttp(c.httpPort);
    client = createClient(Dtm, createGrpcTransport({ baseUrl: `http://127.0.0.1:${c.grpcPort}` }));
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
  });
  beforeEach(() => bank.reset());

  const payload = new TextEncoder().encode("transfer-30");
  const callsOf = (gid: string) => bank.calls().filter((call) => call.gid === gid).map((call) => `${call.method}:${call.branchId}:${call.op}`);
  const saga = (gid: string, options: { WaitResult?: boolean; RetryInterval?: bigint; BranchHeaders?: Record<string, string> } = {}) => ({
    Gid: gid,
    TransType: "saga",
    Steps: JSON.stringify([
      { action: bank.target("TransOut"), compensate: bank.target("TransOutCompensate") },
      { action: bank.target("TransIn"), compensate: bank.target("TransInCompensate") },
    ]),
    BinPayloads: [payload, payload],
    TransOptions: options,
  });
  const codeOf = (e: unknown) => (e instanceof ConnectError ? e.code : e);

  it("NewGid answers a fresh gid", async () => {
    const a = await client.newGid({});
    const b = await client.newGid({});
    expect(a.Gid).not.toBe("");
    expect(a.Gid).not.toBe(b.Gid);
  });

  it("a saga submitted with WaitResult succeeds, its branches called with the payload bytes, dtm's metadata and the branch headers", async () => {
    await client.submit(saga("dg-saga", { WaitResult: true, BranchHeaders: { test_header: "test" } }));
    expect(callsOf("dg-saga")).toEqual(["TransOut:01:action", "TransIn:02:action"]);
    const [out] = bank.calls("TransOut");
    expect(out!.payload.toString()).toBe("transfer-30");
    expect(out!.metadata).toMatchObject({ "dtm-trans_type": "saga", test_header: "test" });
    expect((await dtm.query("dg-saga")).transaction).toMatchObject({ status: "succeed", protocol: "grpc" });
    expect(await dtm.branchStatuses("dg-saga")).toEqual(["prepared", "succeed", "prepared", "succeed"]);
  });

  it("a saga whose step answers ABORTED is ABORTED for the client too, with the branch's message, after both compensations", async () => {
    bank.failNext("TransIn", "failure");
    const err = await client.submit(saga("dg-saga-fail", { WaitResult: true })).catch((e: unknown) => e);
    expect(codeOf(err)).toBe(Code.Aborted);
    expect((err as ConnectError).rawMessage).toContain("fake bank: TransIn failure");
    expect(await dtm.branchStatuses("dg-saga-fail")).toEqual(["succeed", "succeed", "succeed", "failed"]);
  });

  it("a tcc: Prepare, RegisterBranch with confirm/cancel in Data and the try payload, Submit confirms", async () => {
    await client.prepare({ Gid: "dg-tcc", TransType: "tcc", TransOptions: { TimeoutToFail: 30n } });
    await client.registerBranch({ Gid: "dg-tcc", TransType: "tcc", BranchID: "01", Data: { confirm: bank.target("Confirm"), cancel: bank.target("Cancel") }, BusiPayload: payload });
    await client.submit({ Gid: "dg-tcc", TransType: "tcc", TransOptions: { WaitResult: true } });
    expect(callsOf("dg-tcc")).toEqual(["Confirm:01:confirm"]);
    expect(bank.calls("Confirm")[0]!.payload.toString()).toBe("transfer-30");
    expect(await dtm.branchStatuses("dg-tcc")).toEqual(["prepared", "succeed"]);
  });

  it("an xa aborted with a reason rolls its branches back and stores the reason verbatim", async () => {
    await client.prepare({ Gid: "dg-xa", TransType: "xa", TransOptions: { TimeoutToFail: 30n } });
    await client.registerBranch({ Gid: "dg-xa", TransType: "xa", BranchID: "01", Data: { url: bank.target("XaNotify") } });
    await client.abort({ Gid: "dg-xa", TransType: "xa", RollbackReason: "rpc error: code = Aborted desc = reason:" });
    await dtm.waitFor("dg-xa", (t) => t.status === "failed", 5000);
    expect(callsOf("dg-xa")).toEqual(["XaNotify:01:rollback"]);
    expect((await dtm.query("dg-xa")).transaction?.rollback_reason).toBe("rpc error: code = Aborted desc = reason:");
  });

  it("a msg published to a topic over gRPC fans out to the topic's gRPC subscribers", async () => {
    await client.subscribe({ Topic: "grpc-orders", URL: bank.target("TransOut"), Remark: "out" });
    await client.subscribe({ Topic: "grpc-orders", URL: bank.target("TransIn") });
    await client.submit({ Gid: "dg-msg", TransType: "msg", Steps: JSON.stringify([{ action: "topic://grpc-orders" }]), BinPayloads: [payload], QueryPrepared: bank.target("QueryPrepared") });
    await dtm.waitFor("dg-msg", (t) => t.status === "succeed", 5000);
    expect(callsOf("dg-msg").sort()).toEqual(["TransIn:01-02:action", "TransOut:01-01:action"]);
    await client.unsubscribe({ Topic: "grpc-orders", URL: bank.target("TransIn") });
    await client.deleteTopic({ Topic: "grpc-orders" });
    expect(codeOf(await client.deleteTopic({ Topic: "grpc-orders" }).catch((e: unknown) => e))).toBe(Code.NotFound);
  });

  it("a WaitResult run that does not succeed is ABORTED with dtm's words; the transaction goes on", async () => {
    bank.failNext("TransOut", "ongoing");
    const err = await client.submit(saga("dg-ongoing", { WaitResult: true })).catch((e: unknown) => e);
    expect(codeOf(err)).toBe(Code.Aborted);
    expect((err as ConnectError).rawMessage).toBe("wait result not return success");
    expect((await dtm.query("dg-ongoing")).transaction?.status).toBe("submitted");
  });

  it("refuses bad requests with INVALID_ARGUMENT naming dtm's field, and stores nothing", async () => {
    const bad: [Parameters<typeof client.submit>[0], RegExp][] = [
      [{ Gid: "dg-bad-1", TransType: "saga", Steps: "[{", BinPayloads: [] }, /^Steps: not JSON/],
      [{ Gid: "dg-bad-2", TransType: "sagas" }, /^trans_type: unknown "sagas"/],
      [{ Gid: "dg-bad-3", TransType: "saga", Steps: JSON.stringify([{ action: "nowhere" }]), BinPayloads: [payload] }, /^steps\[0\]\.action: /],
      [{ Gid: "", TransType: "saga" }, /^gid: required/],
    ];
    for (const [req, message] of bad) {
      const err = await client.submit(req).catch((e: unknown) => e);
      expect(codeOf(err), String(req.Gid)).toBe(Code.InvalidArgument);
      expect((err as ConnectError).rawMessage).toMatch(message);
    }
    for (const gid of ["dg-bad-1", "dg-bad-2", "dg-bad-3"]) expect((await dtm.query(gid)).transaction).toBeUndefined();
    // A workflow's custom_data carries its name and input.
    expect(codeOf(await client.prepareWorkflow({ Gid: "wf", TransType: "workflow" }).catch((e: unknown) => e))).toBe(Code.InvalidArgument);
    expect(codeOf(await client.subscribe({ Topic: "", URL: bank.target("X") }).catch((e: unknown) => e))).toBe(Code.InvalidArgument);
    // dtm's FAILURE (state refuses the call) is ABORTED, what dtmgrpc's callers test for.
    expect(codeOf(await client.registerBranch({ Gid: "dg-nothing", TransType: "tcc", BranchID: "01" }).catch((e: unknown) => e))).toBe(Code.Aborted);
  });
});
