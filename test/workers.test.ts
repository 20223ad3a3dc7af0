/**
 * `concord serve --workers N`: real processes on the suite's Postgres. One listening line for the
 * whole process; sagas driven by every worker (each its own lease owner); /metrics answers for
 * all workers; SIGTERM stops them all; a SIGKILLed worker is restarted and its work completed; a
 * SIGKILLed primary takes its workers with it; workers that keep dying make the primary give up;
 * the embedded store refuses more than one worker; --workers 1 runs no cluster.
 */
import { request } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createConcordClient, saga, TransactionStatus } from "../src/client/index.js";
import type { CoordinatorClient } from "../src/client/index.js";
import { CoordinatorEvents } from "../src/engine/index.js";
import type { CircuitState } from "../src/dispatch/index.js";
import { silentLogger } from "../src/logger.js";
import { aggregateMetrics, createMetrics } from "../src/metrics.js";
import { createTestDatabase, type TestDatabase } from "./support/databases.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";
import { parsePrometheusText, total } from "./support/prometheus-text.js";
import { childPids, isAlive, startConcordProcess, waitFinal, type ConcordProcess } from "./support/process.js";

const payload = new TextEncoder().encode("p");
/** Short leases and polls: a killed worker's sagas are claimed again within about a second. */
const fast = ["--workers", "2", "--log-level", "info", "--lease-ms", "1000", "--poll-interval-ms", "100", "--retry-initial-interval-ms", "100", "--retry-max-interval-ms", "500"];

