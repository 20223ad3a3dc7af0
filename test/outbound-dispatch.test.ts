/**
 * The dispatcher's side of outbound security, over real sockets on loopback: the outbound policy
 * checked after DNS at every call (gRPC) and every new connection (HTTP), the fixed texts of
 * refused calls, `dns:///` round-robin and HTTP connections spread over a name's addresses, a
 * new policy taking effect at once, and TLS with a client certificate. Names resolve through an
 * injected table (no DNS server here); 127.0.0.2 is a second loopback address.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Code } from "@connectrpc/connect";
import { createDispatcher, type BranchCall, type Dispatcher, type DispatcherOptions } from "../src/dispatch/index.js";
import { createLogger } from "../src/logger.js";
import { createOutboundPolicy } from "../src/protocol/index.js";
import { echoService, startGrpcEcho, startHttpEcho, type EchoBranch } from "./support/echo-branches.js";
import { tableResolver } from "./support/outbound.js";
import { createTestCa, type IssuedCertificate, type TestCa } from "./support/test-ca.js";

let dispatcher: Dispatcher | undefined;
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  dispatcher?.close();
  dispatcher = undefined;
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

function use(options: DispatcherOptions): Dispatcher {
  dispatcher = createDispatcher(options);
  return dispatcher;
}

async function started<T extends EchoBranch>(branch: Promise<T>): Promise<T> {
  const b = await branch;
  stops.push(() => b.stop());
  return b;
}

/** Two servers on one port, at 127.0.0.1 and 127.0.0.2. */
async function pair(start: (options: { host: string; port?: number }) => Promise<EchoBranch>): Promise<[EchoBranch, EchoBranch]> {
  const first = await started(start({ host: "127.0.0.1" }));
  const second = await started(start({ host: "127.0.0.2", port: first.port }));
  return [first, second];
}

const call = (target: string, overrides: Partial<BranchCall> = {}): BranchCall => ({
  target,
  payload: new TextEncoder().encode("{}"),
  metadata: { "dtm-gid": "g", "dtm-branch_id": "01", "dtm-op": "action", "dtm-trans_type": "saga" },
  timeoutMs: 2000,
  ...overrides,
});

