/**
 * Authentication and scopes, on every protocol of a real coordinator (gRPC, Connect JSON over
 * HTTP/1.1, dtm's HTTP, JSON-RPC and gRPC APIs, /metrics): static tokens from a tokens file, JWTs
 * verified against a JWKS served on loopback, per-transaction read and drive rights, redaction of
 * credential headers. Every refused call changes nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError, createClient, createConnectRouter, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from "jose";
import { AdminService } from "../gen/ts/concord/v1/admin_service_pb.js";
import { Dtm } from "../gen/ts/dtmgimp/dtmgimp_pb.js";
import { createConcordClient, saga, type CoordinatorClient } from "../src/client/index.js";
import { rpcAccess } from "../src/auth/index.js";
import { testToken, writeTestTokens } from "./support/tokens.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";

const dir = mkdtempSync(join(tmpdir(), "concord-auth-"));
const token = testToken;
const codeOf = (e: unknown) => (e instanceof ConnectError ? Code[e.code] : e);
const payload = new TextEncoder().encode('{"amount":30}');

describe("authentication and scopes", () => {
  let bank: FakeBank;
  let c: TestCoordinator;
  let jwks: Server;
  let signingKey: CryptoKey;
  let strangerKey: CryptoKey;
  const issuer = "https://issuer.test";
  const audience = "concord";

  const client = (secret?: string): CoordinatorClient =>
    createConcordClient({ baseUrl: `http://127.0.0.1:${c.grpcPort}`, ...(secret === undefined ? {} : { token: secret }) });
  const admin = (secret?: string): Client<typeof AdminService> =>
    createClient(
      AdminService,
      createGrpcTransport({
        baseUrl: `http://127.0.0.1:${c.grpcPort}`,
        interceptors: secret === undefined ? [] : [(next) => (req) => (req.header.set("authorization", `Bearer ${secret}`), next(req))],
      }),
    );
  const jwt = (claims: Record<string, unknown>, options: { key?: CryptoKey; expiresIn?: string; audience?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .setIssuer(issuer)
      .setAudience(options.audience ?? audience)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? "5m")
      .sign(options.key ?? signingKey);
  const transfer = async (cl: CoordinatorClient, gid: string, headers: Record<string, string> = {}) =>
    (await saga(cl, gid, { branchHeaders: headers })).add(bank.target("TransOut"), bank.target("TransOutCompensate"), payload);
  const http = (path: string, init: { method?: string; token?: string; body?: unknown } = {}) =>
    fetch(`http://127.0.0.1:${c.httpPort}${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: { "content-type": "application/json", ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  /** Whether a gid exists, asked by an admin. */
  const stored = async (gid: string) =>
    admin(token("ops"))
      .inspectTransaction({ gid })
      .then(
        () => true,
        (e: unknown) => (codeOf(e) === "NotFound" ? false : Promise.reject(e)),
      );

  beforeAll(async () => {
    bank = await startFakeBank();
    const pair = await generateKeyPair("ES256");
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair("ES256")).privateKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    jwks = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    const tokensFile = writeTestTokens(dir);
    c = await startTestCoordinator("pglite", {
      tokensFile,
      jwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`,
      jwtIssuer: issuer,
      jwtAudience: audience,
    });
  });
  afterAll(async () => {
    await c?.stop();
    await bank?.stop();
    await new Promise((resolve) => jwks?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a call without a token, with a wrong one, or with a malformed header, on gRPC and Connect, storing nothing", async () => {
    for (const [name, cl] of [
      ["no token", client()],
      ["wrong token", client(token("nobody"))],
      ["connect, no token", createConcordClient({ baseUrl: `http://127.0.0.1:${c.httpPort}`, protocol: "connect" })],
    ] as const) {
      const gid = `auth-none-${name.replace(/\W/g, "")}`;
      const refused = await (await transfer(cl, gid)).submit().catch((e: unknown) => e);
      expect(codeOf(refused), name).toBe("Unauthenticated");
      expect((refused as ConnectError).rawMessage).toBe("unauthenticated");
      expect(await stored(gid)).toBe(false);
    }
    const res = await fetch(`http://127.0.0.1:${c.httpPort}/concord.v1.CoordinatorService/NewGid`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Basic b3JkZXJzOng=" },
      body: "{}",
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: "unauthenticated", message: "unauthenticated" });
  });

  it("refuses a token without the scope an RPC needs, storing nothing, and lets each scope do its part", async () => {
    const denied = await (await transfer(client(token("auditor")), "auth-reader-submits")).submit().catch((e: unknown) => e);
    expect(codeOf(denied)).toBe("PermissionDenied");
    expect((denied as ConnectError).rawMessage).toBe("permission denied: needs the submit scope");
    expect(await stored("auth-reader-submits")).toBe(false);

    await (await transfer(client(token("orders")), "auth-orders-1")).submit({ waitResult: true });
    expect(codeOf(await admin(token("orders")).listTransactions({}).catch((e: unknown) => e))).toBe("PermissionDenied");
    expect(codeOf(await admin(token("auditor")).forceStop({ gid: "auth-orders-1", reason: "x", operator: "y" }).catch((e: unknown) => e))).toBe("PermissionDenied");
    const listed = await admin(token("ops")).listTransactions({ filter: { gidPrefix: "auth-orders-" } });
    expect(listed.transactions.map((t) => t.gid)).toEqual(["auth-orders-1"]);
  });

  it("lets the creator and readers read a transaction, and only its creator or an admin drive it", async () => {
    const cl = client(token("orders"));
    await cl.prepare({ gid: "auth-tcc-1", mode: 3, options: { timeoutToFail: { seconds: 60n } } });
    expect((await cl.getTransaction({ gid: "auth-tcc-1" })).transaction?.gid).toBe("auth-tcc-1");
    expect((await client(token("auditor")).getTransaction({ gid: "auth-tcc-1" })).transaction?.gid).toBe("auth-tcc-1");
    const other = client(token("other"));
    expect(codeOf(await other.getTransaction({ gid: "auth-tcc-1" }).catch((e: unknown) => e))).toBe("PermissionDenied");
    expect(codeOf(await other.abort({ gid: "auth-tcc-1", reason: "not mine" }).catch((e: unknown) => e))).toBe("PermissionDenied");
    expect(codeOf(await other.submit({ gid: "auth-tcc-1", mode: 3 }).catch((e: unknown) => e))).toBe("PermissionDenied");
    expect(codeOf(await client(token("auditor")).abort({ gid: "auth-tcc-1" }).catch((e: unknown) => e))).toBe("PermissionDenied");
    expect((await cl.getTransaction({ gid: "auth-tcc-1" })).transaction?.status).toBe(1); // still PREPARED
    expect((await cl.abort({ gid: "auth-tcc-1", reason: "mine", waitResult: true })).transaction?.rollbackReason).toBe("mine");
  });

  it("never echoes credential headers, to anyone", async () => {
    await (
      await transfer(client(token("orders")), "auth-headers", { authorization: "Bearer downstream-secret", "x-api-token": "t0p", "x-tenant": "acme" })
    ).submit({ waitResult: true });
    for (const reader of [client(token("orders")), client(token("auditor"))]) {
      const tx = (await reader.getTransaction({ gid: "auth-headers" })).transaction!;
      expect(tx.options?.branchHeaders).toEqual({ authorization: "[redacted]", "x-api-token": "[redacted]", "x-tenant": "acme" });
      expect(tx.saga?.steps[0]?.payload).toEqual(payload);
    }
    const inspected = await admin(token("ops")).inspectTransaction({ gid: "auth-headers" });
    expect(inspected.transaction?.options?.branchHeaders.authorization).toBe("[redacted]");
    // The branch itself got the real header.
    expect(bank.calls("TransOut").find((call) => call.gid === "auth-headers")?.metadata.authorization).toBe("Bearer downstream-secret");
  });

  it("verifies JWTs against the JWKS: scopes from the claim, the subject as creator; refuses expired, foreign and misaddressed ones", async () => {
    const good = await jwt({ sub: "svc-billing", scope: "submit openid" });
    await (await transfer(client(good), "auth-jwt-1")).submit({ waitResult: true });
    expect((await client(good).getTransaction({ gid: "auth-jwt-1" })).transaction?.status).toBe(4);
    const inspected = await admin(token("ops")).inspectTransaction({ gid: "auth-jwt-1" });
    expect(inspected.transaction?.gid).toBe("auth-jwt-1");
    expect(codeOf(await client(await jwt({ sub: "svc-billing", scope: "read" })).newGid({}).catch((e: unknown) => e))).toBe("PermissionDenied");
    for (const [name, bad] of [
      ["expired", await jwt({ sub: "svc-billing", scope: "submit" }, { expiresIn: "-1m" })],
      ["signed by another key", await jwt({ sub: "svc-billing", scope: "submit" }, { key: strangerKey })],
      ["for another audience", await jwt({ sub: "svc-billing", scope: "submit" }, { audience: "someone-else" })],
    ] as const) {
      const gid = `auth-jwt-${name.replace(/\W/g, "")}`;
      expect(codeOf(await (await transfer(client(bad), gid)).submit().catch((e: unknown) => e)), name).toBe("Unauthenticated");
      expect(await stored(gid)).toBe(false);
    }
  });

  it("guards dtm's HTTP, JSON-RPC and gRPC APIs the same way (401, 403, dtm's answers otherwise)", async () => {
    const trans = (gid: string) => ({ gid, trans_type: "saga", steps: [{ action: bank.target("TransOut"), compensate: bank.target("TransOutCompensate") }], payloads: ["{}"] });
    expect((await http("/api/dtmsvr/newGid")).status).toBe(401);
    expect((await http("/api/dtmsvr/newGid", { token: token("auditor") })).status).toBe(403);
    expect(await (await http("/api/dtmsvr/newGid", { token: token("orders") })).json()).toMatchObject({ gid: expect.stringMatching(/.+/) });
    expect((await http("/api/dtmsvr/submit", { body: trans("auth-dtm-1") })).status).toBe(401);
    expect((await http("/api/dtmsvr/submit", { token: token("auditor"), body: trans("auth-dtm-1") })).status).toBe(403);
    expect(await stored("auth-dtm-1")).toBe(false);
    await (await transfer(client(token("orders")), "auth-dtm-q")).submit({ waitResult: true });
    expect((await http("/api/dtmsvr/query?gid=auth-dtm-q", { token: token("other") })).status).toBe(403);
    expect(await (await http("/api/dtmsvr/query?gid=auth-dtm-q", { token: token("orders") })).json()).toMatchObject({ transaction: { gid: "auth-dtm-q" } });
    expect((await http("/api/dtmsvr/all", { token: token("auditor") })).status).toBe(403);
    expect((await http("/api/dtmsvr/all", { token: token("ops") })).status).toBe(200);

    const rpc = (t?: string) => http("/api/json-rpc", { ...(t ? { token: t } : {}), body: { jsonrpc: "2.0", id: 1, method: "newGid", params: {} } });
    expect((await rpc()).status).toBe(401);
    expect((await rpc(token("auditor"))).status).toBe(403);
    expect(await (await rpc(token("orders"))).json()).toMatchObject({ result: { gid: expect.stringMatching(/.+/) } });

    const dtm = (t?: string) =>
      createClient(
        Dtm,
        createGrpcTransport({
          baseUrl: `http://127.0.0.1:${c.grpcPort}`,
          interceptors: t === undefined ? [] : [(next) => (req) => (req.header.set("authorization", `Bearer ${t}`), next(req))],
        }),
      );
    expect(codeOf(await dtm().newGid({}).catch((e: unknown) => e))).toBe("Unauthenticated");
    expect(codeOf(await dtm(token("auditor")).newGid({}).catch((e: unknown) => e))).toBe("PermissionDenied");
    expect((await dtm(token("orders")).newGid({})).Gid).toMatch(/.+/);
  });

  it("keeps /api/ping and health open, and asks for the read scope at /metrics", async () => {
    expect((await http("/api/ping")).status).toBe(200);
    expect((await http("/")).status).toBe(200);
    expect((await http("/metrics")).status).toBe(401);
    expect((await http("/metrics", { token: token("orders") })).status).toBe(403);
    const scrape = await http("/metrics", { token: token("auditor") });
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toContain("concord_transactions_started_total");
  });

  it("lists every RPC the coordinator serves in the access table", () => {
    const router = createConnectRouter();
    c.coordinator.routes(router);
    const served = router.handlers.map((h) => h.requestPath.slice(1));
    expect(served.length).toBeGreaterThan(20);
    for (const path of served) expect(rpcAccess[path], path).toBeDefined();
  });
});
