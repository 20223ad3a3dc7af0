import { describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { registerInput, transactionInput, type DtmDefaults } from "./translate.js";
import type { DtmTrans } from "./wire.js";
import { transFromJson } from "./wire.js";

const defaults: DtmDefaults = {
  requestTimeoutMs: 3000,
  timeoutToFailMs: 35_000,
  retry: { initialIntervalMs: 1000, maxIntervalMs: 60_000, backoffMultiplier: 2, maxAttempts: 0 },
  dtmRetryIntervalMs: 10_000,
};
const saga = (extra: Record<string, unknown> = {}): DtmTrans =>
  transFromJson({ gid: "g1", trans_type: "saga", steps: [{ action: "http://busi/a", compensate: "http://busi/b" }], payloads: ["{}"], ...extra });
const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConnectError) return `${Code[e.code]}: ${e.rawMessage}`;
    throw e;
  }
  return "accepted";
};

describe("dtm requests as Concord inputs", () => {
  it("takes dtm's retry model: its retry_interval, a shorter timeout, or the server's dtm default, doubling, no attempt cap", () => {
    expect(transactionInput(saga(), defaults, { preparing: false }).options.retry).toEqual({ initialIntervalMs: 10_000, maxIntervalMs: 3_600_000, backoffMultiplier: 2, maxAttempts: 0 });
    expect(transactionInput(saga({ retry_interval: 150 }), defaults, { preparing: false }).options.retry.initialIntervalMs).toBe(150_000);
    expect(transactionInput(saga({ timeout_to_fail: 4 }), defaults, { preparing: false }).options).toMatchObject({ timeoutToFailMs: 4000, retry: { initialIntervalMs: 4000 } });
  });

  it("keeps dtm's other options: seconds to ms, lowercase header names, retry_limit, and the same-gid repeat rule", () => {
    const input = transactionInput(saga({ wait_result: true, request_timeout: 6, branch_headers: { Test_Header: "x" }, retry_limit: 3 }), defaults, { preparing: false });
    expect(input.options).toMatchObject({ waitResult: true, requestTimeoutMs: 6000, branchHeaders: { test_header: "x" }, retryLimit: 3, timeoutToFailMs: 0 });
    expect(input.sameTransaction).toBe("gid");
    // A tcc always times out: the server's default when it sets none.
    expect(transactionInput(transFromJson({ gid: "t", trans_type: "tcc" }), defaults, { preparing: true }).options.timeoutToFailMs).toBe(35_000);
  });

  it("reads a saga's concurrency and orders, and a msg's delay, from custom_data", () => {
    const two = { steps: [{ action: "http://busi/a" }, { action: "http://busi/b" }], payloads: ["{}", "{}"] };
    const s = transactionInput(saga({ ...two, custom_data: '{"concurrent":true,"orders":{"1":[0]}}' }), defaults, { preparing: false });
    expect(s.spec).toMatchObject({ concurrent: true, steps: [{ after: [] }, { after: [0] }] });
    const m = transactionInput(transFromJson({ gid: "m", trans_type: "msg", ...two, custom_data: '{"delay":7}' }), defaults, { preparing: false });
    expect(m.spec?.delayMs).toBe(7000);
  });

  it("stores a json-rpc transaction's URLs that name a method as JSON-RPC targets, the others as HTTP", () => {
    const m = transactionInput(
      transFromJson({ gid: "m", trans_type: "msg", protocol: "json-rpc", steps: [{ action: "http://busi/a" }, { action: "http://busi/rpc?method=In" }], payloads: ["{}", "{}"] }),
      defaults,
      { preparing: false },
    );
    expect(m.spec?.steps.map((s) => s.action)).toEqual(["http://busi/a", "json-rpc+http://busi/rpc?method=In"]);
    const tcc = registerInput({ gid: "t", transType: "tcc", branchId: "01", data: { confirm: "http://busi/c?method=C", cancel: "http://busi/x" }, payload: new Uint8Array(0) }, "json-rpc");
    expect(tcc.registration).toEqual({ mode: "tcc", confirm: "json-rpc+http://busi/c?method=C", cancel: "http://busi/x" });
  });

  it("refuses what dtm would choke on, naming dtm's field", () => {
    expect(refusal(() => transactionInput(saga({ trans_type: "" }), defaults, { preparing: false }))).toBe("InvalidArgument: trans_type: required (saga, msg, tcc, xa or workflow)");
    expect(refusal(() => transactionInput(saga({ trans_type: "workflow" }), defaults, { preparing: false }))).toBe(
      "InvalidArgument: trans_type: a workflow is stored with prepareWorkflow and ended with submit (req_extra)",
    );
    expect(refusal(() => transactionInput(saga({ retry_limit: 1001 }), defaults, { preparing: false }))).toBe("InvalidArgument: retry_limit: at most 1000");
    expect(refusal(() => transactionInput(saga({ custom_data: '{"orders":{"5":[0]}}' }), defaults, { preparing: false }))).toBe('InvalidArgument: custom_data.orders["5"]: there are 1 steps');
    expect(refusal(() => transactionInput(saga({ custom_data: "[]" }), defaults, { preparing: false }))).toMatch(/^InvalidArgument: custom_data: /);
    expect(refusal(() => transactionInput(saga({ steps: [] }), defaults, { preparing: false }))).toBe("InvalidArgument: steps: at least one step is required");
    expect(refusal(() => transactionInput(transFromJson({ gid: "t", trans_type: "tcc", steps: [{ action: "http://a/b" }] }), defaults, { preparing: false }))).toBe(
      "InvalidArgument: steps: not allowed for a tcc",
    );
    expect(refusal(() => registerInput({ gid: "x", transType: "xa", branchId: "01", data: {}, payload: new Uint8Array(0) }, "http"))).toBe("InvalidArgument: url: required for an xa branch");
    expect(refusal(() => registerInput({ gid: "x", transType: "saga", branchId: "01", data: {}, payload: new Uint8Array(0) }, "http"))).toMatch(/^InvalidArgument: trans_type: saga transactions register no branches/);
    expect(refusal(() => transFromJson({ gid: "g", trans_type: "saga", protocol: "soap" }))).toBe('InvalidArgument: protocol: unknown "soap"; expected http, grpc, json-rpc');
    expect(refusal(() => transFromJson([]))).toBe("InvalidArgument: body: expected a JSON object");
  });
});
