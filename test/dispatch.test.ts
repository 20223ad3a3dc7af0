import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Code } from "@connectrpc/connect";
import {
  createDispatcher,
  createGrpcTransport,
  createHttpTransport,
  type BranchCall,
  type BranchTransport,
  type Dispatcher,
} from "../src/dispatch/index.js";
import { createLogger } from "../src/logger.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";
import { startFakeHttpBank, type FakeHttpBank } from "./support/fake-http-bank.js";
import { loopbackPolicy } from "./support/outbound.js";

let bank: FakeBank;
let httpBank: FakeHttpBank;
let dispatcher: Dispatcher | undefined;

beforeAll(async () => {
  bank = await startFakeBank({ slowMs: 1500 });
  httpBank = await startFakeHttpBank();
});
afterAll(async () => {
  await bank.stop();
  await httpBank.stop();
});
afterEach(() => {
  dispatcher?.close();
  dispatcher = undefined;
  bank.reset();
  httpBank.reset();
});

function branchCall(method: string, overrides: Partial<BranchCall> = {}): BranchCall {
  return {
    target: bank.target(method),
    payload: new TextEncoder().encode(`${method} payload`),
    metadata: { "dtm-gid": "gid-1", "dtm-branch_id": "01", "dtm-op": "action", "dtm-trans_type": "saga" },
    timeoutMs: 2000,
    ...overrides,
  };
}

function useDispatcher(options: Parameters<typeof createDispatcher>[0] = {}): Dispatcher {
  dispatcher = createDispatcher({ outboundPolicy: loopbackPolicy(), ...options });
  return dispatcher;
}

describe("dispatcher over real gRPC", () => {
  it("returns the echoed bytes on success and the branch receives the metadata", async () => {
    const d = useDispatcher();
    const call = branchCall("TransOut", { metadata: { "dtm-gid": "g-42", "dtm-branch_id": "02", "dtm-op": "compensate", "dtm-trans_type": "saga", "x-tenant": "acme" } });
    const outcome = await d.call(call);
    expect(outcome).toEqual({ kind: "success", response: call.payload });
    const [received] = bank.calls("TransOut");
    expect(received).toMatchObject({ method: "TransOut", gid: "g-42", branchId: "02", op: "compensate", transType: "saga" });
    expect(received?.metadata["x-tenant"]).toBe("acme");
    expect(new Uint8Array(received!.payload)).toEqual(call.payload);
  });

  it("reuses one channel per address across calls", async () => {
    const d = useDispatcher();
    const outcomes = await Promise.all([d.call(branchCall("TransOut")), d.call(branchCall("TransIn")), d.call(branchCall("TransOut"))]);
    expect(outcomes.map((o) => o.kind)).toEqual(["success", "success", "success"]);
    expect(bank.count("TransOut")).toBe(2);
    expect(bank.count("TransIn")).toBe(1);
    // One channel is one connection: every call came from the same client port.
    expect(new Set(bank.calls().map((call) => call.peer)).size).toBe(1);
  });

  it("succeeds without any call for an empty target", async () => {
    const d = useDispatcher();
    expect(await d.call(branchCall("TransOut", { target: "" }))).toEqual({ kind: "success", response: new Uint8Array(0) });
    expect(bank.calls()).toHaveLength(0);
  });

  it("answers unknown InvalidArgument for a malformed target instead of throwing", async () => {
    const d = useDispatcher();
    const outcome = await d.call(branchCall("TransOut", { target: "not a target" }));
    expect(outcome).toMatchObject({ kind: "unknown", code: Code.InvalidArgument });
  });

  it("answers unknown InvalidArgument for metadata gRPC cannot carry", async () => {
    const d = useDispatcher();
    const outcome = await d.call(branchCall("TransOut", { metadata: { "Bad Key": "x" } }));
    expect(outcome).toMatchObject({ kind: "unknown", code: Code.InvalidArgument });
    expect(bank.calls()).toHaveLength(0);
  });

  it("reports ABORTED as a failure", async () => {
    const d = useDispatcher();
    bank.failNext("TransOut", "failure");
    expect(await d.call(branchCall("TransOut"))).toEqual({ kind: "failure", message: "fake bank: TransOut failure" });
    expect((await d.call(branchCall("TransOut"))).kind).toBe("success");
  });

  it("reports FAILED_PRECONDITION as ongoing", async () => {
    const d = useDispatcher();
    bank.failNext("QueryPrepared", "ongoing");
    expect(await d.call(branchCall("QueryPrepared"))).toEqual({ kind: "ongoing", message: "fake bank: QueryPrepared ongoing" });
  });

  it("reports UNAVAILABLE and INTERNAL as unknown with their codes", async () => {
    const d = useDispatcher();
    bank.failNext("TransIn", "unavailable");
    bank.failNext("TransIn", "internal");
    expect(await d.call(branchCall("TransIn"))).toMatchObject({ kind: "unknown", code: Code.Unavailable });
    expect(await d.call(branchCall("TransIn"))).toMatchObject({ kind: "unknown", code: Code.Internal });
  });

  it("reports a branch slower than its 200 ms deadline as unknown DeadlineExceeded", async () => {
    const d = useDispatcher();
    bank.failNext("TransOut", "slow");
    const outcome = await d.call(branchCall("TransOut", { timeoutMs: 200 }));
    expect(outcome).toMatchObject({ kind: "unknown", code: Code.DeadlineExceeded });
  });

  it("answers every call of a method the same way with setDefault", async () => {
    const d = useDispatcher();
    bank.setDefault("Confirm", "failure");
    bank.failNext("Confirm", "ok");
    expect((await d.call(branchCall("Confirm"))).kind).toBe("success");
    expect((await d.call(branchCall("Confirm"))).kind).toBe("failure");
    expect((await d.call(branchCall("Confirm"))).kind).toBe("failure");
    await expect(bank.waitForCalls("Confirm", 3, 1000)).resolves.toHaveLength(3);
  });

  it("answers unknown after close instead of throwing", async () => {
    const d = useDispatcher();
    d.close();
    d.close();
    expect(await d.call(branchCall("TransOut"))).toMatchObject({ kind: "unknown", code: Code.Unavailable });
  });
});