/** Poll until `check()` is truthy, at most `timeoutMs`. */
async function until<T>(check: () => T | Promise<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** GET /metrics on a connection of its own (so scrapes land on different workers). */
function scrape(httpPort: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: httpPort, path: "/metrics", agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The pid in a lease owner id (`host:pid:random`). */
const pidOfOwner = (owner: string) => Number(owner.split(":").at(-2));

describe("concord serve --workers 2", () => {
  let bank: FakeBank;
  let db: TestDatabase;
  let sql: pg.Pool;
  const procs: ConcordProcess[] = [];
  const clients: CoordinatorClient[] = [];
  const start = async (flags: string[] = []) => {
    const p = await startConcordProcess(["--database-url", db.url, ...fast, ...flags]);
    procs.push(p);
    return p;
  };
  /** `n` clients, each on its own HTTP/2 connection: the cluster hands connections to the workers in turn. */
  const connect = (p: ConcordProcess, n: number) =>
    Array.from({ length: n }, () => {
      const client = createConcordClient({ baseUrl: `http://127.0.0.1:${p.grpcPort}` });
      clients.push(client);
      return client;
    });
  const transfer = async (client: CoordinatorClient, gid: string) =>
    (await saga(client, gid)).add(bank.target("TransOut"), bank.target("TransOutCompensate"), payload).add(bank.target("TransIn"), bank.target("TransInCompensate"), payload);
  /** Lease owners holding transactions right now. */
  const leaseOwners = async () =>
    (await sql.query<{ gid: string; lease_owner: string }>("select gid, lease_owner from concord.transactions where lease_owner is not null and finished_at is null")).rows;

  beforeAll(async () => {
    bank = await startFakeBank({ slowMs: 600 });
    db = await createTestDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
  });
  afterEach(async () => {
    await Promise.all(procs.splice(0).map((p) => p.stop("SIGKILL")));
    clients.splice(0);
    bank.reset();
  });
  afterAll(async () => {
    await sql?.end();
    await db?.drop();
    await bank?.stop();
  });

  it("prints one listening line, drives 40 sagas on both workers, sums their metrics, and stops them all on SIGTERM", async () => {
    const p = await start();
    expect(p.stdout()).toEqual([`concord listening: grpc=127.0.0.1:${p.grpcPort} http=127.0.0.1:${p.httpPort} store=postgres`]);
    const workers = childPids(p.proc.pid!);
    expect(workers).toHaveLength(2);

    // Every TransIn takes 600 ms, so each saga holds its lease a while: sample who holds them.
    bank.setDefault("TransIn", "slow");
    const owners = new Set<string>();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const row of await leaseOwners()) owners.add(row.lease_owner);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const via = connect(p, 8);
    const gids = Array.from({ length: 40 }, (_, i) => `w-${i}`);
    await Promise.all(gids.map(async (gid, i) => (await transfer(via[i % via.length]!, gid)).submit()));
    const results = await Promise.all(gids.map((gid) => waitFinal(p.client, gid, 30_000)));
    sampling = false;
    await sampler;
    expect(results.filter((tx) => tx.status !== TransactionStatus.SUCCEEDED).map((tx) => tx.gid)).toEqual([]);
    // Two lease owners, one per worker: each worker is its own instance.
    expect(owners.size).toBe(2);
    expect(new Set([...owners].map(pidOfOwner))).toEqual(new Set(workers));

    // Whichever worker a scrape lands on, it answers for both: 40 submitted, 40 succeeded.
    for (let i = 0; i < 4; i++) {
      const { status, body } = await scrape(p.httpPort);
      expect(status).toBe(200);
      const metrics = parsePrometheusText(body);
      expect(total(metrics, "concord_transactions_started_total", { mode: "saga" })).toBe(40);
      expect(total(metrics, "concord_transactions_finished_total", { mode: "saga", status: "succeeded" })).toBe(40);
      expect(total(metrics, "concord_branch_calls_total", { op: "action", outcome: "success" })).toBe(80);
      expect(total(metrics, "concord_transactions_in_flight")).toBe(0);
    }
    // Cluster-wide gauges are read by every worker from the one store: not added up. One saga
    // kept retrying is one unfinished transaction, not one per worker.
    bank.setDefault("TransIn", "unavailable");
    await (await transfer(p.client, "w-retrying")).submit();
    const unfinished = async () => total(parsePrometheusText((await scrape(p.httpPort)).body), "concord_transactions_unfinished");
    await until(async () => (await unfinished()) === 1, 10_000, "the retrying saga in concord_transactions_unfinished");
    for (let i = 0; i < 3; i++) expect(await unfinished()).toBe(1);

    // SIGHUP to the primary reloads every worker's configuration.
    process.kill(p.proc.pid!, "SIGHUP");
    const reloaded = () => p.stderr().split("\n").filter((line) => line.includes('"msg":"configuration reloaded"') && line.includes('"reason":"SIGHUP"'));
    await until(() => reloaded().length === 2, 10_000, "both workers to reload");
    expect(reloaded().map((line) => (JSON.parse(line) as { worker: number }).worker).sort()).toEqual([1, 2]);

    const stopping = Date.now();
    expect(await p.stop("SIGTERM")).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(15_000);
    expect(workers.filter(isAlive)).toEqual([]);
    expect(p.stderr()).toMatch(/"worker":1,.*"msg":"stopped"/);
    expect(p.stderr()).toMatch(/"worker":2,.*"msg":"stopped"/);
  });

  it("restarts a worker killed while it drives sagas; every saga still completes; a killed primary leaves no worker", async () => {
    const p = await start();
    const [a, b] = childPids(p.proc.pid!);
    bank.setDefault("TransIn", "slow");
    const via = connect(p, 8);
    const gids = Array.from({ length: 40 }, (_, i) => `k-${i}`);
    await Promise.all(gids.map(async (gid, i) => (await transfer(via[i % via.length]!, gid)).submit()));
    // Kill a worker that holds leases right now: what it held must be finished by the others.
    const rows = await until(async () => {
      const held = await leaseOwners();
      return held.some((r) => pidOfOwner(r.lease_owner) === a) ? held : undefined;
    }, 10_000, "a lease held by the first worker");
    const held = rows.filter((r) => pidOfOwner(r.lease_owner) === a).map((r) => r.gid);
    process.kill(a!, "SIGKILL");

    const restarted = await until(() => {
      const now = childPids(p.proc.pid!);
      return now.length === 2 && !now.includes(a!) && now.includes(b!) ? now : undefined;
    }, 20_000, "the killed worker's replacement");
    await until(() => p.stderr().includes('"msg":"worker restarted and listening"'), 20_000, "the replacement to listen");
    expect(p.stderr()).toMatch(/"worker":\d,"workerPid":\d+,"code":null,"signal":"SIGKILL".*"msg":"worker exited unexpectedly; restarting it/);

    const results = await Promise.all(gids.map((gid) => waitFinal(p.client, gid, 30_000)));
    expect(results.filter((tx) => tx.status !== TransactionStatus.SUCCEEDED).map((tx) => tx.gid)).toEqual([]);
    expect(held.length).toBeGreaterThan(0);
    for (const gid of held) expect(bank.calls("TransIn").some((c) => c.gid === gid), gid).toBe(true);
    // The killed worker's counts are gone with it; the replacement's and the survivor's remain.
    const metrics = parsePrometheusText((await scrape(p.httpPort)).body);
    expect(total(metrics, "concord_transactions_finished_total", { mode: "saga", status: "succeeded" })).toBeGreaterThanOrEqual(held.length);

    // The primary dies without a word: its workers notice the closed IPC channel and exit.
    expect(await p.stop("SIGKILL")).toBe("SIGKILL");
    await until(() => restarted.every((pid) => !isAlive(pid)), 5_000, "the workers to exit after their primary");
  });

  it("exits 1 at once, its workers killed, on a second signal during shutdown", async () => {
    const p = await start();
    const workers = childPids(p.proc.pid!);
    bank.failNext("TransIn", "slow");
    await (await transfer(p.client, "twice-1")).submit();
    await bank.waitForCalls("TransIn", 1, 10_000);
    // The first signal waits for the saga in flight (600 ms); the second does not.
    p.proc.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 100));
    p.proc.kill("SIGINT");
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain("concord: SIGINT during shutdown; exiting now");
    await until(() => workers.every((pid) => !isAlive(pid)), 2_000, "the killed workers to be gone");
  });

  it("gives up with exit 1 when workers keep dying", async () => {
    const p = await start();
    let killed = 0;
    const seen = new Set<number>();
    while (killed < 5) {
      const pids = await until(() => {
        const now = childPids(p.proc.pid!).filter((pid) => !seen.has(pid));
        return now.length > 0 ? now : undefined;
      }, 20_000, "a worker to kill");
      for (const pid of pids.slice(0, 5 - killed)) {
        seen.add(pid);
        process.kill(pid, "SIGKILL");
        killed++;
      }
    }
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/concord: giving up: workers exited unexpectedly 5 times within 60 s/);
    expect([...seen].filter(isAlive)).toEqual([]);
  });

  it("refuses more than one worker on the embedded store, naming --workers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "concord-workers-"));
    try {
      const err = (await startConcordProcess(["--data-dir", join(dir, "data"), "--workers", "2"]).catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/exited \(2\) before listening/);
      expect(err.message).toContain("concord: --workers 2 (flag --workers) needs a Postgres server (--database-url)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs no cluster with --workers 1", async () => {
    const p = await start(["--workers", "1"]);
    expect(childPids(p.proc.pid!)).toEqual([]);
    expect(p.stdout()).toHaveLength(1);
    expect(await p.stop("SIGTERM")).toBe(0);
  });
});

describe("the metrics of several workers, aggregated", () => {
  it("sums counters, histograms and per-instance gauges, and takes the largest cluster-wide gauge and circuit state", async () => {
    const worker = (inFlight: number, state: CircuitState) => {
      const events = new CoordinatorEvents();
      const metrics = createMetrics({
        events,
        inFlight: () => inFlight,
        circuits: () => [{ address: "bank:1", state, consecutiveUnknown: 0 }],
        services: () => [],
        // The same store behind both: 7 unfinished, 1 stuck, whoever reads it.
        overview: () => Promise.resolve({ created: 9, succeeded: 2, failed: 0, stuck: 1, unfinished: 7, schedulerLagMs: 1500 }),
        logger: silentLogger,
      });
      return { events, metrics };
    };
    const [a, b] = [worker(2, "open"), worker(3, "closed")];
    for (const [w, n] of [[a, 3], [b, 2]] as const) {
      for (let i = 0; i < n; i++) {
        w.events.emit("transaction:submitted", { gid: `g${i}`, mode: "saga" });
        w.events.emit("transaction:finished", { gid: `g${i}`, mode: "saga", status: "succeeded", rollbackReason: "", durationMs: 100 });
      }
    }
    try {
      const text = await aggregateMetrics([await a.metrics.registry.getMetricsAsJSON(), await b.metrics.registry.getMetricsAsJSON()]);
      const metrics = parsePrometheusText(text);
      expect(total(metrics, "concord_transactions_started_total", { mode: "saga" })).toBe(5);
      expect(total(metrics, "concord_transaction_duration_seconds", { mode: "saga", status: "succeeded" })).toBe(5);
      expect(total(metrics, "concord_transactions_in_flight")).toBe(5);
      expect(total(metrics, "concord_transactions_unfinished")).toBe(7);
      expect(total(metrics, "concord_transactions_stuck")).toBe(1);
      expect(total(metrics, "concord_scheduler_lag_seconds")).toBe(1.5);
      expect(total(metrics, "concord_circuit_state", { service: "bank:1" })).toBe(2);
      // Per-process figures: summed over the workers, the start time left out.
      expect(metrics.process_cpu_seconds_total).toBeDefined();
      expect(metrics.process_start_time_seconds).toBeUndefined();
    } finally {
      a.metrics.close();
      b.metrics.close();
    }
  });
});
