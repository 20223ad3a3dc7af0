/**
 * Opening the store on a Postgres server that is not reachable yet: bounded retries with a log
 * line per attempt, no retry for errors that waiting cannot fix, and a clear refusal of a
 * database URL that is not a Postgres URL.
 */
import { spawn } from "node:child_process";
import { createServer, connect, type Server, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import { openStore } from "../src/store/index.js";
import { isNotReachableYet } from "../src/store/wait-for-postgres.js";
import { createTestDatabase, type TestDatabase } from "./support/databases.js";
import { startConcordProcess } from "./support/process.js";

interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

function collectingLogger() {
  const lines: LogLine[] = [];
  return { lines, logger: createLogger("debug", (line) => void lines.push(JSON.parse(line) as LogLine)) };
}

const retries = (lines: LogLine[]) => lines.filter((l) => l.level === "warn" && l.msg === "store: Postgres is not reachable yet; retrying");

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A loopback port nobody listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await close(server);
  return port;
}

/**
 * A TCP proxy to `target` that resets every connection until `open()` is called, like a Postgres
 * behind a load balancer while it is still starting.
 */
async function startGatedProxy(target: { host: string; port: number }) {
  let forwarding = false;
  let refused = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.once("close", () => sockets.delete(client));
    if (!forwarding) {
      refused++;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    sockets.add(upstream);
    upstream.once("close", () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    client.once("error", () => upstream.destroy());
    upstream.once("error", () => client.destroy());
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
  });
  const port = await listen(server);
  return {
    port,
    refused: () => refused,
    open: () => void (forwarding = true),
    async close() {
      for (const s of sockets) s.destroy();
      await close(server);
    },
  };
}

function withPort(url: string, port: number, password?: string): string {
  const u = new URL(url);
  u.hostname = "127.0.0.1";
  u.port = String(port);
  if (password !== undefined) u.password = password;
  return u.toString();
}