describe("dispatcher over real HTTP", () => {
  function httpCall(name: string, overrides: Partial<BranchCall> = {}): BranchCall {
    return branchCall(name, { target: httpBank.target(name), payload: new TextEncoder().encode(`{"amount":30}`), ...overrides });
  }

  it("POSTs the payload as is with dtm's query parameters, the URL's own, and the other metadata as headers", async () => {
    const d = useDispatcher();
    const call = httpCall("TransOut", {
      target: httpBank.target("TransOut", "tenant=acme"),
      metadata: { "dtm-gid": "g-42", "dtm-branch_id": "02", "dtm-op": "compensate", "dtm-trans_type": "saga", "dtm-dtm": "127.0.0.1:36790", "x-tenant": "acme" },
    });
    expect(await d.call(call)).toEqual({ kind: "success", response: call.payload });
    const [received] = httpBank.calls("TransOut");
    expect(received).toMatchObject({ httpMethod: "POST", path: "/api/TransOut", gid: "g-42", branchId: "02", op: "compensate", transType: "saga" });
    expect(received!.query).toEqual({ tenant: "acme", gid: "g-42", trans_type: "saga", branch_id: "02", op: "compensate" });
    expect(received!.headers).toMatchObject({ "content-type": "application/json", "x-tenant": "acme" });
    expect(Object.keys(received!.headers).filter((k) => k.startsWith("dtm-"))).toEqual([]);
    expect(received!.body.toString()).toBe(`{"amount":30}`);
  });

  it("GETs a call without payload, and POSTs an XA call with an empty body", async () => {
    const d = useDispatcher();
    await d.call(httpCall("QueryPrepared", { payload: new Uint8Array(0) }));
    await d.call(httpCall("Commit", { payload: new Uint8Array(0), metadata: { "dtm-gid": "g-xa", "dtm-branch_id": "01", "dtm-op": "commit", "dtm-trans_type": "xa" } }));
    expect(httpBank.calls().map((c) => [c.name, c.httpMethod, c.body.length])).toEqual([
      ["QueryPrepared", "GET", 0],
      ["Commit", "POST", 0],
    ]);
  });

  it.each([
    ["conflict", "failure", "HTTP 409: "],
    ["failure-body", "failure", "HTTP 200: "],
    ["too-early", "ongoing", "HTTP 425: "],
    ["ongoing-body", "ongoing", "HTTP 200: "],
  ] as const)("reads a %s answer as %s", async (behaviour, kind, message) => {
    const d = useDispatcher();
    httpBank.failNext("TransIn", behaviour);
    expect(await d.call(httpCall("TransIn"))).toEqual({ kind, message: expect.stringContaining(message) });
  });

  it("reads a 500 as unknown, naming the status and the start of the body", async () => {
    const d = useDispatcher();
    httpBank.failNext("TransIn", "error");
    expect(await d.call(httpCall("TransIn"))).toEqual({ kind: "unknown", code: Code.Unknown, message: "HTTP 500: internal error" });
  });

  it("answers unknown DeadlineExceeded when a branch accepts the call but never answers within 200 ms", async () => {
    const d = useDispatcher();
    httpBank.failNext("TransOut", "hang");
    expect(await d.call(httpCall("TransOut", { timeoutMs: 200 }))).toMatchObject({ kind: "unknown", code: Code.DeadlineExceeded });
    expect((await d.call(httpCall("TransOut"))).kind).toBe("success");
  });

  it("keeps at most maxResponseBytes of a body", async () => {
    const d = useDispatcher({ http: { maxResponseBytes: 4 } });
    const outcome = await d.call(httpCall("TransOut", { payload: new TextEncoder().encode("0123456789") }));
    expect(outcome).toEqual({ kind: "success", response: new TextEncoder().encode("0123") });
  });

  it("answers unknown Canceled for a call in flight when the dispatcher closes", async () => {
    const d = useDispatcher();
    httpBank.failNext("TransOut", "hang");
    const pending = d.call(httpCall("TransOut", { timeoutMs: 5000 }));
    await httpBank.waitForCalls("TransOut", 1);
    d.close();
    expect(await pending).toMatchObject({ kind: "unknown", code: Code.Canceled });
  });

  it("answers unknown Unavailable when the connection is refused, and opens the circuit of that origin only", async () => {
    const dead = await startFakeHttpBank();
    await dead.stop();
    const d = useDispatcher({ breakerFailureThreshold: 2, breakerOpenMs: 60_000 });
    for (let i = 0; i < 2; i++) {
      // The stored text names no address or errno; the real error is the outcome's detail, for the log.
      expect(await d.call(httpCall("TransOut", { target: dead.target("TransOut") }))).toMatchObject({
        kind: "unknown",
        code: Code.Unavailable,
        message: "branch service unreachable",
        detail: expect.stringContaining("ECONNREFUSED"),
      });
    }
    expect(await d.call(httpCall("TransIn", { target: dead.target("TransIn") }))).toEqual({ kind: "unknown", code: Code.Unavailable, message: `circuit open for ${dead.address}` });
    expect((await d.call(httpCall("TransOut"))).kind).toBe("success");
  });
});

