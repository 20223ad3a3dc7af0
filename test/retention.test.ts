/**
 * Retention deletes finished transactions older than the configured age, with their branches and
 * timeline, in small batches, while live work goes on; nothing unfinished or recent is touched.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saga, TransactionStatus } from "../src/client/index.js";
import { startFakeBank, type FakeBank } from "./support/fake-bank.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";
import { openTestStore } from "./support/databases.js";
import type { TransOptions } from "../src/model.js";
import { parsePrometheusText, total } from "./support/prometheus-text.js";

const hourMs = 3_600_000;
const testOptions: TransOptions = {
  waitResult: false,
  timeoutToFailMs: 0,
  requestTimeoutMs: 1000,
  retry: { initialIntervalMs: 100, maxIntervalMs: 100, backoffMultiplier: 2, maxAttempts: 0 },
  branchHeaders: {},
};

describe("retention", () => {
  let bank: FakeBank;
  let c: TestCoordinator;
  let db: pg.Client;

  beforeAll(async () => {
    bank = await startFakeBank();
    c = await startTestCoordinator("postgres", { retentionMs: hourMs, retentionIntervalMs: 50, retentionBatchSize: 3 });
    db = new pg.Client({ connectionString: c.testStore.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await c?.stop();
    await bank?.stop();
  });

  const transfer = async (gid: string) =>
    (await saga(c.client, gid)).add(bank.target("TransOut"), bank.target("TransOutCompensate"), new Uint8Array(1)).add(bank.target("TransIn"), "", new Uint8Array(1));
  /** Move a transaction's times back, as if it had been created and finished `ms` ago. */
  const age = (gids: readonly string[], ms: number) =>
    db.query(
      `update concord.transactions set created_at = created_at - make_interval(secs => $2::float8 / 1000),
         finished_at = finished_at - make_interval(secs => $2::float8 / 1000) where gid = any($1::text[])`,
      [gids, ms],
    );
  const existing = async (gids: readonly string[]) =>
    (await db.query<{ gid: string }>("select gid from concord.transactions where gid = any($1::text[]) order by gid", [gids])).rows.map((r) => r.gid);

  const attemptsOf = async (gids: readonly string[]) =>
    (await db.query<{ n: number }>("select count(*)::int as n from concord.branch_attempts where gid = any($1::text[])", [gids])).rows[0]!.n;

  it("deletes only finished transactions older than the age, in batches, while sagas keep running", async () => {
    // Old and finished (seven: more than two batches), one failed among them; recent and finished; old and unfinished.
    const oldDone = Array.from({ length: 7 }, (_, i) => `ret-old-${i}`);
    for (const gid of oldDone.slice(0, 6)) expect((await (await transfer(gid)).submit({ waitResult: true })).status).toBe(TransactionStatus.SUCCEEDED);
    bank.failNext("TransIn", "failure");
    await (await transfer(oldDone[6]!)).submit({ waitResult: true }).catch(() => undefined);
    const recent = "ret-recent";
    await (await transfer(recent)).submit({ waitResult: true });
    const oldOpen = "ret-old-open";
    bank.setDefault("TransIn", "unavailable");
    await (await saga(c.client, oldOpen, { retry: { initialIntervalMs: hourMs, maxIntervalMs: hourMs } })).add(bank.target("TransIn"), "", new Uint8Array(1)).submit();
    await bank.waitForCalls("TransIn", 3);
    bank.setDefault("TransIn", "ok");

    // Live work during the deletes: sagas keep succeeding.
    const live = (async () => {
      const results: TransactionStatus[] = [];
      for (let i = 0; i < 10; i++) results.push((await (await transfer(`ret-live-${i}`)).submit({ waitResult: true })).status);
      return results;
    })();
    const attemptsBefore = await attemptsOf(oldDone);
    await age([...oldDone, oldOpen], 2 * hourMs);
    await expect.poll(() => existing(oldDone), { timeout: 10_000 }).toEqual([]);
    expect(await live).toEqual(Array<TransactionStatus>(10).fill(TransactionStatus.SUCCEEDED));
    expect(await existing([recent, oldOpen])).toEqual([oldOpen, recent]);
    // Their branches and timeline went with them.
    const orphans = await db.query("select count(*)::int as n from concord.branches b where not exists (select 1 from concord.transactions t where t.gid = b.gid)");
    expect(orphans.rows[0]).toEqual({ n: 0 });
    const orphanAttempts = await db.query(
      "select count(*)::int as n from concord.branch_attempts a where not exists (select 1 from concord.transactions t where t.gid = a.gid)",
    );
    expect(orphanAttempts.rows[0]).toEqual({ n: 0 });
    // The failed one had a timeline before it went: its rows were deleted, not never written.
    expect(attemptsBefore).toBeGreaterThan(0);
    expect(await attemptsOf(oldDone)).toBe(0);
    const metrics = parsePrometheusText(await (await fetch(`http://127.0.0.1:${c.httpPort}/metrics`)).text());
    expect(total(metrics, "concord_retention_deleted_total")).toBe(7);
  });

  it("never waits for a row another session holds: a locked finished row is left for a later batch", async () => {
    const t = await openTestStore("postgres");
    const other = new pg.Client({ connectionString: t.url });
    await other.connect();
    try {
      for (const gid of ["lock-held", "lock-free"]) {
        await t.store.createTransaction(
          { gid, mode: "saga", status: "submitted", spec: { steps: [], concurrent: false, queryPrepared: "" }, options: testOptions, customData: "", requestHash: "", timeoutToFailMs: 0, lease: { owner: "me", leaseMs: 60_000 } },
          [],
        );
        await t.store.saveProgress({ gid, owner: "me", fromStatus: "submitted", toStatus: "succeeded", next: { kind: "finish" } });
      }
      await other.query("update concord.transactions set created_at = created_at - interval '2 hours', finished_at = finished_at - interval '2 hours'");
      await other.query("begin");
      await other.query("select gid from concord.transactions where gid = 'lock-held' for update");
      // Resolves at once, the held row skipped: a wait would hang here until the other session ends.
      expect(await t.store.deleteFinished(hourMs, 10)).toBe(1);
      await other.query("rollback");
      expect(await t.store.deleteFinished(hourMs, 10)).toBe(1);
      expect(await t.store.getTransaction("lock-held")).toBeUndefined();
    } finally {
      await other.end();
      await t.close();
    }
  });
});
