/**
 * dtm v1.19's workflow protocol against a real coordinator (Postgres), as dtm's `client/workflow`
 * speaks it: prepareWorkflow over HTTP (read back with protojson's rules, as the Go client does)
 * and gRPC, workflow steps through registerBranch, the end through submit's req_extra, the query
 * output, and the resume calls: HTTP POST of the input, gRPC with the input in a WorkflowData.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { fromJson } from "@bufbuild/protobuf";
import { Dtm, DtmProgressesReplySchema } from "../gen/ts/dtmgimp/dtmgimp_pb.js";
import { BranchOp } from "../gen/ts/concord/v1/transaction_pb.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";
import { startFakeHttpBank, type FakeHttpBank } from "./support/fake-http-bank.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";
import { dtmHttp, type DtmHttp } from "./support/dtm-http.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("dtm's workflow protocol", () => {
  let bank: FakeBank;
  let httpBank: FakeHttpBank;
  let c: TestCoordinator;
  let dtm: DtmHttp;
  let client: Client<typeof Dtm>;

  beforeAll(async () => {
    bank = await startFakeBank({ methods: ["Execute"] });
    httpBank = await startFakeHttpBank();
    c = await startTestCoordinator("postgres");
    dtm = dtmHttp(c.httpPort);
    client = createClient(Dtm, createGrpcTransport({ baseUrl: `http://127.0.0.1:${c.grpcPort}` }));
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
    await httpBank?.stop();
  });
  beforeEach(() => {
    bank.reset();
    httpBank.reset();
  });

  /** What dtm's workflow client posts to prepareWorkflow (its TransBase). */
  const httpWorkflow = (gid: string, resume: string) => ({
    gid,
    trans_type: "workflow",
    protocol: "http",
    query_prepared: resume,
    custom_data: JSON.stringify({ name: "wf_http", data: b64('{"amount":30}') }),
  });

  it("HTTP: prepareWorkflow, registerBranch and submit with req_extra, answered in shapes dtm's client reads", async () => {
    const gid = "dwf-http";
    const first = await dtm.post("prepareWorkflow", httpWorkflow(gid, httpBank.target("resume")));
    expect(first.status).toBe(200);
    // The Go client parses this with protojson, discarding unknown fields.
    const reply = fromJson(DtmProgressesReplySchema, first.json, { ignoreUnknownFields: true });
    expect(reply.Transaction).toMatchObject({ Gid: gid, Status: "prepared", Result: "" });
    expect(reply.Progresses).toEqual([]);

    for (const [branch_id, op, status, data] of [
      ["01", "action", "succeed", '{"out":1}'],
      ["02", "action", "failed", "insufficient balance"],
      ["01", "rollback", "succeed", ""],
    ] as const) {
      const res = await dtm.post("registerBranch", { gid, trans_type: "workflow", branch_id, op, status, data });
      expect(res.status, `${branch_id}/${op}`).toBe(200);
    }
    // The same step again is a no-op; another outcome for it is refused.
    expect((await dtm.post("registerBranch", { gid, trans_type: "workflow", branch_id: "01", op: "action", status: "succeed", data: '{"out":1}' })).status).toBe(200);
    expect((await dtm.post("registerBranch", { gid, trans_type: "workflow", branch_id: "01", op: "action", status: "failed", data: "x" })).status).not.toBe(200);
    expect((await dtm.post("registerBranch", { gid, trans_type: "workflow", branch_id: "03", op: "action", status: "done" })).json).toMatchObject({ code: "invalid_argument", message: expect.stringMatching(/^status: /) });

    const again = fromJson(DtmProgressesReplySchema, (await dtm.post("prepareWorkflow", httpWorkflow(gid, httpBank.target("resume")))).json, { ignoreUnknownFields: true });
    expect(again.Progresses.map((p) => [p.BranchID, p.Op, p.Status, Buffer.from(p.BinData).toString()])).toEqual([
      ["01", "action", "succeed", '{"out":1}'],
      ["02", "action", "failed", "insufficient balance"],
      ["01", "rollback", "succeed", ""],
    ]);

    const submitted = await dtm.post("submit", { gid, trans_type: "workflow", req_extra: { status: "failed", rollback_reason: "insufficient balance", result: "" } });
    expect(submitted.status).toBe(200);
    const { transaction, branches } = await dtm.query(gid);
    expect(transaction).toMatchObject({ gid, trans_type: "workflow", status: "failed", rollback_reason: "insufficient balance", protocol: "http", query_prepared: httpBank.target("resume") });
    expect(branches.map((b) => [b.branch_id, b.op, b.status])).toEqual([
      ["01", "action", "succeed"],
      ["02", "action", "failed"],
      ["01", "rollback", "succeed"],
    ]);
    // Finished: a step can no longer be recorded (dtm's FAILURE).
    expect((await dtm.post("registerBranch", { gid, trans_type: "workflow", branch_id: "04", op: "action", status: "succeed" })).status).toBe(409);
  });

  it("HTTP: a succeeded workflow's result reads back as the base64 its client gave", async () => {
    const gid = "dwf-http-result";
    await dtm.post("prepareWorkflow", httpWorkflow(gid, httpBank.target("resume")));
    expect((await dtm.post("submit", { gid, trans_type: "workflow", req_extra: { status: "succeed", rollback_reason: "", result: b64("the answer") } })).status).toBe(200);
    const reply = fromJson(DtmProgressesReplySchema, (await dtm.post("prepareWorkflow", httpWorkflow(gid, httpBank.target("resume")))).json, { ignoreUnknownFields: true });
    expect(reply.Transaction).toMatchObject({ Gid: gid, Status: "succeed", Result: b64("the answer") });
    expect((await dtm.query(gid)).transaction).toMatchObject({ status: "succeed", result: b64("the answer") });
    // dtm refuses an abort of a workflow; so does Concord.
    expect((await dtm.post("abort", { gid, trans_type: "workflow" })).status).toBe(409);
    expect((await dtm.post("submit", { gid, trans_type: "workflow", req_extra: { status: "succeed", result: "***" } })).json).toMatchObject({ message: expect.stringMatching(/^req_extra\.result: /) });
  });

  it("HTTP: a resume POSTs the workflow's input to query_prepared with dtm's query parameters", async () => {
    const gid = "dwf-http-resume";
    await dtm.post("prepareWorkflow", httpWorkflow(gid, httpBank.target("resume")));
    const calls = httpBank.waitForCalls("resume", 1);
    // resetNextCronTime: run the next pass now; for a workflow that is a resume.
    expect((await dtm.post("resetNextCronTime", { gid })).status).toBe(200);
    const [call] = await calls;
    expect(call).toMatchObject({ httpMethod: "POST", gid, transType: "workflow", branchId: "00", op: "wf_http" });
    expect(call!.body.toString()).toBe('{"amount":30}');
    await dtm.post("submit", { gid, trans_type: "workflow", req_extra: { status: "succeed", rollback_reason: "", result: "" } });
  });

  it("gRPC: PrepareWorkflow, RegisterBranch and Submit; a resume calls Execute with a WorkflowData and dtm-op = the name", async () => {
    const gid = "dwf-grpc";
    const request = {
      Gid: gid,
      TransType: "workflow",
      QueryPrepared: bank.target("Execute"),
      CustomedData: JSON.stringify({ name: "wf_grpc", data: b64("input-bytes") }),
    };
    const first = await client.prepareWorkflow(request);
    expect(first.Transaction).toMatchObject({ Gid: gid, Status: "prepared", RollbackReason: "", Result: "" });
    expect(first.Progresses).toEqual([]);
    await client.registerBranch({ Gid: gid, TransType: "workflow", BranchID: "01", Data: { op: "action", status: "succeed" }, BusiPayload: new Uint8Array([1, 2, 3]) });
    // An XA step's first phase, which dtm's client records as `business` (stored as TRY).
    await client.registerBranch({ Gid: gid, TransType: "workflow", BranchID: "02", Data: { op: "business", status: "succeed" } });
    const again = await client.prepareWorkflow(request);
    expect(again.Progresses.map((p) => ({ ...p, BinData: [...p.BinData] }))).toMatchObject([
      { BranchID: "01", Op: "action", Status: "succeed", BinData: [1, 2, 3] },
      { BranchID: "02", Op: "business", Status: "succeed", BinData: [] },
    ]);
    expect((await dtm.query(gid)).branches.map((b) => b.op)).toEqual(["action", "business"]);
    expect((await c.client.getTransaction({ gid })).transaction?.branches.map((b) => b.op)).toEqual([BranchOp.ACTION, BranchOp.TRY]);

    const resumed = bank.waitForCalls("Execute", 1);
    expect((await dtm.post("resetNextCronTime", { gid })).status).toBe(200);
    const [call] = await resumed;
    expect(call).toMatchObject({ gid, transType: "workflow", branchId: "00", op: "wf_grpc" });
    // WorkflowData{Data: "input-bytes"}: field 1, length 11.
    expect([...call!.payload]).toEqual([0x0a, 11, ...Buffer.from("input-bytes")]);

    await client.submit({ Gid: gid, TransType: "workflow", ReqExtra: { status: "succeed", rollback_reason: "", result: b64("done") } });
    const done = await client.prepareWorkflow(request);
    expect(done.Transaction).toMatchObject({ Status: "succeed", Result: b64("done") });
    // Finished twice with another status: dtm's FAILURE, ABORTED on gRPC.
    const err = await client.submit({ Gid: gid, TransType: "workflow", ReqExtra: { status: "failed", rollback_reason: "late" } }).catch((e: unknown) => e);
    expect(err instanceof ConnectError && err.code).toBe(Code.Aborted);
  });

  it("refuses a prepareWorkflow of a gid another mode uses, and bad custom_data, naming the field", async () => {
    await client.prepare({ Gid: "dwf-tcc", TransType: "tcc" });
    const other = await client.prepareWorkflow({ Gid: "dwf-tcc", TransType: "workflow", QueryPrepared: bank.target("Execute"), CustomedData: JSON.stringify({ name: "n" }) }).catch((e: unknown) => e);
    expect(other instanceof ConnectError && other.code).toBe(Code.Aborted);
    for (const [custom, field] of [
      ["{", "custom_data"],
      [JSON.stringify({ data: "" }), "custom_data.name"],
      [JSON.stringify({ name: "n", data: "not base64!" }), "custom_data.data"],
    ]) {
      const err = await client.prepareWorkflow({ Gid: "dwf-bad", TransType: "workflow", QueryPrepared: bank.target("Execute"), CustomedData: custom }).catch((e: unknown) => e);
      expect(err instanceof ConnectError && err.code, custom).toBe(Code.InvalidArgument);
      expect((err as ConnectError).rawMessage.startsWith(`${field}:`), (err as ConnectError).rawMessage).toBe(true);
    }
    const noResume = await client.prepareWorkflow({ Gid: "dwf-bad", TransType: "workflow", CustomedData: JSON.stringify({ name: "n" }) }).catch((e: unknown) => e);
    expect((noResume as ConnectError).rawMessage).toMatch(/^query_prepared: required/);
    expect((await dtm.query("dwf-bad")).transaction).toBeUndefined();
  });
});
