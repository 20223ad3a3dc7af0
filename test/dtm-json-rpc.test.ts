/**
 * dtm's JSON-RPC: the client API at `POST /api/json-rpc`, and branches of a json-rpc transaction
 * whose URLs name a `method`, called with a JSON-RPC request and read by its error codes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeHttpBank, type FakeHttpBank } from "./support/fake-http-bank.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";
import { dtmHttp, type DtmHttp } from "./support/dtm-http.js";

describe("dtm's JSON-RPC", () => {
  let bank: FakeHttpBank;
  let c: TestCoordinator;
  let dtm: DtmHttp;
  let rpcUrl: string;

  beforeAll(async () => {
    bank = await startFakeHttpBank();
    c = await startTestCoordinator("postgres");
    dtm = dtmHttp(c.httpPort);
    rpcUrl = `http://127.0.0.1:${c.httpPort}/api/json-rpc`;
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
  });
  beforeEach(() => bank.reset());

  const rpc = async (body: unknown) => {
    const res = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as { jsonrpc: string; id: unknown; error: { code: number; message: string } | null; result: any } };
  };
  const call = (method: string, params: unknown, id: unknown = "no-use") => rpc({ jsonrpc: "2.0", id, method, params });
  const jsonRpcMsg = (gid: string) => ({
    gid,
    trans_type: "msg",
    steps: [{ action: bank.target("TransOut") }, { action: bank.target("json-rpc", "method=TransIn") }],
    payloads: ['{"amount":30}', '{"amount":30}'],
    query_prepared: bank.target("QueryPrepared"),
  });

  it("newGid answers in the result, always with HTTP 200", async () => {
    const res = await call("newGid", "");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ jsonrpc: "2.0", id: "no-use", error: null, result: { gid: expect.any(String) } });
    expect((await call("newGid", {}, 7)).json.id).toBe(7);
  });

  it("a json-rpc msg calls a plain URL with dtm's HTTP protocol and a URL with a method with a JSON-RPC request", async () => {
    const res = await call("submit", jsonRpcMsg("jr-msg"));
    expect(res.json.error).toBeNull();
    await dtm.waitFor("jr-msg", (t) => t.status === "succeed", 5000);
    expect(bank.calls("TransOut")[0]).toMatchObject({ query: expect.objectContaining({ gid: "jr-msg", op: "action" }) });
    const [rpcCall] = bank.calls("json-rpc");
    expect(rpcCall).toMatchObject({ httpMethod: "POST", query: { method: "TransIn" } });
    expect(JSON.parse(rpcCall!.body.toString())).toEqual({
      jsonrpc: "2.0",
      method: "TransIn",
      params: { amount: 30, gid: "jr-msg", trans_type: "msg", branch_id: "02", op: "action" },
      id: expect.any(String),
    });
    const { transaction, branches } = await dtm.query("jr-msg");
    expect(transaction?.protocol).toBe("json-rpc");
    expect(branches[1]?.url).toBe(bank.target("json-rpc", "method=TransIn"));
  });

  it("a JSON-RPC branch's error codes decide its outcome: -32902 ongoing, other codes retried, -32901 a failure (retried for a msg)", async () => {
    bank.failNext("json-rpc", "jsonrpc-ongoing");
    await call("submit", jsonRpcMsg("jr-codes"));
    await bank.waitForCalls("json-rpc", 1);
    await dtm.waitFor("jr-codes", (t) => t.lease_owner === "");
    let got = await c.client.getTransaction({ gid: "jr-codes" });
    expect(got.transaction?.branches.find((b) => b.branchId === "02")).toMatchObject({ attempts: 0, lastError: expect.stringMatching(/^ongoing: /) });
    bank.failNext("json-rpc", "jsonrpc-error");
    await dtm.post("resetNextCronTime", { gid: "jr-codes" });
    await bank.waitForCalls("json-rpc", 2);
    await dtm.waitFor("jr-codes", (t) => t.lease_owner === "");
    got = await c.client.getTransaction({ gid: "jr-codes" });
    expect(got.transaction?.branches.find((b) => b.branchId === "02")).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/^Unknown: .*-32000/) });
    bank.failNext("json-rpc", "jsonrpc-failure");
    await dtm.post("resetNextCronTime", { gid: "jr-codes" });
    await bank.waitForCalls("json-rpc", 3);
    await dtm.waitFor("jr-codes", (t) => t.lease_owner === "");
    got = await c.client.getTransaction({ gid: "jr-codes" });
    expect(got.transaction?.branches.find((b) => b.branchId === "02")).toMatchObject({ attempts: 2, lastError: expect.stringMatching(/^failure: .*-32901/) });
    await dtm.post("resetNextCronTime", { gid: "jr-codes" });
    await dtm.waitFor("jr-codes", (t) => t.status === "succeed", 5000);
  });

  it("a tcc through JSON-RPC registers, confirms and answers like the HTTP API", async () => {
    expect((await call("prepare", { gid: "jr-tcc", trans_type: "tcc", timeout_to_fail: 30 })).json.error).toBeNull();
    const reg = await call("registerBranch", { gid: "jr-tcc", trans_type: "tcc", branch_id: "01", data: "{}", confirm: bank.target("Confirm"), cancel: bank.target("Cancel") });
    expect(reg.json.error).toBeNull();
    expect((await call("submit", { gid: "jr-tcc", trans_type: "tcc", wait_result: true })).json.error).toBeNull();
    expect((await dtm.query("jr-tcc")).transaction?.status).toBe("succeed");
    const again = await call("submit", { gid: "jr-tcc", trans_type: "tcc" });
    expect(again.json.error).toMatchObject({ code: -32901, message: expect.stringContaining("succeeded") });
  });

  it("answers malformed requests with JSON-RPC's error codes", async () => {
    expect((await rpc("hello")).json.error?.code).toBe(-32700);
    expect((await rpc({ jsonrpc: "1.0", id: "x", method: "newGid" })).json.error?.code).toBe(-32600);
    expect((await rpc({ jsonrpc: "2.0", method: "newGid" })).json.error?.code).toBe(-32600);
    expect((await call("not-exists", "")).json.error?.code).toBe(-32601);
    const internal = await call("registerBranch", { trans_type: "not-exists" });
    expect(internal.status).toBe(200);
    expect(internal.json.error).toMatchObject({ code: -32603, message: expect.stringMatching(/^(gid|trans_type): /) });
    const badPayload = await call("submit", { ...jsonRpcMsg("jr-bad"), payloads: ['{"amount":30}', "[1,2]"] });
    expect(badPayload.json.error).toMatchObject({ code: -32603, message: "steps[1].payload: a JSON-RPC target takes a JSON object" });
    expect((await dtm.query("jr-bad")).transaction).toBeUndefined();
  });
});