describe("outbound policy at call time", () => {
  it("refuses a gRPC call whose name resolves to loopback under the default, before connecting, with a fixed text and one warning a minute", async () => {
    const echo = await started(startGrpcEcho());
    const lines: Record<string, unknown>[] = [];
    const d = use({ resolveHost: tableResolver({ "bank.test": ["127.0.0.1"] }), logger: createLogger("warn", (line) => lines.push(JSON.parse(line) as Record<string, unknown>)) });
    const target = `bank.test:${echo.port}/${echoService}/Call`;
    for (let i = 0; i < 3; i++) {
      const outcome = await d.call(call(target, { gid: "ssrf-1" }));
      expect(outcome).toMatchObject({ kind: "unknown", code: Code.Unavailable, message: "destination refused by the outbound policy", refusedAddress: "127.0.0.1" });
    }
    expect(echo.calls()).toBe(0);
    const warnings = lines.filter((l) => l.msg === "branch call refused by the outbound policy");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: "warn", address: "127.0.0.1", target, gid: "ssrf-1", reason: expect.stringContaining("bank.test resolves to 127.0.0.1, a loopback address") });
  });

  it("refuses an HTTP connection whose name resolves to loopback, and a literal loopback address, before connecting", async () => {
    const echo = await started(startHttpEcho());
    const d = use({ resolveHost: tableResolver({ "bank.test": ["10.9.9.9", "127.0.0.1"] }) });
    for (const [target, refusedAddress] of [
      [`http://bank.test:${echo.port}/TransOut`, "127.0.0.1"],
      [`http://127.0.0.1:${echo.port}/TransOut`, "127.0.0.1"],
      [`json-rpc+http://[::ffff:127.0.0.1]:${echo.port}/rpc?method=M`, "::ffff:7f00:1"],
    ]) {
      expect(await d.call(call(target!))).toMatchObject({ kind: "unknown", code: Code.Unavailable, message: "destination refused by the outbound policy", refusedAddress });
    }
    expect(echo.calls()).toBe(0);
  });

  it("applies a new policy at once: a refused name is called once it is listed, and refused again when it is not", async () => {
    const grpcEcho = await started(startGrpcEcho());
    const httpEcho = await started(startHttpEcho());
    const d = use({ resolveHost: tableResolver({ "bank.test": ["127.0.0.1"] }) });
    const targets = [`bank.test:${grpcEcho.port}/${echoService}/Call`, `http://bank.test:${httpEcho.port}/TransOut`];
    for (const t of targets) expect(await d.call(call(t))).toMatchObject({ message: "destination refused by the outbound policy" });
    d.setOutboundPolicy(createOutboundPolicy(["bank.test"]));
    expect(d.outboundPolicy().allowTargets).toEqual(["bank.test"]);
    for (const t of targets) expect((await d.call(call(t))).kind).toBe("success");
    d.setOutboundPolicy(createOutboundPolicy(["*.example"]));
    // The HTTP connection made under the old policy is not reused: the new one is checked again.
    for (const t of targets) expect(await d.call(call(t))).toMatchObject({ message: "destination refused by the outbound policy" });
    expect([grpcEcho.calls(), httpEcho.calls()]).toEqual([1, 1]);
  });

  it("records a name that does not resolve as unreachable, naming neither the name's fate nor an errno", async () => {
    const d = use({ resolveHost: tableResolver({}), outboundPolicy: createOutboundPolicy(["*"]) });
    for (const target of ["nowhere.test:50051/echo.v1.Echo/Call", "http://nowhere.test:8080/x"]) {
      const outcome = await d.call(call(target));
      expect(outcome).toMatchObject({ kind: "unknown", code: Code.Unavailable, message: "branch service unreachable", detail: expect.stringContaining("ENOTFOUND") });
    }
  });

  it("records a refused connection and a deadline with the fixed texts, for gRPC as for HTTP", async () => {
    const dead = await startGrpcEcho();
    await dead.stop();
    const slow = await started(startHttpEcho());
    const d = use({ outboundPolicy: createOutboundPolicy(["127.0.0.0/8"]) });
    expect(await d.call(call(`127.0.0.1:${dead.port}/${echoService}/Call`))).toMatchObject({ kind: "unknown", code: Code.Unavailable, message: "branch service unreachable" });
    expect(await d.call(call(`http://127.0.0.1:${dead.port}/x`))).toMatchObject({ kind: "unknown", code: Code.Unavailable, message: "branch service unreachable" });
    // A gRPC call to an HTTP/1.1 server is no gRPC answer: the same text as nothing listening.
    expect(await d.call(call(`127.0.0.1:${slow.port}/${echoService}/Call`))).toMatchObject({ kind: "unknown", code: Code.Unavailable, message: "branch service unreachable" });
  });
});

describe("service discovery", () => {
  it("balances dns:/// gRPC calls round-robin over every address of the name", async () => {
    const [a, b] = await pair((o) => startGrpcEcho(o));
    const d = use({ resolveHost: tableResolver({ "pool.test": ["127.0.0.1", "127.0.0.2"] }), outboundPolicy: createOutboundPolicy(["pool.test"]) });
    for (let i = 0; i < 10; i++) expect((await d.call(call(`dns:///pool.test:${a.port}/${echoService}/Call`))).kind).toBe("success");
    expect(a.calls()).toBeGreaterThanOrEqual(3);
    expect(b.calls()).toBeGreaterThanOrEqual(3);
    expect(a.calls() + b.calls()).toBe(10);
  });

  it("calls one address (pick first) without dns:///, and follows a changed answer once the cached one expires", async () => {
    const [a, b] = await pair((o) => startGrpcEcho(o));
    const resolve = tableResolver({ "bank.test": ["127.0.0.1"] });
    const d = use({ resolveHost: resolve, resolveCacheMs: 100, outboundPolicy: createOutboundPolicy(["bank.test"]) });
    const target = `bank.test:${a.port}/${echoService}/Call`;
    for (let i = 0; i < 4; i++) expect((await d.call(call(target))).kind).toBe("success");
    expect([a.calls(), b.calls()]).toEqual([4, 0]);
    resolve.set("bank.test", ["127.0.0.2"]);
    const deadline = Date.now() + 5000;
    while (b.calls() === 0 && Date.now() < deadline) expect((await d.call(call(target))).kind).toBe("success");
    expect(b.calls()).toBeGreaterThan(0);
    expect(resolve.lookups("bank.test")).toBeGreaterThanOrEqual(2);
  });

  it("spreads new HTTP connections over every address of the name", async () => {
    const [a, b] = await pair((o) => startHttpEcho({ ...o, close: true }));
    const d = use({ resolveHost: tableResolver({ "pool.test": ["127.0.0.1", "127.0.0.2"] }), outboundPolicy: createOutboundPolicy(["pool.test"]) });
    for (let i = 0; i < 6; i++) expect((await d.call(call(`http://pool.test:${a.port}/TransOut`))).kind).toBe("success");
    expect([a.calls(), b.calls()]).toEqual([3, 3]);
  });
});

