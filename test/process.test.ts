/**
 * Process-level tests: real `concord serve` processes on a real Postgres database, killed,
 * stopped and run side by side.
 */
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { saga, TransactionStatus, BranchOp } from "../src/client/index.js";
import type { CoordinatorClient } from "../src/client/index.js";
import { createTestDatabase } from "./support/databases.js";
import type { TestDatabase } from "./support/databases.js";
import { startFakeBank } from "./support/fake-bank.js";
import type { FakeBank } from "./support/fake-bank.js";
import { startConcordProcess, waitFinal } from "./support/process.js";
import type { ConcordProcess } from "./support/process.js";

const payload = new TextEncoder().encode("p");
const packageVersion = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
// A circuit opened by the injected faults is probed again after half a second, not the default 5 s:
// with 5 s, each probe that meets one more injected fault costs another 5 s, and how many do
// depends on timing, so the runs took 18-40 s. One process each (--workers 1): these tests are about
// what a single instance's crash or shutdown does (test/workers.test.ts covers --workers N).
const fast = ["--workers", "1", "--lease-ms", "1000", "--poll-interval-ms", "100", "--retry-initial-interval-ms", "50", "--retry-max-interval-ms", "500", "--breaker-open-ms", "500"];

describe("concord serve processes", () => {
  let bank: FakeBank;
  let db: TestDatabase;
  const procs: ConcordProcess[] = [];
  const start = async (extra: string[] = []) => {
    const p = await startConcordProcess(["--database-url", db.url, ...fast, ...extra]);
    procs.push(p);
    return p;
  };

  beforeAll(async () => {
    bank = await startFakeBank({ slowMs: 1500 });
  });
  afterEach(async () => {
    await Promise.all(procs.splice(0).map((p) => p.stop("SIGKILL")));
    await db?.drop();
    bank.reset();
  });
  afterAll(async () => {
    await bank?.stop();
  });

  const transfer = async (client: CoordinatorClient, gid: string) =>
    (await saga(client, gid))
      .add(bank.target("TransOut"), bank.target("TransOutCompensate"), payload)
      .add(bank.target("TransIn"), bank.target("TransInCompensate"), payload);

  it("logs one info line at start with the version and the settings, the database password masked", async () => {
    db = await createTestDatabase();
    const password = decodeURIComponent(new URL(db.url).password);
    expect(password).not.toBe("");
    const p = await start(["--log-level", "info"]);
    const startLine = () =>
      p
        .stderr()
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { level: string; msg: string; version?: string; config?: Record<string, unknown> })
        .find((entry) => entry.msg === "starting concord");
    await expect.poll(startLine, { timeout: 5000 }).toBeDefined();
    const entry = startLine()!;
    expect(entry.level).toBe("info");
    expect(entry.version).toBe(packageVersion);
    expect(entry.config).toMatchObject({ host: "127.0.0.1", shutdownGraceMs: 10000, leaseMs: 1000, handshakeTimeoutMs: 10000 });
    expect(entry.config?.databaseUrl).toMatch(/^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\//);
    expect(p.stderr()).not.toContain(password);
  });

  it("a saga whose instance is killed mid-flight is completed by the restarted instance", async () => {
    db = await createTestDatabase();
    const first = await start();
    bank.failNext("TransIn", "slow");
    await (await transfer(first.client, "kill-1")).submit();
    await bank.waitForCalls("TransIn", 1, 10_000);
    expect(await first.stop("SIGKILL")).toBe("SIGKILL");

    const second = await start();
    const tx = await waitFinal(second.client, "kill-1");
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    // The killed run's calls were never recorded, so the new owner ran the saga forward again.
    expect(bank.calls("TransIn").filter((c) => c.gid === "kill-1").length).toBeGreaterThanOrEqual(2);
  });

  it("SIGTERM lets the in-flight saga finish, then exits 0", async () => {
    db = await createTestDatabase();
    const p = await start();
    bank.failNext("TransIn", "slow");
    await (await transfer(p.client, "term-1")).submit();
    await bank.waitForCalls("TransIn", 1, 10_000);
    expect(await p.stop("SIGTERM")).toBe(0);
    const after = await start();
    const tx = (await after.client.getTransaction({ gid: "term-1" })).transaction!;
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    expect(bank.calls("TransIn").filter((c) => c.gid === "term-1")).toHaveLength(1);
  });

  it("two instances on one database finish a few hundred sagas with transient faults, no action run more often than recorded", async () => {
    db = await createTestDatabase();
    const [a, b] = [await start(), await start()];
    bank.failNext("TransIn", "unavailable", 40);
    bank.failNext("TransOut", "unavailable", 20);
    const gids = Array.from({ length: 300 }, (_, i) => `pair-${i}`);
    await Promise.all(gids.map(async (gid, i) => (await transfer(i % 2 ? a.client : b.client, gid)).submit()));
    // Kill nothing, but make both instances compete for the retries through the scheduler.
    const results = await Promise.all(gids.map((gid, i) => waitFinal(i % 2 ? b.client : a.client, gid, 60_000)));
    expect(results.filter((t) => t.status !== TransactionStatus.SUCCEEDED).map((t) => t.gid)).toEqual([]);
    const callCounts = new Map<string, number>();
    for (const call of bank.calls()) {
      const k = `${call.gid}/${call.branchId}/${call.op}`;
      callCounts.set(k, (callCounts.get(k) ?? 0) + 1);
    }
    for (const tx of results) {
      for (const br of tx.branches.filter((x) => x.op === BranchOp.ACTION)) {
        const calls = callCounts.get(`${tx.gid}/${br.branchId}/action`) ?? 0;
        expect(calls, `${tx.gid}/${br.branchId}`).toBeLessThanOrEqual(br.attempts);
        expect(calls).toBeGreaterThanOrEqual(1);
      }
    }
  }, 120_000);

  it("instances killed with SIGKILL while sagas flow lose no acknowledged saga", async () => {
    db = await createTestDatabase();
    let a = await start();
    const b = await start();
    bank.failNext("TransIn", "unavailable", 30);
    const acknowledged: string[] = [];
    let acknowledgedByKilled = 0;
    for (let round = 0; round < 3; round++) {
      // Submit a batch through both instances without waiting, then kill one mid-flight: once it
      // has acknowledged some of its sagas (their TransIn keeps failing, so they are still
      // running) and the bank has seen this round's calls. Its acknowledgements come in groups
      // (one per shared insert statement), so waiting for the bank alone could kill it first.
      const batch = Array.from({ length: 50 }, (_, i) => `chaos-${round}-${i}`);
      let ackedHere = 0;
      const submits = batch.map(async (gid, i) => {
        const via = i % 2 ? a : b;
        try {
          await (await transfer(via.client, gid)).submit();
          acknowledged.push(gid);
          if (via === a) ackedHere++;
        } catch {
          // Not acknowledged (its instance was killed first): the client would retry; we skip it.
        }
      });
      await bank.waitForCalls("TransOut", (round + 1) * 20, 20_000);
      for (let waited = 0; ackedHere === 0 && waited < 20_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      await a.stop("SIGKILL");
      await Promise.all(submits);
      acknowledgedByKilled += ackedHere;
      a = await start();
    }
    // The killed instances had acknowledged sagas in flight, which the survivor must finish.
    expect(acknowledgedByKilled).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(75);
    const results = await Promise.all(acknowledged.map((gid) => waitFinal(b.client, gid, 60_000)));
    expect(results.filter((t) => t.status !== TransactionStatus.SUCCEEDED).map((t) => t.gid)).toEqual([]);
    for (const tx of results) {
      expect(bank.calls("TransIn").some((c) => c.gid === tx.gid), tx.gid).toBe(true);
    }
    // Nothing failed, so nothing was compensated.
    expect(bank.count("TransOutCompensate") + bank.count("TransInCompensate")).toBe(0);
  }, 120_000);
});
