/**
 * Limits per branch service (a concurrency cap and a rate limit per address), with real parts:
 * the dispatcher against a gRPC service on loopback that counts what it has in flight where it
 * serves it, then a real coordinator on Postgres driving concurrent sagas against such a service
 * and against an HTTP branch service, read through /metrics and AdminService as an operator would.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AdminService } from "../gen/ts/concord/v1/admin_service_pb.js";
import { saga, TransactionStatus } from "../src/client/index.js";
import { resolveConfig } from "../src/config.js";
import { createDispatcher, createServiceGovernor, type BranchCall, type Dispatcher } from "../src/dispatch/index.js";
import { createOutboundPolicy } from "../src/protocol/index.js";
import { loopbackAllowTargets, startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";
import { startFakeHttpBank, type FakeHttpBank } from "./support/fake-http-bank.js";
import { histogramSum, parsePrometheusText, total, type PromMetrics } from "./support/prometheus-text.js";
import { startCountingService, type CountingService } from "./support/counting-service.js";

/** Poll `read` until `done` holds, at most `timeoutMs`; then the last value read. */
async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("dispatcher with limits per branch service, over real gRPC", () => {
  let service: CountingService;
  let dispatcher: Dispatcher | undefined;
  const waits: Array<[string, boolean]> = [];

  beforeAll(async () => {
    service = await startCountingService(300);
  });
  afterEach(async () => {
    dispatcher?.close();
    dispatcher = undefined;
    waits.length = 0;
    // Calls the dispatcher cancelled are still timed out by the service: let them end.
    await until(
      () => service.inFlight,
      (n) => n === 0,
    );
  });
  afterAll(async () => {
    await service.stop();
  });

  // The service listens on loopback, which the production default refuses.
  const outboundPolicy = createOutboundPolicy(loopbackAllowTargets);
  const work = (timeoutMs = 3000): BranchCall => ({ target: service.target, payload: new Uint8Array([1]), metadata: {}, timeoutMs });
  const capped = (maxConcurrency: number, breakerFailureThreshold = 5): Dispatcher => {
    dispatcher = createDispatcher({
      outboundPolicy,
      breakerFailureThreshold,
      services: { services: { [service.address]: { maxConcurrency } } },
      onServiceWait: (address, _waitedMs, admitted) => waits.push([address, admitted]),
    });
    return dispatcher;
  };

  it("answers a call that finds no room within its deadline as unknown DEADLINE_EXCEEDED, which the circuit breaker never counts", async () => {
    const d = capped(1, 1);
    const first = d.call(work());
    const second = await d.call(work(200));
    expect(second).toEqual({ kind: "unknown", code: Code.DeadlineExceeded, message: `no room at branch service ${service.address} within the deadline` });
    // One unknown outcome opens this breaker; this one did not reach it.
    expect(d.circuits()).toEqual([]);
    expect((await first).kind).toBe("success");
    expect((await d.call(work())).kind).toBe("success");
    expect(service.calls).toBe(2);
    expect(waits).toEqual([
      [service.address, true],
      [service.address, false],
      [service.address, true],
    ]);
  });

  it("takes the time a call waited for room off the deadline the service gets", async () => {
    const d = capped(1);
    const before = service.calls;
    const [first, second] = await Promise.all([d.call(work(3000)), d.call(work(3000))]);
    expect([first.kind, second.kind]).toEqual(["success", "success"]);
    const [firstLeft = 0, secondLeft = 0] = service.deadlineLeftMs.slice(before);
    expect(firstLeft).toBeGreaterThan(2500);
    // The second waited for the first's 300 ms at the service, and that much less was left of its deadline.
    expect(secondLeft).toBeLessThanOrEqual(firstLeft - 280);
    expect(secondLeft).toBeGreaterThan(1500);
  });

  it("answers every waiting call at once when it closes", async () => {
    const d = capped(1);
    const first = d.call(work(10_000));
    const waiting = [1, 2, 3, 4, 5].map(() => d.call(work(10_000)));
    await until(
      () => d.services()[0]?.waiting,
      (n) => n === 5,
    );
    const started = performance.now();
    d.close();
    const answers = await Promise.all(waiting);
    expect(performance.now() - started).toBeLessThan(500);
    expect(answers).toEqual(waiting.map(() => ({ kind: "unknown", code: Code.Unavailable, message: "dispatcher closed" })));
    expect((await first).kind).toBe("unknown");
  });

  it("sends waiting calls out at once when the cap is raised, and keeps to a lowered cap once the calls in flight end", async () => {
    const d = capped(1);
    const before = service.calls;
    const calls = [1, 2, 3, 4].map(() => d.call(work(10_000)));
    await until(
      () => d.services()[0]?.waiting,
      (n) => n === 3,
    );
    d.configureServices({ services: { [service.address]: { maxConcurrency: 4 } } });
    expect(d.services()).toEqual([{ address: service.address, maxConcurrency: 4, ratePerSecond: 0, burst: 0, inFlight: 4, waiting: 0 }]);
    d.configureServices({ services: { [service.address]: { maxConcurrency: 1 } } });
    expect(d.services()).toEqual([{ address: service.address, maxConcurrency: 1, ratePerSecond: 0, burst: 0, inFlight: 4, waiting: 0 }]);
    const later = [1, 2].map(() => d.call(work(10_000)));
    expect((await Promise.all([...calls, ...later])).map((o) => o.kind)).toEqual(["success", "success", "success", "success", "success", "success"]);
    // At the service: the three that waited joined the first at once; the two sent under the
    // lowered cap each went alone, once the four had ended.
    expect(service.inFlightAtArrival.slice(before)).toEqual([1, 2, 3, 4, 1, 1]);
    expect(d.services()[0]).toMatchObject({ maxConcurrency: 1, inFlight: 0, waiting: 0 });
  });

  it("fails a call to an open circuit fast instead of making it wait for room", async () => {
    const d = capped(2, 1);
    const slow = d.call(work(10_000));
    // Too short a deadline for the service's 300 ms: an unknown outcome, which opens this circuit.
    expect(await d.call(work(50))).toMatchObject({ kind: "unknown", code: Code.DeadlineExceeded });
    expect(d.circuits()).toMatchObject([{ address: service.address, state: "open" }]);
    d.configureServices({ services: { [service.address]: { maxConcurrency: 1 } } });
    const started = performance.now();
    expect(await d.call(work(10_000))).toEqual({ kind: "unknown", code: Code.Unavailable, message: `circuit open for ${service.address}` });
    expect(performance.now() - started).toBeLessThan(200);
    expect((await slow).kind).toBe("success");
  });

  it("refuses a bad limit on reload and keeps the ones it had", () => {
    const d = capped(2);
    expect(() => d.configureServices({ maxConcurrency: -1 })).toThrow(RangeError);
    expect(d.services()).toEqual([{ address: service.address, maxConcurrency: 2, ratePerSecond: 0, burst: 0, inFlight: 0, waiting: 0 }]);
  });

  it("keeps nothing per service while no limit is set", async () => {
    dispatcher = createDispatcher({ outboundPolicy });
    expect((await Promise.all([1, 2, 3].map(() => dispatcher!.call(work())))).map((o) => o.kind)).toEqual(["success", "success", "success"]);
    expect(dispatcher.services()).toEqual([]);
  });
});