describe("TLS branch calls with a client certificate", () => {
  let ca: TestCa;
  let server: IssuedCertificate;
  let client: IssuedCertificate;
  let otherClient: IssuedCertificate;
  beforeAll(async () => {
    ca = await createTestCa();
    server = await ca.issue({ commonName: "bank.test", dnsNames: ["bank.test"], ipAddresses: ["127.0.0.1"] });
    client = await ca.issue({ commonName: "concord-coordinator", client: true });
    otherClient = await (await createTestCa("Other CA")).issue({ commonName: "stranger", client: true });
  });
  afterAll(() => undefined);

  const policy = createOutboundPolicy(["bank.test"]);
  const resolveHost = tableResolver({ "bank.test": ["127.0.0.1"] });

  it("presents the configured client certificate to an HTTPS service that asks for one, and fails the handshake without it", async () => {
    const echo = await started(startHttpEcho({ tls: { ...server, clientCaPem: ca.caPem } }));
    const target = `https://bank.test:${echo.port}/TransOut`;
    const without = use({ resolveHost, outboundPolicy: policy, tls: { ca: ca.caPem } });
    expect(await without.call(call(target))).toMatchObject({ kind: "unknown", message: expect.stringMatching(/^(TLS handshake with the branch service failed|branch service unreachable)$/) });
    without.close();
    const stranger = use({ resolveHost, outboundPolicy: policy, tls: { ca: ca.caPem, cert: otherClient.certPem, key: otherClient.keyPem } });
    expect((await stranger.call(call(target))).kind).toBe("unknown");
    stranger.close();
    const d = use({ resolveHost, outboundPolicy: policy, tls: { ca: ca.caPem, cert: client.certPem, key: client.keyPem } });
    expect((await d.call(call(target))).kind).toBe("success");
    expect(echo.clientNames()).toEqual(["concord-coordinator"]);
  });

  it("presents it to a grpc-js service that checks client certificates", async () => {
    const echo = await started(startGrpcEcho({ tls: { ...server, clientCaPem: ca.caPem } }));
    const target = `grpcs://bank.test:${echo.port}/${echoService}/Call`;
    const without = use({ resolveHost, outboundPolicy: policy, tls: { ca: ca.caPem } });
    expect(await without.call(call(target))).toMatchObject({ kind: "unknown", code: Code.Unavailable });
    without.close();
    const d = use({ resolveHost, outboundPolicy: policy, tls: { ca: ca.caPem, cert: client.certPem, key: client.keyPem } });
    expect((await d.call(call(target))).kind).toBe("success");
    expect(echo.calls()).toBe(1);
  });

  it("keeps TLS and plaintext channels to one address apart", async () => {
    const tlsEcho = await started(startGrpcEcho({ tls: server }));
    const d = use({ resolveHost, outboundPolicy: policy, tls: { ca: ca.caPem } });
    expect((await d.call(call(`grpcs://bank.test:${tlsEcho.port}/${echoService}/Call`))).kind).toBe("success");
    // The same address in plaintext gets its own channel, which the TLS server does not answer as gRPC.
    expect(await d.call(call(`bank.test:${tlsEcho.port}/${echoService}/Call`, { timeoutMs: 1000 }))).toMatchObject({ kind: "unknown" });
    expect((await d.call(call(`grpcs://bank.test:${tlsEcho.port}/${echoService}/Call`))).kind).toBe("success");
    expect(tlsEcho.calls()).toBe(2);
  });
});