describe("dispatcher circuit breaking", () => {
  it("opens the circuit of a dead address, fails fast without the network, and closes after a successful probe", async () => {
    let time = 0;
    const d = useDispatcher({
      breakerFailureThreshold: 3,
      breakerOpenMs: 100,
      now: () => time,
      channelOptions: { "grpc.initial_reconnect_backoff_ms": 50, "grpc.max_reconnect_backoff_ms": 100 },
    });
    await bank.stop();
    try {
      for (let i = 0; i < 3; i++) {
        expect(await d.call(branchCall("TransOut"))).toMatchObject({ kind: "unknown", code: Code.Unavailable });
      }
      await bank.restart();
      const fastFail = await d.call(branchCall("TransOut"));
      expect(fastFail).toEqual({ kind: "unknown", code: Code.Unavailable, message: `circuit open for ${bank.address}` });
      expect(bank.count("TransOut")).toBe(0);

      time += 100;
      // The probe waits for the channel to reconnect, within its deadline.
      expect((await d.call(branchCall("TransOut"))).kind).toBe("success");
      expect(bank.count("TransOut")).toBe(1);
      expect((await d.call(branchCall("TransOut"))).kind).toBe("success");
      expect(bank.count("TransOut")).toBe(2);
    } finally {
      await bank.restart();
    }
  });
});

