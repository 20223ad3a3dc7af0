/**
 * Group commit on a real Postgres: concurrent inserts and progress writes share statements and
 * commits (rows written by one statement share its transaction id, xmin), each caller gets its
 * own answer, and a `concord serve` killed with SIGKILL while batches are in flight loses no
 * acknowledged saga and leaves none half-stored.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saga, TransactionStatus } from "../src/client/index.js";
import type { TransOptions, TransactionSpec } from "../src/model.js";
import type { Mode } from "../src/model.js";
import type { NewBranch, NewTransaction, Store } from "../src/store/index.js";
import { createTestDatabase, openTestStore, type TestDatabase, type TestStore } from "./support/databases.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";
import { startConcordProcess, waitFinal, type ConcordProcess } from "./support/process.js";

const options: TransOptions = {
  waitResult: false,
  timeoutToFailMs: 0,
  requestTimeoutMs: 3000,
  retry: { initialIntervalMs: 1000, maxIntervalMs: 60_000, backoffMultiplier: 2, maxAttempts: 0 },
  branchHeaders: {},
};
const spec: TransactionSpec = {
  steps: [{ branchId: "01", action: "bank:1/b.B/Out", compensate: "bank:1/b.B/OutUndo", after: [], headers: {}, requestTimeoutMs: 0 }],
  concurrent: false,
  queryPrepared: "",
};
const branches: NewBranch[] = [
  { branchId: "01", op: "action", target: "bank:1/b.B/Out", payload: new Uint8Array([1, 0, 255]) },
  { branchId: "01", op: "compensate", target: "bank:1/b.B/OutUndo", payload: new Uint8Array([2]) },
];
const newTx = (gid: string, extra: Partial<NewTransaction> = {}): NewTransaction => ({
  gid,
  mode: "saga",
  status: "submitted",
  spec,
  options,
  customData: "",
  requestHash: "h",
  timeoutToFailMs: 0,
  lease: { owner: "me", leaseMs: 60_000 },
  ...extra,
});

/** How many database transactions (commits) wrote these rows: rows of one statement share xmin. */
async function commitsOf(url: string, gids: readonly string[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>("select count(distinct xmin::text)::int as n from concord.transactions where gid = any($1)", [gids]);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

describe("group commit on postgres", () => {
  let t: TestStore;
  let store: Store;
  let url: string;
  const run = randomBytes(4).toString("hex");

  beforeAll(async () => {
    t = await openTestStore("postgres");
    store = t.store;
    url = t.url!;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("writes 200 concurrent inserts in far fewer commits, each with its branches, and finishes them the same way", async () => {
    const gids = Array.from({ length: 200 }, (_, i) => `gc-${run}-${i}`);
    const created = await Promise.all(gids.map((gid) => store.createTransaction(newTx(gid), branches)));
    expect(created.every((c) => c.created)).toBe(true);
    expect(await commitsOf(url, gids)).toBeLessThan(50);
    for (const gid of gids.slice(0, 5)) {
      const tx = await store.getTransaction(gid);
      expect(tx?.branches.map((b) => [b.op, [...b.payload]])).toEqual([
        ["action", [1, 0, 255]],
        ["compensate", [2]],
      ]);
    }
    // The finishes, fenced on the owner: the 10 written by someone else are refused, the rest land.
    const saved = await Promise.all(
      gids.map((gid, i) =>
        store.saveProgress({
          gid,
          owner: i < 10 ? "someone-else" : "me",
          fromStatus: "submitted",
          toStatus: "succeeded",
          next: { kind: "finish" },
          branches: [{ branchId: "01", op: "action", status: "succeeded", attempts: 1, lastError: "" }],
        }),
      ),
    );
    expect(saved.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => undefined));
    expect(saved.slice(10).every((s) => s?.status === "succeeded" && s.finishedAt !== null)).toBe(true);
    expect(await commitsOf(url, gids.slice(10))).toBeLessThan(50);
    const refused = await store.getTransaction(gids[0]!);
    expect([refused?.status, refused?.branches.find((b) => b.op === "action")?.status]).toEqual(["submitted", "prepared"]);
    const finished = await store.getTransaction(gids[10]!);
    expect([finished?.status, finished?.branches.find((b) => b.op === "action")?.status]).toEqual(["succeeded", "succeeded"]);
  });

  it("creates a gid once when the same one arrives many times at once; the others read it back", async () => {
    const gid = `gc-${run}-same`;
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.createTransaction(newTx(gid, { requestHash: `h${i}` }), branches)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    for (const r of results.filter((r) => !r.created)) {
      expect(!r.created && r.existing.branches).toHaveLength(2);
    }
  });

  it("fails only the write the database refuses when it shares a statement with others", async () => {
    const gids = Array.from({ length: 20 }, (_, i) => `gc-${run}-bad-${i}`);
    const results = await Promise.allSettled(
      gids.map((gid, i) => store.createTransaction(newTx(gid, i === 7 ? { mode: "bogus" as Mode } : {}), branches)),
    );
    expect(results.map((r) => r.status)).toEqual(gids.map((_, i) => (i === 7 ? "rejected" : "fulfilled")));
    expect(await store.getTransaction(gids[7]!)).toBeUndefined();
    expect((await store.getTransaction(gids[8]!))?.branches).toHaveLength(2);
  });
});

describe("group commit and a crash", () => {
  let bank: FakeBank;
  let db: TestDatabase;
  const procs: ConcordProcess[] = [];

  beforeAll(async () => {
    bank = await startFakeBank({});
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop("SIGKILL")));
    await bank?.stop();
    await db?.drop();
  });

  it("SIGKILL while batches are in flight: every acknowledged saga completes, and no stored one lacks its branches", async () => {
    const flags = ["--database-url", db.url, "--workers", "1", "--lease-ms", "1000", "--poll-interval-ms", "100"];
    const first = await startConcordProcess(flags);
    procs.push(first);
    const payload = new TextEncoder().encode("p");
    const acknowledged: string[] = [];
    const sent: string[] = [];
    let killed = false;
    // 64 clients submitting back to back (no wait_result: each answer means its insert committed),
    // so inserts and finishes are always being grouped when the kill lands.
    const clients = Array.from({ length: 64 }, async (_, c) => {
      for (let i = 0; !killed; i++) {
        const gid = `crash-${c}-${i}`;
        sent.push(gid);
        try {
          await (await saga(first.client, gid))
            .add(bank.target("TransOut"), bank.target("TransOutCompensate"), payload)
            .add(bank.target("TransIn"), bank.target("TransInCompensate"), payload)
            .submit({ timeoutMs: 5000 });
          acknowledged.push(gid);
        } catch {
          return; // Not acknowledged: the process is gone.
        }
      }
    });
    while (acknowledged.length < 600) await new Promise((r) => setTimeout(r, 20));
    killed = true;
    expect(await first.stop("SIGKILL")).toBe("SIGKILL");
    await Promise.all(clients);

    const second = await startConcordProcess(flags);
    procs.push(second);
    const finals = await Promise.all(acknowledged.map((gid) => waitFinal(second.client, gid, 60_000)));
    expect(finals.filter((tx) => tx.status !== TransactionStatus.SUCCEEDED).map((tx) => tx.gid)).toEqual([]);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      // Every stored transaction has all four branch rows (insert and branches are one statement)…
      const { rows: partial } = await client.query<{ gid: string; n: number }>(
        `select t.gid, count(b.gid)::int as n from concord.transactions t left join concord.branches b using (gid)
         group by t.gid having count(b.gid) <> 4`,
      );
      expect(partial).toEqual([]);
      // …and whatever was stored without an answer is driven to the end too, never left half-way.
      const stored = (await client.query<{ gid: string }>("select gid from concord.transactions")).rows.map((r) => r.gid);
      const unacknowledged = stored.filter((gid) => !acknowledged.includes(gid));
      for (const gid of unacknowledged) expect((await waitFinal(second.client, gid, 60_000)).status).toBe(TransactionStatus.SUCCEEDED);
      expect(stored.every((gid) => sent.includes(gid))).toBe(true);
      // The batches were real: far fewer inserting commits than transactions.
      const { rows } = await client.query<{ n: number; commits: number }>(
        "select count(*)::int as n, count(distinct xmin::text)::int as commits from concord.transactions",
      );
      expect(rows[0]!.commits).toBeLessThan(rows[0]!.n);
    } finally {
      await client.end();
    }
  }, 120_000);
});
