/**
 * Live configuration of a real `concord serve`: a SIGHUP or a changed config file applies the
 * log level and a branch service's limit while sagas flow, none lost; a broken file keeps the
 * running configuration; a setting that needs a restart is named and kept.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { createConcordClient, saga, TransactionStatus } from "../src/client/index.js";
import { startCountingService, type CountingService } from "./support/counting-service.js";
import { createTestDatabase, type TestDatabase } from "./support/databases.js";
import { startConcordProcess, type ConcordProcess } from "./support/process.js";

const payload = new TextEncoder().encode("{}");

/** Poll until `done()`, at most `timeoutMs`. */
async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("live configuration", () => {
  let dir: string;
  let file: string;
  let db: TestDatabase;
  let service: CountingService;
  let concord: ConcordProcess;
  const write = (text: string) => writeFileSync(file, text);
  const settings = (logLevel: string, maxConcurrency: number, extra = "") =>
    `logLevel: ${logLevel}\nservices:\n  "${service.address}": {maxConcurrency: ${maxConcurrency}}\n${extra}`;
  /** How many log lines with a message starting with `msg` have been written so far. */
  const logged = (msg: string) => concord.stderr().split("\n").filter((line) => line.includes(`"msg":"${msg}`)).length;
  const runSagas = (prefix: string, n: number) =>
    Promise.all(
      Array.from({ length: n }, async (_, i) =>
        (await saga(concord.client, `${prefix}-${i}`, { requestTimeoutMs: 10_000 })).add(service.target, service.target, payload).submit({ waitResult: true, timeoutMs: 60_000 }),
      ),
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "concord-reload-"));
    file = join(dir, "concord.yaml");
    db = await createTestDatabase();
    service = await startCountingService(100);
    write(settings("warn", 1));
    // The log level comes from the file: no CONCORD_LOG_LEVEL to beat it. One worker: a service's
    // limit holds per instance (per worker), and the test counts calls at the service.
    concord = await startConcordProcess(["--database-url", db.url, "--config", file, "--workers", "1"], 30_000, { CONCORD_LOG_LEVEL: "" });
  });
  afterAll(async () => {
    await concord?.stop("SIGTERM");
    await service?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("applies a new log level and service limit on SIGHUP while sagas flow, losing none", async () => {
    const first = runSagas("reload-a", 8);
    await until(() => service.calls >= 3, 10_000, "the first calls");
    const arrivalsBefore = service.inFlightAtArrival.length;
    write(settings("debug", 3));
    concord.proc.kill("SIGHUP");
    const reloads = () => concord.stderr().split("\n").filter((line) => line.includes('"msg":"configuration reloaded"'));
    await until(() => reloads().some((line) => line.includes('"reason":"SIGHUP"')), 10_000, "the reload");
    // (The file's watcher may have seen the change first; then the SIGHUP found nothing new.)
    const reloadLine = reloads()[0]!;
    expect(JSON.parse(reloadLine)).toMatchObject({ level: "info", applied: ["--log-level", "services"] });
    const second = runSagas("reload-b", 12);
    const done = [...(await first), ...(await second)];
    expect(done.map((tx) => tx.status)).toEqual(Array(20).fill(TransactionStatus.SUCCEEDED));
    // One at a time at the service before the reload, up to three after, never more.
    expect(Math.max(...service.inFlightAtArrival.slice(0, arrivalsBefore))).toBe(1);
    expect(Math.max(...service.inFlightAtArrival)).toBe(3);
    // Debug lines (each RPC) now, none before.
    const lines = concord.stderr().split("\n");
    const reloadAt = lines.indexOf(reloadLine);
    expect(lines.slice(0, reloadAt).some((line) => line.includes('"level":"debug"'))).toBe(false);
    expect(lines.slice(reloadAt).some((line) => line.includes('"level":"debug"') && line.includes('"msg":"rpc"'))).toBe(true);
  });

  it("keeps the running configuration when the file is broken, and says why", async () => {
    const refusedBefore = logged("configuration not reloaded");
    write("services: [\n");
    concord.proc.kill("SIGHUP");
    await until(() => logged("configuration not reloaded") > refusedBefore, 10_000, "the refusal");
    write(settings("debug", 3, "retry: {maxAttempts: -1}\n"));
    concord.proc.kill("SIGHUP");
    await until(() => logged("configuration not reloaded") > refusedBefore + 1, 10_000, "the second refusal");
    expect(concord.stderr()).toContain("retry.maxAttempts");
    // Still at three: a burst reaches three at the service, never four.
    const from = service.inFlightAtArrival.length;
    const done = await runSagas("reload-c", 8);
    expect(done.every((tx) => tx.status === TransactionStatus.SUCCEEDED)).toBe(true);
    expect(Math.max(...service.inFlightAtArrival.slice(from))).toBe(3);
  });

  it("reloads when the file changes, without a signal, and names a changed setting that needs a restart", async () => {
    const reloadsBefore = logged("configuration reloaded");
    write(settings("info", 2, "databasePoolSize: 3\n"));
    await until(() => logged("configuration reloaded") > reloadsBefore, 15_000, "the reload of the changed file");
    const lines = concord.stderr().split("\n");
    const restart = lines.filter((line) => line.includes("need a restart")).at(-1)!;
    expect(JSON.parse(restart)).toMatchObject({ level: "warn", settings: ["--database-pool-size"] });
    const reload = lines.filter((line) => line.includes('"msg":"configuration reloaded"')).at(-1)!;
    expect(JSON.parse(reload)).toMatchObject({ reason: "a watched file changed", applied: ["--log-level", "services"] });
    // It goes on serving.
    expect((await concord.client.newGid({})).gid).toMatch(/.+/);
  });

  it("turns authentication on with a tokens file, and takes a rotated token when the file changes", async () => {
    const tokens = join(dir, "tokens.yaml");
    const [oldToken, newToken] = ["first-token-0123456789abcdefghijklmnopqrstuv", "second-token-0123456789abcdefghijklmnopqrstu"];
    writeFileSync(tokens, `- {name: orders, token: "${oldToken}", scopes: [submit]}\n`);
    write(settings("info", 2, `tokensFile: ${tokens}\n`));
    concord.proc.kill("SIGHUP");
    const client = (token: string) => createConcordClient({ baseUrl: `http://127.0.0.1:${concord.grpcPort}`, token });
    const code = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof ConnectError ? Code[e.code] : String(e)));
    await until(() => concord.stderr().includes("--tokens-file"), 10_000, "the reload that turns authentication on");
    expect(await code(concord.client.newGid({}))).toBe("Unauthenticated");
    expect(await code(client(oldToken).newGid({}))).toBe("OK");
    writeFileSync(tokens, `- {name: orders, token: "${newToken}", scopes: [submit]}\n`);
    const deadline = Date.now() + 15_000;
    while ((await code(client(oldToken).newGid({}))) === "OK" && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await code(client(oldToken).newGid({}))).toBe("Unauthenticated");
    expect(await code(client(newToken).newGid({}))).toBe("OK");
  });
});
