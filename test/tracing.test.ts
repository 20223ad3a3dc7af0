/**
 * Tracing: with an exporter configured, one trace spans the caller, Submit, the run and both
 * branch calls, and each branch receives its call's trace context, over gRPC and HTTP alike;
 * unconfigured, nothing is sent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { saga, TransactionStatus } from "../src/client/index.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";
import { startFakeHttpBank, type FakeHttpBank } from "./support/fake-http-bank.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";

const callerTrace = "0af7651916cd43dd8448eb211c80319c";
const callerSpan = "b7ad6b7169203331";
const traceparent = `00-${callerTrace}-${callerSpan}-01`;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe("tracing", () => {
  let bank: FakeBank;
  let httpBank: FakeHttpBank;
  let exporter: InMemorySpanExporter;
  let traced: TestCoordinator;
  let plain: TestCoordinator;

  beforeAll(async () => {
    bank = await startFakeBank();
    httpBank = await startFakeHttpBank();
    exporter = new InMemorySpanExporter();
    traced = await startTestCoordinator("postgres", {}, undefined, { spanExporter: exporter });
    plain = await startTestCoordinator("pglite");
  });
  afterAll(async () => {
    await traced?.stop();
    await plain?.stop();
    await bank?.stop();
    await httpBank?.stop();
  });
  beforeEach(() => {
    exporter.reset();
    bank.reset();
    httpBank.reset();
  });

  it("continues the caller's trace through Submit and the run into both gRPC branch calls, which receive it", async () => {
    const s = (await saga(traced.client, "trace-grpc"))
      .add(bank.target("TransOut"), bank.target("TransOutCompensate"), new Uint8Array(1))
      .add(bank.target("TransIn"), bank.target("TransInCompensate"), new Uint8Array(1));
    const tx = await s.submit({ waitResult: true, headers: { traceparent } });
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    const spans = exporter.getFinishedSpans();
    expect(new Set(spans.map((x) => x.spanContext().traceId))).toEqual(new Set([callerTrace]));
    const submit = spans.find((x) => x.name === "concord.Submit")!;
    const run = spans.find((x) => x.name === "concord.run")!;
    const branches = spans.filter((x) => x.name === "concord.branch action");
    expect(submit).toMatchObject({ kind: SpanKind.SERVER, attributes: { "concord.gid": "trace-grpc", "concord.mode": "saga" } });
    expect(parentOf(submit)).toBe(callerSpan);
    expect(parentOf(run)).toBe(submit.spanContext().spanId);
    expect(branches).toHaveLength(2);
    for (const branch of branches) {
      expect(branch.kind).toBe(SpanKind.CLIENT);
      expect(parentOf(branch)).toBe(run.spanContext().spanId);
      expect(branch.attributes["concord.outcome"]).toBe("success");
    }
    // Each branch got the context of its own call's span.
    const received = bank.calls().map((call) => call.metadata.traceparent);
    expect(received.sort()).toEqual(branches.map((b) => `00-${callerTrace}-${b.spanContext().spanId}-01`).sort());
  });

  it("keeps the trace across a retry: the later run is in it too, and HTTP branches get the header", async () => {
    httpBank.failNext("TransIn", "error");
    const s = (await saga(traced.client, "trace-http", { retry: { initialIntervalMs: 20, maxIntervalMs: 40 } }))
      .add(httpBank.target("TransOut"), "", new TextEncoder().encode("{}"))
      .add(httpBank.target("TransIn"), "", new TextEncoder().encode("{}"));
    expect((await s.submit({ waitResult: true, timeoutMs: 10_000, headers: { traceparent } })).status).toBe(TransactionStatus.SUCCEEDED);
    const spans = exporter.getFinishedSpans();
    const runs = spans.filter((x) => x.name === "concord.run");
    expect(runs).toHaveLength(2);
    expect(new Set(spans.map((x) => x.spanContext().traceId))).toEqual(new Set([callerTrace]));
    const failed = spans.find((x) => x.name === "concord.branch action" && x.attributes["concord.outcome"] === "unknown");
    expect(failed?.status.code).toBe(2);
    const headers = httpBank.calls().map((call) => call.headers.traceparent);
    expect(headers).toHaveLength(3);
    for (const h of headers) expect(h).toMatch(new RegExp(`^00-${callerTrace}-[0-9a-f]{16}-01$`));
  });

  it("starts a trace of its own when the caller sends none", async () => {
    const s = (await saga(traced.client, "trace-new")).add(bank.target("TransOut"), "", new Uint8Array(1));
    await s.submit({ waitResult: true });
    const spans = exporter.getFinishedSpans();
    const submit = spans.find((x) => x.name === "concord.Submit")!;
    expect(parentOf(submit)).toBeUndefined();
    expect(bank.calls()[0]?.metadata.traceparent).toBe(`00-${submit.spanContext().traceId}-${spans.find((x) => x.name === "concord.branch action")!.spanContext().spanId}-01`);
  });

  it("sends nothing when tracing is not configured", async () => {
    const s = (await saga(plain.client, "trace-off")).add(bank.target("TransOut"), "", new Uint8Array(1));
    await s.submit({ waitResult: true, headers: { traceparent } });
    expect(bank.calls()[0]?.metadata.traceparent).toBeUndefined();
    const stored = await plain.coordinator.store.getTransaction("trace-off");
    expect(stored?.traceContext).toBeNull();
  });
});
