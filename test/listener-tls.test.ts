/**
 * TLS on both listeners and client certificates (mTLS), against a real coordinator: the SDK over
 * gRPC and Connect with the test CA, grpcurl and curl as an operator would call them, a client
 * certificate standing for a tokens file entry, one from another CA refused, and a renewed
 * certificate served without a restart.
 */
import { execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { connect, type PeerCertificate } from "node:tls";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { createConcordClient, saga } from "../src/client/index.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";
import { createTestCa, writePemFiles, type PemDir, type TestCa } from "./support/test-ca.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const grpcurl = `${root}/.bin/grpcurl`;
const token = "ops-token-0123456789abcdefghijklmnopqrstuvwxyz";
const codeOf = (e: unknown) => (e instanceof ConnectError ? Code[e.code] : e);
const payload = new TextEncoder().encode("{}");

/** Run a command without blocking the event loop (the coordinator under test shares it). */
function exec(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 20_000 }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }));
  });
}

/** The certificate a fresh TLS connection to `port` is served. */
function servedCertificate(port: number, ca: string, alpn: string): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, ca, servername: "localhost", ALPNProtocols: [alpn] }, () => {
      const cert = socket.getPeerCertificate();
      socket.destroy();
      resolve(cert);
    });
    socket.once("error", reject);
  });
}

describe("TLS on the listeners, and client certificates", () => {
  let ca: TestCa;
  let strangerCa: TestCa;
  let files: PemDir;
  let c: TestCoordinator;
  let bank: FakeBank;
  let clientCert: { certPem: string; keyPem: string };
  let strangerCert: { certPem: string; keyPem: string };

  beforeAll(async () => {
    ca = await createTestCa();
    strangerCa = await createTestCa("Someone Else's CA");
    const server = await ca.issue({ commonName: "concord", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"] });
    clientCert = await ca.issue({ commonName: "orders.internal", client: true });
    strangerCert = await strangerCa.issue({ commonName: "orders.internal", client: true });
    files = await writePemFiles({
      "server.pem": server.certPem,
      "server-key.pem": server.keyPem,
      "clients-ca.pem": ca.caPem,
      "tokens.yaml": `- {name: orders, certSubject: orders.internal, scopes: [submit]}\n- {name: ops, token: "${token}", scopes: [admin]}\n`,
    });
    bank = await startFakeBank();
    c = await startTestCoordinator("pglite", {
      tlsCert: files.paths["server.pem"]!,
      tlsKey: files.paths["server-key.pem"]!,
      tlsClientCa: files.paths["clients-ca.pem"]!,
      tokensFile: files.paths["tokens.yaml"]!,
    });
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
    await files?.remove();
  });

  const grpcClient = (tls: { cert?: string; key?: string }, secret?: string) =>
    createConcordClient({ baseUrl: `https://localhost:${c.grpcPort}`, tls: { ca: ca.caPem, ...tls }, ...(secret ? { token: secret } : {}) });

  it("serves gRPC over TLS, and a verified client certificate is its tokens file entry", async () => {
    const orders = grpcClient({ cert: clientCert.certPem, key: clientCert.keyPem });
    const tx = await (await saga(orders, "tls-cert-1")).add(bank.target("TransOut"), bank.target("TransOutCompensate"), payload).submit({ waitResult: true });
    expect(tx.gid).toBe("tls-cert-1");
    // The certificate's entry (orders) created it, so it may read it.
    expect((await orders.getTransaction({ gid: "tls-cert-1" })).transaction?.gid).toBe("tls-cert-1");
  });

  it("refuses a client without credentials, and one whose certificate another CA signed, storing nothing", async () => {
    for (const [name, client] of [
      ["no certificate", grpcClient({})],
      ["certificate of another CA", grpcClient({ cert: strangerCert.certPem, key: strangerCert.keyPem })],
    ] as const) {
      const gid = `tls-refused-${name.replace(/\W/g, "")}`;
      const refused = await (await saga(client, gid)).add(bank.target("TransOut"), bank.target("TransOutCompensate"), payload).submit().catch((e: unknown) => e);
      expect(codeOf(refused), name).toBe("Unauthenticated");
      expect(codeOf(await grpcClient({}, token).getTransaction({ gid }).catch((e: unknown) => e))).toBe("NotFound");
    }
  });

  it("serves HTTPS on the HTTP port: Connect JSON with a token, and nothing in plain text", async () => {
    const connectClient = createConcordClient({ baseUrl: `https://localhost:${c.httpPort}`, protocol: "connect", tls: { ca: ca.caPem }, token });
    expect((await connectClient.newGid({})).gid).toMatch(/.+/);
    await expect(fetch(`http://127.0.0.1:${c.httpPort}/api/ping`)).rejects.toThrow();
  });

  it.skipIf(!existsSync(grpcurl))("answers grpcurl and curl that trust the test CA", async () => {
    const caFile = join(files.dir, "ca.pem");
    writeFileSync(caFile, ca.caPem);
    const list = await exec(grpcurl, ["-cacert", caFile, "-H", `authorization: Bearer ${token}`, `localhost:${c.grpcPort}`, "list"]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain("concord.v1.CoordinatorService");
    const untrusted = await exec(grpcurl, ["-max-time", "5", `localhost:${c.grpcPort}`, "list"]);
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stderr).toMatch(/certificate/);
    const curl = await exec("curl", [
      "-sS",
      "--cacert",
      caFile,
      "-H",
      `authorization: Bearer ${token}`,
      "-H",
      "content-type: application/json",
      "-d",
      "{}",
      `https://localhost:${c.httpPort}/concord.v1.CoordinatorService/NewGid`,
    ]);
    expect(curl.code, curl.stderr).toBe(0);
    expect(JSON.parse(curl.stdout)).toMatchObject({ gid: expect.any(String) });
    const ping = await exec("curl", ["-sS", "--cacert", caFile, `https://localhost:${c.httpPort}/api/ping`]);
    expect(JSON.parse(ping.stdout)).toEqual({ status: "ok", msg: "pong" });
    expect((await exec("curl", ["-sS", `https://localhost:${c.httpPort}/api/ping`])).code).not.toBe(0);
  });

  it("serves a renewed certificate to new connections without a restart, and keeps the old one when the new files are broken", async () => {
    const before = await servedCertificate(c.grpcPort, ca.caPem, "h2");
    const renewed = await ca.issue({ commonName: "concord-renewed", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"] });
    // A broken pair first (the new certificate with the old key): ignored.
    writeFileSync(files.paths["server.pem"]!, renewed.certPem);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await servedCertificate(c.grpcPort, ca.caPem, "h2")).serialNumber).toBe(before.serialNumber);
    writeFileSync(files.paths["server-key.pem"]!, renewed.keyPem);
    const deadline = Date.now() + 10_000;
    let now = before;
    while (Date.now() < deadline && now.serialNumber === before.serialNumber) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      now = await servedCertificate(c.httpPort, ca.caPem, "http/1.1");
    }
    expect(now.subject.CN).toBe("concord-renewed");
    expect((await servedCertificate(c.grpcPort, ca.caPem, "h2")).subject.CN).toBe("concord-renewed");
    // Calls go on over the renewed certificate.
    expect((await grpcClient({}, token).newGid({})).gid).toMatch(/.+/);
  });
});