describe("opening the store on a Postgres server", () => {
  let db: TestDatabase | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await db?.drop();
    db = undefined;
  });

  it("gives up on a port where nothing listens after about connectTimeoutMs, having logged each retry with the password masked", async () => {
    const url = `postgres://concord:s3cret-pw@127.0.0.1:${await deadPort()}/concord`;
    const { lines, logger } = collectingLogger();
    const started = Date.now();
    const err = (await openStore({ databaseUrl: url, dataDir: "", connectTimeoutMs: 1500, logger }).catch((e: unknown) => e)) as Error;
    const elapsed = Date.now() - started;

    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/^cannot reach Postgres at postgres:\/\/concord:\*\*\*@127\.0\.0\.1:\d+\/concord \(gave up after \d+ attempts in \d+ ms\): .*ECONNREFUSED/);
    expect(elapsed).toBeGreaterThanOrEqual(1500);
    expect(elapsed).toBeLessThan(5000);
    // 250, 500, 750 (the rest): three waits, so four attempts and three warnings.
    const warned = retries(lines);
    expect(warned.length).toBeGreaterThanOrEqual(2);
    expect(warned[0]).toMatchObject({ attempt: 1, retryInMs: 250, url: expect.stringContaining("concord:***@127.0.0.1") });
    expect(warned[1]).toMatchObject({ attempt: 2, retryInMs: 500 });
    expect(String(warned[0]!.reason)).toContain("ECONNREFUSED");
    expect(JSON.stringify(lines)).not.toContain("s3cret-pw");
    expect(err.message).not.toContain("s3cret-pw");
  });

  it("tries once when connectTimeoutMs is 0", async () => {
    const { lines, logger } = collectingLogger();
    const url = `postgres://concord@127.0.0.1:${await deadPort()}/concord`;
    await expect(openStore({ databaseUrl: url, dataDir: "", connectTimeoutMs: 0, logger })).rejects.toThrow(/^cannot reach Postgres at .*: .*ECONNREFUSED/);
    expect(retries(lines)).toEqual([]);
  });

  it("opens once a server that resets connections at first starts answering", async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    const proxy = await startGatedProxy({ host: target.hostname, port: Number(target.port) });
    cleanups.push(() => proxy.close());
    const { lines, logger } = collectingLogger();

    // The proxy opens its gate after about a second, while openStore is retrying.
    const gate = setTimeout(proxy.open, 1000);
    cleanups.push(async () => clearTimeout(gate));
    const store = await openStore({ databaseUrl: withPort(db.url, proxy.port), dataDir: "", connectTimeoutMs: 20_000, poolSize: 2, logger });
    cleanups.push(() => store.close());

    expect(proxy.refused()).toBeGreaterThanOrEqual(2);
    expect(retries(lines).length).toBeGreaterThanOrEqual(2);
    expect(String(retries(lines)[0]!.reason)).toMatch(/ECONNRESET|Connection terminated/);
    expect(lines).toContainEqual(expect.objectContaining({ level: "info", msg: "store: Postgres is reachable" }));
    // It is a working store on the real database behind the proxy.
    expect(await store.getTransaction("no-such-gid")).toBeUndefined();
  });

  it("fails at once, without retrying, on a wrong password", async () => {
    db = await createTestDatabase();
    const { lines, logger } = collectingLogger();
    const url = withPort(db.url, Number(new URL(db.url).port), "wrong-password");
    const started = Date.now();
    const err = (await openStore({ databaseUrl: url, dataDir: "", connectTimeoutMs: 20_000, logger }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^cannot connect to Postgres at postgres:\/\/.*:\*\*\*@.*: password authentication failed .*\(28P01\)$/);
    expect(err.message).not.toContain("wrong-password");
    expect(retries(lines)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("fails at once, without retrying, on a database that does not exist", async () => {
    db = await createTestDatabase();
    const { lines, logger } = collectingLogger();
    const url = new URL(db.url);
    url.pathname = "/no_such_database";
    await expect(openStore({ databaseUrl: url.toString(), dataDir: "", connectTimeoutMs: 20_000, logger })).rejects.toThrow(
      /^cannot connect to Postgres at .*no_such_database: database "no_such_database" does not exist \(3D000\)$/,
    );
    expect(retries(lines)).toEqual([]);
  });

  it("stops waiting when its abort signal fires", async () => {
    const controller = new AbortController();
    const url = `postgres://concord@127.0.0.1:${await deadPort()}/concord`;
    const { lines, logger } = collectingLogger();
    const opening = openStore({ databaseUrl: url, dataDir: "", connectTimeoutMs: 60_000, signal: controller.signal, logger });
    // Abort once the first retry has been announced: the wait, not the attempt, is interrupted.
    const until = Date.now() + 10_000;
    while (retries(lines).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    controller.abort(new Error("SIGTERM during start-up"));
    await expect(opening).rejects.toThrow("SIGTERM during start-up");
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("which connect errors mean 'not reachable yet'", () => {
  const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

  it("retries network errors, a server still starting up and connection exceptions", () => {
    for (const code of ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNRESET", "57P03", "08006", "08001"]) {
      expect(isNotReachableYet(withCode(code)), code).toBe(true);
    }
    expect(isNotReachableYet(new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")], ""))).toBe(true);
    expect(isNotReachableYet(new Error("Connection terminated unexpectedly"))).toBe(true);
  });

  it("does not retry authentication failures, a missing database or anything unknown", () => {
    for (const code of ["28P01", "28000", "3D000", "42501", "53300", "EACCES"]) {
      expect(isNotReachableYet(withCode(code)), code).toBe(false);
    }
    expect(isNotReachableYet(new Error("something else"))).toBe(false);
  });
});

describe("concord serve with Postgres out of reach", () => {
  it("retries for --database-connect-timeout-ms with a warning per attempt, then exits 2 with the masked URL", async () => {
    const url = `postgres://concord:s3cret-pw@127.0.0.1:${await deadPort()}/concord`;
    const err = (await startConcordProcess(["--database-url", url, "--database-connect-timeout-ms", "1500"]).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/exited \(2\) before listening/);
    expect(err.message).toMatch(/concord: cannot start: cannot reach Postgres at postgres:\/\/concord:\*\*\*@127\.0\.0\.1:\d+\/concord \(gave up after \d+ attempts/);
    const warnings = err.message.split("\n").filter((line) => line.includes("store: Postgres is not reachable yet; retrying"));
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(err.message).not.toContain("s3cret-pw");
  });
});

describe("concord serve stopped while it waits for Postgres", () => {
  it("ends the start on SIGTERM with exit 0, not killed mid-wait", async () => {
    const bin = fileURLToPath(new URL("../bin/concord.js", import.meta.url));
    const url = `postgres://concord:pw@127.0.0.1:${await deadPort()}/concord`;
    const proc = spawn(process.execPath, [bin, "serve", "--grpc-port", "0", "--http-port", "0", "--database-url", url], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, CONCORD_LOG_LEVEL: "info" },
    });
    let stderr = "";
    const exited = new Promise<number | string>((resolve) => proc.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
    // Bounded: the default connect timeout (30 s) is far longer than this wait for the first retry.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no retry line in 20 s:\n${stderr}`)), 20_000);
      proc.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes("Postgres is not reachable yet")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    proc.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr).toContain('"msg":"stopped during start-up"');
    expect(stderr).not.toContain("cannot start");
  });
});

describe("concord serve with a database URL that is not a Postgres URL", () => {
  it("exits 2 naming the flag, without dialling anything or echoing the password", async () => {
    for (const url of ["not a url", "mysql://root:topsecret@db:3306/concord"]) {
      const err = (await startConcordProcess(["--database-url", url]).catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/exited \(2\) before listening/);
      expect(err.message).toMatch(/concord: invalid value for flag --database-url: expected a Postgres URL/);
      expect(err.message).not.toContain("getaddrinfo");
      expect(err.message).not.toContain("topsecret");
    }
  });
});
