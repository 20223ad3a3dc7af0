/**
 * Bad input: a clear INVALID_ARGUMENT naming the field, over gRPC and Connect JSON, never a
 * crash, and nothing stored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { Mode, TransactionStatus } from "../src/client/index.js";
import type { SubmitRequest } from "../src/client/index.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { SubmitRequestSchema } from "../gen/ts/concord/v1/coordinator_service_pb.js";
import { startTestCoordinator } from "./support/coordinator.js";
import type { TestCoordinator } from "./support/coordinator.js";

type SubmitInit = MessageInitShape<typeof SubmitRequestSchema>;
const target = "127.0.0.1:50051/bank.v1.BankService/TransOut";
const step = { action: target, compensate: target, payload: new Uint8Array([1]) };
const sagaOf = (steps: SubmitInit extends { spec?: infer _ } ? unknown[] : never, concurrent = false): SubmitInit["spec"] =>
  ({ case: "saga", value: { steps, concurrent } }) as SubmitInit["spec"];

describe("bad input", () => {
  let c: TestCoordinator;
  beforeAll(async () => {
    c = await startTestCoordinator("postgres");
  });
  afterAll(async () => {
    await c?.stop();
  });

  const cases: [string, SubmitInit, string][] = [
    ["a missing gid", { gid: "", mode: Mode.SAGA, spec: sagaOf([step]) }, "gid"],
    ["a gid with a slash", { gid: "a/b", mode: Mode.SAGA, spec: sagaOf([step]) }, "gid"],
    ["a gid over 64 characters", { gid: "g".repeat(65), mode: Mode.SAGA, spec: sagaOf([step]) }, "gid"],
    ["a missing mode", { gid: "bad-mode", spec: sagaOf([step]) }, "mode"],
    ["a saga without steps", { gid: "bad-nosteps", mode: Mode.SAGA, spec: sagaOf([]) }, "saga.steps"],
    ["a saga without a saga body", { gid: "bad-nobody", mode: Mode.SAGA }, "saga"],
    ["a malformed action target", { gid: "bad-target", mode: Mode.SAGA, spec: sagaOf([{ ...step, action: "localhost/Method" }]) }, "saga.steps[0].action"],
    ["a malformed compensate target", { gid: "bad-comp", mode: Mode.SAGA, spec: sagaOf([step, { ...step, compensate: "x:99999/a.B/C" }]) }, "saga.steps[1].compensate"],
    ["an after pointing at its own step", { gid: "bad-after-self", mode: Mode.SAGA, spec: sagaOf([step, { ...step, after: [1] }], true) }, "saga.steps[1].after"],
    ["an after pointing forward", { gid: "bad-after-fwd", mode: Mode.SAGA, spec: sagaOf([{ ...step, after: [1] }, step], true) }, "saga.steps[0].after"],
    ["a payload over the limit", { gid: "bad-payload", mode: Mode.SAGA, spec: sagaOf([{ ...step, payload: new Uint8Array(1024 * 1024 + 1) }]) }, "saga.steps[0].payload"],
    ["headers over the size limit", { gid: "bad-headers", mode: Mode.SAGA, spec: sagaOf([{ ...step, headers: { "x-big": "v".repeat(9000) } }]) }, "saga.steps[0].headers"],
    ["a header key with upper case", { gid: "bad-hkey", mode: Mode.SAGA, options: { branchHeaders: { "X-Tenant": "a" } }, spec: sagaOf([step]) }, "options.branch_headers"],
    ["a header that would override dtm metadata", { gid: "bad-dtm", mode: Mode.SAGA, options: { branchHeaders: { "dtm-gid": "x" } }, spec: sagaOf([step]) }, "options.branch_headers"],
    // HTTP/2 and undici refuse connection-specific headers before sending: such a branch could never be called.
    ["a connection-specific header", { gid: "bad-keepalive", mode: Mode.SAGA, options: { branchHeaders: { "keep-alive": "5" } }, spec: sagaOf([step]) }, "options.branch_headers"],
    ["a transfer-encoding step header", { gid: "bad-te", mode: Mode.SAGA, spec: sagaOf([{ ...step, headers: { "transfer-encoding": "chunked" } }]) }, "saga.steps[0].headers"],
    ["a negative request timeout", { gid: "bad-timeout", mode: Mode.SAGA, options: { requestTimeout: { seconds: -1n } }, spec: sagaOf([step]) }, "options.request_timeout"],
    ["a backoff multiplier below 1", { gid: "bad-mult", mode: Mode.SAGA, options: { retry: { backoffMultiplier: 0.5 } }, spec: sagaOf([step]) }, "options.retry.backoff_multiplier"],
    ["custom data over the limit", { gid: "bad-custom", mode: Mode.SAGA, customData: "x".repeat(64 * 1024 + 1), spec: sagaOf([step]) }, "custom_data"],
    ["a msg with a saga body", { gid: "bad-msg", mode: Mode.MSG, spec: sagaOf([step]) }, "saga"],
  ];

  it.each(cases)("Submit with %s is INVALID_ARGUMENT naming the field, and nothing is stored", async (_name, req, field) => {
    const err = ConnectError.from(await c.client.submit(req as SubmitRequest).catch((e: unknown) => e));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage.startsWith(`${field}`)).toBe(true);
    if (req.gid && req.gid.length <= 64 && /^[\w.:-]+$/.test(req.gid)) {
      const missing = ConnectError.from(await c.client.getTransaction({ gid: req.gid }).catch((e: unknown) => e));
      expect(missing.code).toBe(Code.NotFound);
    }
  });

  const rejection = async (call: Promise<unknown>) => ConnectError.from(await call.then(() => undefined, (e: unknown) => e));

  it("a mode number this server does not know is reported as unknown, not as missing", async () => {
    const err = await rejection(c.client.submit({ gid: "bad-mode-7", mode: 7 as Mode, spec: sagaOf([step]) } as SubmitRequest));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toBe("mode: unknown value 7 (MODE_SAGA, MODE_MSG, MODE_TCC, MODE_XA or MODE_WORKFLOW)");
    const missing = await rejection(c.client.submit({ gid: "bad-mode-0", spec: sagaOf([step]) } as SubmitRequest));
    expect(missing.rawMessage).toBe("mode: required (MODE_SAGA, MODE_MSG, MODE_TCC, MODE_XA or MODE_WORKFLOW)");
  });

  const durations: [string, SubmitInit, string][] = [
    ["a 1 µs step request_timeout", { gid: "bad-step-us", mode: Mode.SAGA, spec: sagaOf([{ ...step, requestTimeout: { nanos: 1000 } }]) }, "saga.steps[0].request_timeout: must be at least 1ms"],
    ["a 0s step request_timeout", { gid: "bad-step-0", mode: Mode.SAGA, spec: sagaOf([{ ...step, requestTimeout: {} }]) }, "saga.steps[0].request_timeout: must be more than 0"],
    ["a 0s request_timeout", { gid: "bad-req-0", mode: Mode.SAGA, options: { requestTimeout: {} }, spec: sagaOf([step]) }, "options.request_timeout: must be more than 0"],
    ["a 0s retry initial_interval", { gid: "bad-init-0", mode: Mode.SAGA, options: { retry: { initialInterval: { seconds: 0n } } }, spec: sagaOf([step]) }, "options.retry.initial_interval: must be more than 0"],
    ["a 0s retry max_interval", { gid: "bad-max-0", mode: Mode.SAGA, options: { retry: { maxInterval: {} } }, spec: sagaOf([step]) }, "options.retry.max_interval: must be more than 0"],
    ["a 500 µs retry initial_interval", { gid: "bad-init-us", mode: Mode.SAGA, options: { retry: { initialInterval: { nanos: 500_000 } } }, spec: sagaOf([step]) }, "options.retry.initial_interval: must be at least 1ms"],
    ["a 0s timeout_to_fail on a msg", { gid: "bad-msg-ttf", mode: Mode.MSG, options: { timeoutToFail: {} }, spec: { case: "msg", value: { steps: [{ action: target }] } } }, "options.timeout_to_fail: must be more than 0"],
  ];

  it.each(durations)("Submit with %s is INVALID_ARGUMENT naming the field, never the default in its place", async (_name, req, message) => {
    for (const client of [c.client, c.connectClient]) {
      const err = await rejection(client.submit(req as SubmitRequest));
      expect(err.code).toBe(Code.InvalidArgument);
      expect(err.rawMessage.startsWith(message)).toBe(true);
    }
    expect((await rejection(c.client.getTransaction({ gid: req.gid! }))).code).toBe(Code.NotFound);
  });

  it("Prepare of a tcc with a 0s timeout_to_fail is INVALID_ARGUMENT: a prepared transaction always times out", async () => {
    const err = await rejection(c.client.prepare({ gid: "bad-tcc-ttf", mode: Mode.TCC, options: { timeoutToFail: { seconds: 0n } } }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toMatch(/^options\.timeout_to_fail: must be more than 0/);
  });

  it("a saga's explicit 0s timeout_to_fail means no timeout", async () => {
    const res = await c.client.submit({ gid: "saga-no-ttf", mode: Mode.SAGA, options: { timeoutToFail: {}, waitResult: true }, spec: sagaOf([{ action: "", compensate: "" }]) } as SubmitRequest);
    expect(res.transaction?.status).toBe(TransactionStatus.SUCCEEDED);
    const stored = await c.coordinator.store.getTransaction("saga-no-ttf");
    expect(stored?.options.timeoutToFailMs).toBe(0);
    expect(stored?.failAt).toBeNull();
  });

  it("Prepare of a msg without query_prepared is INVALID_ARGUMENT", async () => {
    const err = ConnectError.from(
      await c.client.prepare({ gid: "bad-prepare", mode: Mode.MSG, msg: { steps: [{ action: target }] } }).catch((e: unknown) => e),
    );
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toMatch(/^msg.query_prepared/);
  });

  it("GetTransaction of an unknown gid is NOT_FOUND", async () => {
    const err = ConnectError.from(await c.client.getTransaction({ gid: "nope" }).catch((e: unknown) => e));
    expect(err.code).toBe(Code.NotFound);
  });

  it("malformed JSON gets a 4xx answer and the server keeps serving", async () => {
    const url = `http://127.0.0.1:${c.httpPort}/concord.v1.CoordinatorService/Submit`;
    for (const body of ["{not json", '{"gid": 5, "mode": "MODE_NOPE"}', '{"saga": {"steps": "x"}}']) {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(((await res.json()) as { code: string }).code).toBe("invalid_argument");
    }
    const ok = await fetch(`http://127.0.0.1:${c.httpPort}/concord.v1.CoordinatorService/NewGid`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(ok.status).toBe(200);
  });

  it("malformed protobuf is an error answer, not a crash", async () => {
    const res = await fetch(`http://127.0.0.1:${c.httpPort}/concord.v1.CoordinatorService/Submit`, {
      method: "POST",
      headers: { "content-type": "application/proto" },
      body: new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]),
    });
    // A body that is not a protobuf message is the client's mistake: invalid_argument, not internal.
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe("invalid_argument");
    expect(body.message).toMatch(/parse binary/);
    expect((await c.client.newGid({})).gid).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