describe("a coordinator with limits per branch service", () => {
  let slow: CountingService;
  let httpBank: FakeHttpBank;
  let c: TestCoordinator;

  beforeAll(async () => {
    slow = await startCountingService(200);
    httpBank = await startFakeHttpBank();
    c = await startTestCoordinator("postgres", {
      // Long enough for every call of these scenarios to wait its turn rather than give up.
      requestTimeoutMs: 20_000,
      services: { [slow.address]: { maxConcurrency: 2 }, [httpBank.address]: { ratePerSecond: 20, burst: 1 } },
    });
  });
  afterAll(async () => {
    await c?.stop();
    await slow?.stop();
    await httpBank?.stop();
  });

  const scrape = async (): Promise<PromMetrics> => parsePrometheusText(await (await fetch(`http://127.0.0.1:${c.httpPort}/metrics`)).text());

  it("never has more than 2 calls in flight at a service capped at 2, and all 20 concurrent sagas succeed", async () => {
    const service = slow.address;
    const sagas = Promise.all(
      Array.from({ length: 20 }, async (_, i) => (await saga(c.client, `gov-cap-${i}`)).add(slow.target, "", new Uint8Array([i])).submit({ waitResult: true, timeoutMs: 30_000 })),
    );
    // While they run, an operator's scrape sees the cap full and calls queued behind it.
    const busy = await until(scrape, (m) => total(m, "concord_branch_service_in_flight", { service }) === 2 && total(m, "concord_branch_service_waiting", { service }) >= 1);
    expect(total(busy, "concord_branch_service_in_flight", { service })).toBe(2);
    expect(total(busy, "concord_branch_service_waiting", { service })).toBeGreaterThanOrEqual(1);

    const finished = await sagas;
    expect(finished.map((t) => t.status)).toEqual(finished.map(() => TransactionStatus.SUCCEEDED));
    expect(slow.calls).toBe(20);
    expect(slow.maxInFlight).toBe(2);

    const after = await scrape();
    expect(total(after, "concord_branch_service_in_flight", { service })).toBe(0);
    expect(total(after, "concord_branch_service_waiting", { service })).toBe(0);
    // Every call was timed; two at a time, ten rounds of 200 ms, they waited seconds in all.
    expect(total(after, "concord_branch_service_wait_seconds", { service })).toBe(20);
    expect(histogramSum(after, "concord_branch_service_wait_seconds", { service })).toBeGreaterThan(2);
    expect(total(after, "concord_branch_service_wait_timeouts_total", { service })).toBe(0);

    const admin = createClient(AdminService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${c.grpcPort}` }));
    const overview = await admin.getOverview({});
    const listed = overview.governedServices.map(({ address, maxConcurrency, ratePerSecond, burst, inFlight, waiting }) => ({ address, maxConcurrency, ratePerSecond, burst, inFlight, waiting }));
    expect(listed.sort((x, y) => x.address.localeCompare(y.address))).toEqual(
      [
        { address: httpBank.address, maxConcurrency: 0, ratePerSecond: 20, burst: 1, inFlight: 0, waiting: 0 },
        { address: service, maxConcurrency: 2, ratePerSecond: 0, burst: 0, inFlight: 0, waiting: 0 },
      ].sort((x, y) => x.address.localeCompare(y.address)),
    );
  });

  it("holds 20 calls a second with a burst of 1 within 10 % over 5 s, measured at an HTTP branch service", async () => {
    const count = 125;
    const payload = new TextEncoder().encode('{"amount":30}');
    const submitted = await Promise.all(
      Array.from({ length: count }, async (_, i) => (await saga(c.client, `gov-rate-${i}`)).add(httpBank.target("Pay"), "", payload).submit()),
    );
    expect(submitted).toHaveLength(count);
    const calls = await httpBank.waitForCalls("Pay", count, 20_000);
    const arrivals = calls.map((call) => call.at).sort((a, b) => a - b);
    const first = arrivals[0]!;
    const inWindow = arrivals.filter((at) => at < first + 5000).length;
    // 1 at once, then one every 50 ms: 101 in the first 5 s.
    expect(inWindow).toBeGreaterThanOrEqual(90);
    expect(inWindow).toBeLessThanOrEqual(110);
    const metrics = await scrape();
    expect(total(metrics, "concord_branch_service_wait_seconds", { service: httpBank.address })).toBe(count);
    expect(total(metrics, "concord_branch_service_wait_timeouts_total", { service: httpBank.address })).toBe(0);
  });
});

describe("the README's example of limits per branch service", () => {
  it("is a valid config file, and gives each service the limits its comments say", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const example = /Beside the breaker[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), "concord-governance-"));
    try {
      writeFileSync(join(dir, "concord.yaml"), example!);
      const config = resolveConfig({ argv: ["--config", join(dir, "concord.yaml")], env: {} });
      const governor = createServiceGovernor({
        settings: { maxConcurrency: config.branchMaxConcurrency, ratePerSecond: config.branchRatePerSecond, burst: config.branchRateBurst, services: config.services },
      });
      governor.tryAdmit("orders:50051");
      expect(governor.services().map(({ address, maxConcurrency, ratePerSecond, burst }) => ({ address, maxConcurrency, ratePerSecond, burst }))).toEqual([
        { address: "ledger.internal:443", maxConcurrency: 64, ratePerSecond: 2.5, burst: 2.5 },
        { address: "orders:50051", maxConcurrency: 64, ratePerSecond: 0, burst: 0 },
        { address: "payments:50051", maxConcurrency: 8, ratePerSecond: 50, burst: 10 },
      ]);
      governor.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