describe("dispatcher logs", () => {
  function collectingLogger(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
    const lines: Record<string, unknown>[] = [];
    return { logger: createLogger("debug", (line) => lines.push(JSON.parse(line) as Record<string, unknown>)), lines };
  }

  it("names the gid, branch and op of the call whose outcome opened a circuit", async () => {
    const { logger, lines } = collectingLogger();
    const d = useDispatcher({ breakerFailureThreshold: 2, breakerOpenMs: 60_000, logger });
    bank.setDefault("TransOut", "unavailable");
    await d.call(branchCall("TransOut", { gid: "g-first", branchId: "01", op: "action" }));
    await d.call(branchCall("TransOut", { gid: "g-opener", branchId: "03", op: "compensate" }));
    const warnings = lines.filter((l) => l["level"] === "warn");
    expect(warnings).toEqual([
      expect.objectContaining({ msg: "circuit open", address: bank.address, from: "closed", gid: "g-opener", branchId: "03", op: "compensate" }),
    ]);
  });

  it("names the gid, branch and op of a call that ended unknown", async () => {
    const { logger, lines } = collectingLogger();
    const d = useDispatcher({ logger });
    bank.failNext("TransIn", "internal");
    await d.call(branchCall("TransIn", { gid: "g-7", branchId: "02", op: "try" }));
    expect(lines.filter((l) => l["msg"] === "branch call unknown")).toEqual([
      expect.objectContaining({ level: "debug", target: bank.target("TransIn"), gid: "g-7", branchId: "02", op: "try", outcome: expect.stringMatching(/^Internal: /) }),
    ]);
  });
});

describe("dispatcher transports", () => {
  it("hands each call to the transport serving its target's scheme and closes it on close", async () => {
    const seen: string[] = [];
    let closes = 0;
    const recording = (inner: BranchTransport): BranchTransport => ({
      schemes: inner.schemes,
      call(target, call, probe) {
        seen.push(`${target.scheme} ${target.address} ${target.scheme === "grpc" ? target.method : target.url}`);
        return inner.call(target, call, probe);
      },
      close() {
        closes++;
        inner.close();
      },
    });
    const d = useDispatcher({ transports: [recording(createGrpcTransport()), recording(createHttpTransport())] });
    expect((await d.call(branchCall("TransOut"))).kind).toBe("success");
    expect((await d.call(branchCall("TransOut", { target: httpBank.target("TransOut") }))).kind).toBe("success");
    expect(seen).toEqual([`grpc ${bank.address} /bank.v1.BankService/TransOut`, `http ${httpBank.address} ${httpBank.target("TransOut")}`]);
    d.close();
    expect(closes).toBe(2);
  });

  it("refuses two transports for one scheme", () => {
    expect(() => createDispatcher({ transports: [createGrpcTransport(), createGrpcTransport()] })).toThrow(/two transports serve the grpc scheme/);
  });

  it("refuses a list of transports that leaves a scheme unserved", () => {
    expect(() => createDispatcher({ transports: [] })).toThrow(/no transport serves the grpc, http, jsonrpc scheme/);
    const grpcOnly = createGrpcTransport();
    expect(() => createDispatcher({ transports: [grpcOnly] })).toThrow(/no transport serves the http, jsonrpc scheme/);
    grpcOnly.close();
  });
});

describe("fake bank", () => {
  it("wakes a waiter when the awaited call arrives and rejects one that waits too long", async () => {
    const d = useDispatcher();
    const waiting = bank.waitForCalls("Cancel", 2, 5000);
    await d.call(branchCall("Cancel"));
    await d.call(branchCall("Cancel", { metadata: { "dtm-op": "cancel" } }));
    const calls = await waiting;
    expect(calls.map((c) => c.op)).toEqual(["action", "cancel"]);
    await expect(bank.waitForCalls("Cancel", 3, 50)).rejects.toThrow(/got 2 of 3/);
  });
});
