/**
 * dtm's HTTP API (`/api/dtmsvr/*`) as dtm's SDKs and its admin page call it, against a real
 * coordinator calling a real HTTP fake bank, on each store dialect: the shapes, statuses and
 * error conventions dtm's clients read, and dtm's semantics for what comes through this API.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dialects } from "./support/databases.js";
import { startFakeHttpBank, type FakeHttpBank } from "./support/fake-http-bank.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";
import { dtmHttp, type DtmHttp } from "./support/dtm-http.js";

describe.each(dialects)("dtm's HTTP API on %s", (dialect) => {
  let bank: FakeHttpBank;
  let c: TestCoordinator;
  let dtm: DtmHttp;

  beforeAll(async () => {
    bank = await startFakeHttpBank();
    c = await startTestCoordinator(dialect, { timeoutToFailMs: 1000 });
    dtm = dtmHttp(c.httpPort);
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
  });
  beforeEach(() => bank.reset());

  const callsOf = (gid: string) => bank.calls().filter((call) => call.gid === gid).map((call) => `${call.name}:${call.branchId}:${call.op}`);
  const saga = (gid: string, extra: Record<string, unknown> = {}) => ({
    gid,
    trans_type: "saga",
    steps: [
      { action: bank.target("TransOut"), compensate: bank.target("TransOutRevert") },
      { action: bank.target("TransIn"), compensate: bank.target("TransInRevert") },
    ],
    payloads: ['{"amount":30}', '{"amount":30}'],
    ...extra,
  });
  const msg = (gid: string, extra: Record<string, unknown> = {}) => ({
    gid,
    trans_type: "msg",
    steps: [{ action: bank.target("TransOut") }, { action: bank.target("TransIn") }],
    payloads: ['{"amount":30}', '{"amount":30}'],
    query_prepared: bank.target("QueryPrepared"),
    // Longer than any test takes: only the back-check test waits for a timeout (the server's, 1 s).
    timeout_to_fail: 30,
    ...extra,
  });

  it("newGid and version answer as dtm's do", async () => {
    const gid = await dtm.get("newGid");
    expect(gid.status).toBe(200);
    expect(gid.json).toEqual({ gid: expect.stringMatching(/^[A-Za-z0-9_-]{16,}$/), dtm_result: "SUCCESS" });
    expect((await dtm.get("version")).json).toMatchObject({ version: "v1.19.0" });
  });

  it("a saga submitted with wait_result succeeds; /query shows dtm's shape, lowercase statuses and dtm's branch order", async () => {
    const res = await dtm.post("submit", saga("dh-saga-ok", { wait_result: true, branch_headers: { Test_Header: "yes" } }));
    expect(res).toMatchObject({ status: 200, json: { dtm_result: "SUCCESS" } });
    expect(callsOf("dh-saga-ok")).toEqual(["TransOut:01:action", "TransIn:02:action"]);
    const [out] = bank.calls("TransOut");
    expect(out).toMatchObject({ httpMethod: "POST", transType: "saga", headers: expect.objectContaining({ test_header: "yes" }) });
    expect(out!.body.toString()).toBe('{"amount":30}');
    const { transaction, branches } = await dtm.query("dh-saga-ok");
    expect(transaction).toMatchObject({ gid: "dh-saga-ok", trans_type: "saga", status: "succeed", protocol: "http", wait_result: true, concurrent: false });
    expect(transaction!.rollback_reason).toBeUndefined();
    expect(branches.map((b) => `${b.branch_id}:${b.op}:${b.status}`)).toEqual([
      "01:compensate:prepared",
      "01:action:succeed",
      "02:compensate:prepared",
      "02:action:succeed",
    ]);
    expect(branches[1]).toMatchObject({ url: bank.target("TransOut"), bin_data: Buffer.from('{"amount":30}').toString("base64") });
  });

  it("a saga whose step fails answers 409 FAILURE with the branch's reason, and compensates both steps", async () => {
    bank.failNext("TransIn", "conflict");
    const res = await dtm.post("submit", saga("dh-saga-fail", { wait_result: true }));
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ dtm_result: "FAILURE", message: expect.stringContaining("insufficient balance") });
    expect(await dtm.branchStatuses("dh-saga-fail")).toEqual(["succeed", "succeed", "succeed", "failed"]);
    const { transaction } = await dtm.query("dh-saga-fail");
    expect(transaction).toMatchObject({ status: "failed", rollback_reason: expect.stringContaining("insufficient balance") });
    expect(callsOf("dh-saga-fail")).toEqual(["TransOut:01:action", "TransIn:02:action", "TransInRevert:02:compensate", "TransOutRevert:01:compensate"]);
  });

  it("without wait_result a submit answers at once, as submitted, and the saga finishes by itself", async () => {
    bank.failNext("TransOut", "hang");
    const res = await dtm.post("submit", saga("dh-saga-async", { request_timeout: 1 }));
    expect(res.status).toBe(200);
    expect((await dtm.query("dh-saga-async")).transaction?.status).toBe("submitted");
  });

  it("an ONGOING branch keeps the saga submitted until resetNextCronTime runs its next pass now, with a new owner", async () => {
    bank.failNext("TransOut", "too-early");
    const res = await dtm.post("submit", saga("dh-ongoing", { wait_result: true }));
    // dtm answers a wait_result run that did not succeed with FAILURE.
    expect(res).toMatchObject({ status: 409, json: { message: "wait result not return success" } });
    const before = (await dtm.query("dh-ongoing")).transaction!;
    expect(before.status).toBe("submitted");
    expect(await dtm.branchStatuses("dh-ongoing")).toEqual(["prepared", "prepared", "prepared", "prepared"]);
    // dtm's interval after ONGOING: its RetryInterval (10 s by default), not Concord's 50 ms here.
    expect(Date.parse(before.next_cron_time!) - Date.parse(before.update_time)).toBeGreaterThan(7000);
    expect((await dtm.post("resetNextCronTime", { gid: "dh-ongoing" })).status).toBe(200);
    const after = await dtm.waitFor("dh-ongoing", (t) => t.status === "succeed", 5000);
    expect(after.owner).not.toBe(before.owner);
    expect(callsOf("dh-ongoing")).toEqual(["TransOut:01:action", "TransOut:01:action", "TransIn:02:action"]);
  });

  it("resetNextCronTime during a pass runs the next pass as soon as that one ends, once however often it is asked", async () => {
    bank.failNext("TransOut", "slow-too-early");
    await dtm.post("submit", saga("dh-reset-busy"));
    await bank.waitForCalls("TransOut", 1);
    for (let i = 0; i < 3; i++) expect((await dtm.post("resetNextCronTime", { gid: "dh-reset-busy" })).status).toBe(200);
    await dtm.waitFor("dh-reset-busy", (t) => t.status === "succeed", 5000);
    expect(callsOf("dh-reset-busy")).toEqual(["TransOut:01:action", "TransOut:01:action", "TransIn:02:action"]);
  });

  it("a branch that errs is retried after dtm's interval: the transaction's retry_interval when it sets one", async () => {
    bank.failNext("TransOut", "error");
    await dtm.post("submit", saga("dh-interval", { retry_interval: 150 }));
    const tx = await dtm.waitFor("dh-interval", (t) => (t.attempts as number) >= 1 && t.lease_owner === "");
    // 150 s, ±20 % jitter.
    const delay = Date.parse(tx.next_cron_time!) - Date.parse(tx.update_time);
    expect(delay).toBeGreaterThan(110_000);
    expect(delay).toBeLessThan(190_000);
    expect(tx).toMatchObject({ status: "submitted", retry_interval: 150 });
  });

  it("retry_limit retries a failing action at once within the run: enough retries succeed, too few roll back with dtm's reason", async () => {
    bank.failNext("TransIn", "error", 2);
    expect((await dtm.post("submit", saga("dh-limit-yes", { wait_result: true, retry_limit: 3 }))).status).toBe(200);
    expect(callsOf("dh-limit-yes")).toEqual(["TransOut:01:action", "TransIn:02:action", "TransIn:02:action", "TransIn:02:action"]);

    bank.failNext("TransIn", "error", 2);
    const res = await dtm.post("submit", saga("dh-limit-no", { wait_result: true, retry_limit: 1 }));
    expect(res).toMatchObject({ status: 409, json: { message: "RetryCount is greater than RetryLimit, RetryLimit: 1" } });
    const { transaction } = await dtm.query("dh-limit-no");
    expect(transaction).toMatchObject({ status: "failed", rollback_reason: "RetryCount is greater than RetryLimit, RetryLimit: 1", retry_limit: 1 });
    expect(await dtm.branchStatuses("dh-limit-no")).toEqual(["succeed", "succeed", "succeed", "prepared"]);
  });

  it("a concurrent saga with orders runs a step only after the steps it is ordered after", async () => {
    bank.failNext("TransOut", "too-early");
    const res = await dtm.post("submit", saga("dh-orders", { custom_data: '{"concurrent":true,"orders":{"1":[0]}}', wait_result: true }));
    expect(res.status).toBe(409);
    expect(callsOf("dh-orders")).toEqual(["TransOut:01:action"]);
    await dtm.post("resetNextCronTime", { gid: "dh-orders" });
    await dtm.waitFor("dh-orders", (t) => t.status === "succeed", 5000);
    expect(callsOf("dh-orders")).toEqual(["TransOut:01:action", "TransOut:01:action", "TransIn:02:action"]);
    expect((await dtm.query("dh-orders")).transaction).toMatchObject({ concurrent: true, custom_data: '{"concurrent":true,"orders":{"1":[0]}}' });
  });

  it("old clients' steps[].data payloads work like payloads", async () => {
    const res = await dtm.post("submit", {
      gid: "dh-compat",
      trans_type: "saga",
      wait_result: true,
      steps: [{ action: bank.target("TransOut"), compensate: bank.target("TransOutRevert"), data: '{"amount":7}' }],
    });
    expect(res.status).toBe(200);
    expect(bank.calls("TransOut")[0]!.body.toString()).toBe('{"amount":7}');
  });

  it("a submit repeats dtm's way: a submitted saga runs again now, a finished one is refused", async () => {
    bank.failNext("TransOut", "too-early");
    expect((await dtm.post("submit", saga("dh-repeat"))).status).toBe(200);
    await bank.waitForCalls("TransOut", 1);
    await dtm.waitFor("dh-repeat", (t) => t.lease_owner === "");
    expect((await dtm.post("submit", saga("dh-repeat", { wait_result: true }))).status).toBe(200);
    expect((await dtm.query("dh-repeat")).transaction?.status).toBe("succeed");
    const again = await dtm.post("submit", saga("dh-repeat"));
    expect(again).toMatchObject({ status: 409, json: { dtm_result: "FAILURE", message: expect.stringContaining("succeeded") } });
  });

  it("forceStop fails an unfinished transaction at once; a finished one answers 409", async () => {
    bank.failNext("TransOut", "too-early");
    await dtm.post("submit", saga("dh-force", { wait_result: true }));
    expect((await dtm.post("forceStop", { gid: "dh-force" })).status).toBe(200);
    expect((await dtm.query("dh-force")).transaction).toMatchObject({ status: "failed", rollback_reason: expect.stringContaining("forceStop") });
    expect((await dtm.post("forceStop", { gid: "dh-force" })).status).toBe(409);
  });

  it("a msg prepared, prepared again and submitted runs every action; a prepare or submit after that is refused", async () => {
    expect((await dtm.post("prepare", msg("dh-msg"))).status).toBe(200);
    expect((await dtm.post("prepare", msg("dh-msg"))).status).toBe(200);
    expect((await dtm.query("dh-msg")).transaction?.status).toBe("prepared");
    expect((await dtm.post("submit", msg("dh-msg"))).status).toBe(200);
    await dtm.waitFor("dh-msg", (t) => t.status === "succeed", 5000);
    expect(await dtm.branchStatuses("dh-msg")).toEqual(["succeed", "succeed"]);
    expect((await dtm.post("prepare", msg("dh-msg"))).status).toBe(409);
    expect((await dtm.post("submit", msg("dh-msg"))).status).toBe(409);
  });

  it("a prepared msg left past timeout_to_fail is back-checked with GET, branch 00, op msg, then submitted", async () => {
    await dtm.post("prepare", msg("dh-backcheck", { timeout_to_fail: 0 }));
    await dtm.waitFor("dh-backcheck", (t) => t.status === "succeed", 8000);
    expect(bank.calls("QueryPrepared").find((call) => call.gid === "dh-backcheck")).toMatchObject({ httpMethod: "GET", branchId: "00", op: "msg", transType: "msg" });
  });

  it("an aborted msg is dropped; a tcc abort stores the client's reason verbatim and cancels", async () => {
    await dtm.post("prepare", msg("dh-msg-abort"));
    expect((await dtm.post("abort", { gid: "dh-msg-abort", trans_type: "msg" })).status).toBe(200);
    expect((await dtm.query("dh-msg-abort")).transaction?.status).toBe("failed");

    await dtm.post("prepare", { gid: "dh-tcc-abort", trans_type: "tcc", timeout_to_fail: 30 });
    const reg = { gid: "dh-tcc-abort", trans_type: "tcc", branch_id: "01", data: '{"amount":5}', confirm: bank.target("Confirm"), cancel: bank.target("Cancel") };
    expect((await dtm.post("registerTccBranch", reg)).status).toBe(200);
    expect((await dtm.post("abort", { gid: "dh-tcc-abort", trans_type: "tcc", rollback_reason: "reason: FAILURE from try" })).status).toBe(200);
    await dtm.waitFor("dh-tcc-abort", (t) => t.status === "failed", 5000);
    expect((await dtm.query("dh-tcc-abort")).transaction?.rollback_reason).toBe("reason: FAILURE from try");
    expect(await dtm.branchStatuses("dh-tcc-abort")).toEqual(["succeed", "prepared"]);
    expect(bank.calls("Cancel")[0]).toMatchObject({ httpMethod: "POST", op: "cancel", branchId: "01" });
    expect(bank.calls("Cancel")[0]!.body.toString()).toBe('{"amount":5}');
  });

  it("a tcc registers its branches, and submit confirms them in reverse registration order", async () => {
    expect((await dtm.post("prepare", { gid: "dh-tcc", trans_type: "tcc", timeout_to_fail: 30 })).status).toBe(200);
    for (const id of ["01", "02"]) {
      const reg = { gid: "dh-tcc", trans_type: "tcc", branch_id: id, data: `{"n":"${id}"}`, confirm: bank.target(`Confirm${id}`), cancel: bank.target(`Cancel${id}`) };
      expect((await dtm.post("registerBranch", reg)).status).toBe(200);
    }
    expect((await dtm.post("submit", { gid: "dh-tcc", trans_type: "tcc", wait_result: true })).status).toBe(200);
    expect(callsOf("dh-tcc")).toEqual(["Confirm02:02:confirm", "Confirm01:01:confirm"]);
    expect(await dtm.branchStatuses("dh-tcc")).toEqual(["prepared", "succeed", "prepared", "succeed"]);
    const late = await dtm.post("registerBranch", { gid: "dh-tcc", trans_type: "tcc", branch_id: "03", confirm: bank.target("Confirm"), cancel: "" });
    expect(late).toMatchObject({ status: 409, json: { dtm_result: "FAILURE" } });
    const unknown = await dtm.post("registerBranch", { gid: "dh-nothing", trans_type: "tcc", branch_id: "01" });
    expect(unknown.status).toBe(409);
  });

  it("an xa branch is committed with a POST of an empty body to its url", async () => {
    await dtm.post("prepare", { gid: "dh-xa", trans_type: "xa", timeout_to_fail: 30 });
    expect((await dtm.post("registerXaBranch", { gid: "dh-xa", trans_type: "xa", branch_id: "01", url: bank.target("Xa") })).status).toBe(200);
    expect((await dtm.post("submit", { gid: "dh-xa", trans_type: "xa", wait_result: true })).status).toBe(200);
    expect(bank.calls("Xa")[0]).toMatchObject({ httpMethod: "POST", op: "commit", transType: "xa" });
    expect(bank.calls("Xa")[0]!.body.byteLength).toBe(0);
    expect(await dtm.branchStatuses("dh-xa")).toEqual(["prepared", "succeed"]);
  });

  it("a msg with a delay calls no action before its delay has passed", async () => {
    const res = await dtm.post("submit", msg("dh-delay", { custom_data: '{"delay":1}' }));
    expect(res.status).toBe(200);
    const [out] = await bank.waitForCalls("TransOut", 1, 8000);
    const created = Date.parse((await dtm.query("dh-delay")).transaction!.create_time);
    expect(out!.at).toBeGreaterThanOrEqual(created + 1000 - 50);
    await dtm.waitFor("dh-delay", (t) => t.status === "succeed", 5000);
  });

  it("a msg published to a topic fans out to every subscriber when stored; a topic without subscribers is refused", async () => {
    for (const name of ["SubA", "SubB"]) expect((await dtm.get("subscribe", { topic: `orders-${dialect}`, url: bank.target(name), remark: "test" })).status).toBe(200);
    const res = await dtm.post("submit", { ...msg("dh-topic"), steps: [{ action: `topic://orders-${dialect}` }], payloads: ['{"id":1}'] });
    expect(res.status).toBe(200);
    await dtm.waitFor("dh-topic", (t) => t.status === "succeed", 5000);
    expect((await dtm.query("dh-topic")).branches.map((b) => `${b.branch_id}:${b.url}`)).toEqual([`01-01:${bank.target("SubA")}`, `01-02:${bank.target("SubB")}`]);
    expect(bank.calls("SubB")[0]!.body.toString()).toBe('{"id":1}');

    const none = await dtm.post("submit", { ...msg("dh-topic-none"), steps: [{ action: "topic://nobody-listens" }], payloads: ["{}"] });
    expect(none).toMatchObject({ status: 409, json: { message: expect.stringContaining("topic not found") } });
    expect((await dtm.query("dh-topic-none")).transaction).toBeUndefined();
  });

  it("topics: subscribe, unsubscribe and delete, versioned, with dtm's KV views and its errors", async () => {
    const topic = `kv-${dialect}`;
    expect((await dtm.get("subscribe", { topic, url: "http://svc-a/x", remark: "a" })).status).toBe(200);
    expect((await dtm.get("subscribe", { topic, url: "http://svc-b/x" })).status).toBe(200);
    expect((await dtm.get("subscribe", { topic, url: "http://svc-a/x" })).status).not.toBe(200);
    expect((await dtm.get("subscribe", { topic: "", url: "http://svc-a/x" })).status).toBe(500);
    expect((await dtm.get("subscribe", { topic, url: "" })).status).toBe(500);
    expect((await dtm.get("unsubscribe", { topic, url: "http://svc-a/x" })).status).toBe(200);
    expect((await dtm.get("unsubscribe", { topic, url: "http://svc-a/x" })).status).not.toBe(200);
    expect((await dtm.get("unsubscribe", { topic: "no-such-topic", url: "http://svc-a/x" })).status).not.toBe(200);
    const kv = (await dtm.get("queryKV", { cat: "topics", key: topic })).json.kv;
    expect(kv).toEqual([expect.objectContaining({ cat: "topics", k: topic, v: '[{"url":"http://svc-b/x","remark":""}]', version: 3 })]);
    expect((await dtm.get("queryKV", { cat: "topics", key: "no-such-topic" })).json).toEqual({ kv: [] });
    const del = await fetch(`${dtm.server}/topic/${topic}`, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect((await fetch(`${dtm.server}/topic/${topic}`, { method: "DELETE" })).status).not.toBe(200);
  });

  it("concurrent subscribes to one topic all land, one version each", async () => {
    const topic = `busy-${dialect}`;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => dtm.get("subscribe", { topic, url: `http://svc/${i}` })));
    expect(results.map((r) => r.status)).toEqual(Array<number>(20).fill(200));
    const [row] = (await dtm.get("queryKV", { cat: "topics", key: topic })).json.kv;
    expect(row.version).toBe(20);
    expect(JSON.parse(row.v)).toHaveLength(20);
  });

  it("scanKV pages through topics by position", async () => {
    for (const i of [1, 2, 3]) await dtm.get("subscribe", { topic: `scan-${dialect}-${i}`, url: "http://svc/x" });
    const seen: string[] = [];
    let position = "";
    for (let page = 0; page < 100; page++) {
      const res = (await dtm.get("scanKV", { cat: "topics", limit: "1", ...(position ? { position } : {}) })).json;
      seen.push(...res.kv.map((r: { k: string }) => r.k));
      position = res.next_position;
      if (position === "") break;
    }
    expect(seen.filter((k) => k.startsWith(`scan-${dialect}-`))).toEqual([1, 2, 3].map((i) => `scan-${dialect}-${i}`));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("/all lists newest first, pages by next_position to an empty one, and filters by status, type and creation time", async () => {
    const start = Date.now();
    for (const i of [0, 1, 2]) await dtm.post("submit", msg(`dh-all-${i}`, { wait_result: true }));
    const first = (await dtm.get("all", { limit: "1" })).json;
    expect(first.transactions).toHaveLength(1);
    expect(first.transactions[0].gid).toBe("dh-all-2");
    expect(first.next_position).not.toBe("");
    const second = (await dtm.get("all", { limit: "1", position: first.next_position })).json;
    expect(second.transactions[0].gid).toBe("dh-all-1");
    expect(second.next_position).not.toBe(first.next_position);
    const rest = (await dtm.get("all", { limit: "1000", position: first.next_position })).json;
    expect(rest.next_position).toBe("");
    const filtered = (await dtm.get("all", { status: "succeed", transType: "msg", createTimeStart: String(start - 60_000), createTimeEnd: String(Date.now() + 60_000) })).json;
    expect(filtered.transactions.map((t: { gid: string }) => t.gid)).toEqual(expect.arrayContaining(["dh-all-0", "dh-all-1", "dh-all-2"]));
    for (const t of filtered.transactions) expect(t).toMatchObject({ trans_type: "msg", status: "succeed" });
    expect((await dtm.get("all", { gid: "dh-all-1" })).json.transactions).toHaveLength(1);
    const old = (await dtm.get("all", { createTimeEnd: String(start - 3_600_000) })).json;
    expect(old).toEqual({ transactions: [], next_position: "" });
    expect((await dtm.get("all", { position: "not-a-position" })).json).toMatchObject({ code: "invalid_argument", message: expect.stringContaining("position") });
  });

  it("resetCronTime makes transactions due far ahead due now and says how many", async () => {
    bank.failNext("TransOut", "error");
    await dtm.post("submit", saga("dh-reset-cron", { retry_interval: 3600 }));
    await dtm.waitFor("dh-reset-cron", (t) => (t.attempts as number) >= 1 && t.lease_owner === "");
    const res = (await dtm.get("resetCronTime", { timeout: "60", limit: "100" })).json;
    expect(res).toMatchObject({ has_remaining: false, succeed_count: expect.any(Number) });
    expect(res.succeed_count).toBeGreaterThanOrEqual(1);
    await dtm.waitFor("dh-reset-cron", (t) => t.status === "succeed", 5000);
  });

  it("/query: an empty gid is a 500, an unknown one a null transaction", async () => {
    expect((await dtm.get("query", { gid: "" })).status).toBe(500);
    expect((await dtm.get("query", { gid: "no-such-gid" })).json).toEqual({ transaction: null, branches: [] });
  });

  it("a branch URL that never answers is cut at request_timeout and retried; its attempts and error are recorded", async () => {
    bank.setDefault("TransOut", "hang");
    await dtm.post("submit", saga("dh-hang", { request_timeout: 1 }));
    const tx = await dtm.waitFor("dh-hang", (t) => (t.attempts as number) >= 1 && t.lease_owner === "", 8000);
    expect(tx.status).toBe("submitted");
    const got = await c.client.getTransaction({ gid: "dh-hang" });
    expect(got.transaction?.branches.find((b) => b.branchId === "01")?.lastError).toBe("DeadlineExceeded: branch call timed out");
    await dtm.post("forceStop", { gid: "dh-hang" });
  });

  it("bad input answers dtm's 500 naming the field, and stores nothing", async () => {
    const cases: [unknown, RegExp][] = [
      ["{not json", /^body: malformed JSON/],
      [{ gid: "bad-1", trans_type: "sagas", steps: [] }, /^trans_type: unknown "sagas"/],
      [{ gid: "bad-2", trans_type: "saga", steps: "x" }, /^steps: expected a JSON array/],
      [{ gid: "bad-3", trans_type: "saga", steps: [{ action: "not a url" }], payloads: ["{}"] }, /^steps\[0\]\.action: /],
      [{ gid: "bad-4", trans_type: "saga", steps: [{ action: bank.target("A") }, { action: bank.target("B") }], payloads: ["{}"] }, /^payloads: 1 given for 2 steps/],
      [{ gid: "bad-5", trans_type: "saga", steps: [{ action: bank.target("A") }], branch_headers: { a: 1, b: {} } }, /^branch_headers\.b: expected a string/],
      [{ gid: "bad-6", trans_type: "saga", steps: [{ action: bank.target("A") }], timeout_to_fail: -1 }, /^timeout_to_fail: expected a whole number/],
      [{ gid: "bad 7", trans_type: "saga", steps: [{ action: bank.target("A") }] }, /^gid: only letters/],
      [{ gid: "bad-8", trans_type: "saga", steps: [{ action: bank.target("A") }], custom_data: "{" }, /^custom_data: /],
      [{ gid: "bad-9", trans_type: "saga", steps: [{ action: bank.target("A") }], custom_data: '{"concurrent":true,"orders":{"0":[0]}}' }, /^steps\[0\]\.after: 0 points at the step itself/],
      [{ gid: "bad-10", trans_type: "msg", steps: [{ action: "topic://bad topic" }] }, /^steps\[0\]\.action: a topic name/],
    ];
    for (const [body, message] of cases) {
      const res = await dtm.post("submit", body);
      expect(res.status, JSON.stringify(body)).toBe(500);
      expect(res.json, JSON.stringify(body)).toMatchObject({ code: "invalid_argument", message: expect.stringMatching(message) });
    }
    for (const gid of ["bad-1", "bad-2", "bad-3", "bad-4", "bad-5", "bad-6", "bad-8", "bad-9", "bad-10"]) expect((await dtm.query(gid)).transaction).toBeUndefined();
    const workflow = await dtm.post("prepareWorkflow", { gid: "wf-1", trans_type: "workflow" });
    expect(workflow).toMatchObject({ status: 500, json: { code: "invalid_argument", message: expect.stringMatching(/^custom_data: /) } });
  });

  it("answers 404 for an unknown operation and 405 for a wrong method", async () => {
    expect((await dtm.get("nonsense")).status).toBe(404);
    const res = await dtm.get("submit");
    expect(res.status).toBe(405);
  });

  it("/api/metrics is Prometheus text counting what ran", async () => {
    await dtm.post("submit", saga("dh-metrics", { wait_result: true }));
    const res = await fetch(`http://127.0.0.1:${c.httpPort}/api/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/concord_transactions_finished_total\{mode="saga",status="succeeded"\} [1-9]/);
    expect(text).toMatch(/concord_branch_calls_total\{op="action",outcome="success",service="127\.0\.0\.1:\d+"\} [1-9]/);
    expect(text).toContain("process_cpu_user_seconds_total");
  });
});
