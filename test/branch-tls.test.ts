/**
 * TLS branch calls on a real coordinator, against real TLS servers on loopback (an HTTPS server
 * and a grpc-js server with `ServerCredentials.createSsl`) whose certificates a throwaway CA
 * issued: untrusted, the call is an unknown outcome retried like an unreachable service, with a
 * fixed text stored; with `--branch-ca` it succeeds, and `--branch-client-cert`/`--branch-client-key`
 * are presented to a service that asks for a client certificate.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BranchOp, Mode, TransactionStatus } from "../src/client/index.js";
import { createCoordinator } from "../src/coordinator.js";
import { createLogger } from "../src/logger.js";
import { startTestCoordinator, testConfig, type TestCoordinator } from "./support/coordinator.js";
import { openTestStore } from "./support/databases.js";
import { echoService, startGrpcEcho, startHttpEcho, type EchoBranch } from "./support/echo-branches.js";
import { tableResolver } from "./support/outbound.js";
import { createTestCa, writePemFiles, type PemDir, type TestCa } from "./support/test-ca.js";

let ca: TestCa;
let files: PemDir;
let https: EchoBranch;
let grpcs: EchoBranch;
/** Asks for a client certificate issued by the CA. */
let mtls: EchoBranch;
const resolveHost = tableResolver({ "bank.test": ["127.0.0.1"] });

beforeAll(async () => {
  ca = await createTestCa();
  const server = await ca.issue({ commonName: "bank.test", dnsNames: ["bank.test"] });
  const client = await ca.issue({ commonName: "concord-coordinator", client: true });
  files = await writePemFiles({ "ca.pem": ca.caPem, "client.pem": client.certPem, "client-key.pem": client.keyPem, "broken.pem": "not a certificate\n" });
  https = await startHttpEcho({ tls: server });
  grpcs = await startGrpcEcho({ tls: server });
  mtls = await startHttpEcho({ tls: { ...server, clientCaPem: ca.caPem } });
});
afterAll(async () => {
  await https?.stop();
  await grpcs?.stop();
  await mtls?.stop();
  await files?.remove();
});

const httpsTarget = () => `https://bank.test:${https.port}/TransOut`;
const grpcsTarget = () => `grpcs://bank.test:${grpcs.port}/${echoService}/Call`;
const mtlsTarget = () => `json-rpc+https://bank.test:${mtls.port}/rpc?method=TransOut`;

function saga(gid: string, action: string, waitResult = false) {
  return { gid, mode: Mode.SAGA, options: { waitResult }, spec: { case: "saga" as const, value: { steps: [{ action, payload: new TextEncoder().encode("{}") }] } } };
}

describe("TLS branches without --branch-ca", () => {
  let c: TestCoordinator;
  beforeAll(async () => {
    c = await startTestCoordinator("postgres", { allowTargets: ["bank.test"] }, undefined, { resolveHost });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it.each([
    ["an HTTPS branch", () => httpsTarget(), () => https],
    ["a gRPC TLS branch", () => grpcsTarget(), () => grpcs],
  ])("%s whose certificate is not trusted is an unknown outcome, retried, with a fixed text stored", async (name, target, server) => {
    const gid = `tls-untrusted-${name.includes("gRPC") ? "grpc" : "http"}`;
    await c.client.submit(saga(gid, target()));
    const deadline = Date.now() + 10_000;
    let tx = (await c.client.getTransaction({ gid })).transaction!;
    while (tx.branches.find((b) => b.op === BranchOp.ACTION)!.attempts < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      tx = (await c.client.getTransaction({ gid })).transaction!;
    }
    const action = tx.branches.find((b) => b.op === BranchOp.ACTION)!;
    expect(tx.status).toBe(TransactionStatus.SUBMITTED);
    expect(action.attempts).toBeGreaterThanOrEqual(2);
    expect(action.lastError).toBe("Unavailable: TLS handshake with the branch service failed");
    expect(server().calls()).toBe(0);
  });
});

describe("TLS branches with --branch-ca and a client certificate", () => {
  let c: TestCoordinator;
  beforeAll(async () => {
    c = await startTestCoordinator(
      "postgres",
      { allowTargets: ["bank.test"], branchCa: files.paths["ca.pem"], branchClientCert: files.paths["client.pem"], branchClientKey: files.paths["client-key.pem"] },
      undefined,
      { resolveHost },
    );
  });
  afterAll(async () => {
    await c?.stop();
  });

  it.each([
    ["an HTTPS branch", () => httpsTarget()],
    ["a gRPC TLS branch", () => grpcsTarget()],
  ])("%s verified against the CA succeeds", async (name, target) => {
    const res = await c.client.submit(saga(`tls-trusted-${name.includes("gRPC") ? "grpc" : "http"}`, target(), true));
    expect(res.transaction?.status).toBe(TransactionStatus.SUCCEEDED);
  });

  it("presents the client certificate to a branch service that requires one", async () => {
    const res = await c.client.submit(saga("tls-mtls", mtlsTarget(), true));
    expect(res.transaction?.status).toBe(TransactionStatus.SUCCEEDED);
    expect(mtls.clientNames()).toContain("concord-coordinator");
  });
});

describe("branch TLS files", () => {
  it("an unreadable or broken one stops the coordinator's start, naming its setting", async () => {
    const store = await openTestStore("pglite");
    const start = async (overrides: Parameters<typeof testConfig>[0]) => {
      const started = await createCoordinator(testConfig(overrides), createLogger("error", () => {}), { store: store.store });
      await started.stop();
      return started;
    };
    try {
      await expect(start({ branchCa: `${files.dir}/missing.pem` })).rejects.toThrow(/^--branch-ca: cannot read .*missing\.pem/);
      await expect(start({ branchCa: files.paths["broken.pem"] })).rejects.toThrow(/^--branch-ca \(a PEM bundle of CA certificates\): /);
      await expect(start({ branchClientCert: files.paths["client.pem"], branchClientKey: files.paths["ca.pem"] })).rejects.toThrow(/^--branch-client-cert and --branch-client-key/);
    } finally {
      await store.close();
    }
  });
});
