import { randomBytes } from "node:crypto";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TransOptions, TransactionSpec } from "../src/model.js";
import { createPgPool, migrate, migrations, openStore, type Database, type NewBranch, type NewTransaction, type Store } from "../src/store/index.js";
import { createTestDatabase, dialects, openTestStore, type TestStore } from "./support/databases.js";

const options: TransOptions = {
  waitResult: false,
  timeoutToFailMs: 0,
  requestTimeoutMs: 3000,
  retry: { initialIntervalMs: 1000, maxIntervalMs: 60_000, backoffMultiplier: 2, maxAttempts: 0 },
  branchHeaders: { "x-tenant": "t1" },
};

const spec: TransactionSpec = {
  steps: [
    { branchId: "01", action: "bank:1/b.B/Out", compensate: "bank:1/b.B/OutUndo", after: [], headers: { a: "1" }, requestTimeoutMs: 0 },
    { branchId: "02", action: "bank:2/b.B/In", compensate: "", after: [0], headers: {}, requestTimeoutMs: 500 },
  ],
  concurrent: true,
  queryPrepared: "",
};

const hour = 3_600_000;

function gid(): string {
  return `g-${randomBytes(6).toString("hex")}`;
}

function newTx(overrides: Partial<NewTransaction> = {}): NewTransaction {
  return {
    gid: gid(),
    mode: "saga",
    status: "submitted",
    spec,
    options,
    customData: "custom",
    requestHash: "hash-1",
    timeoutToFailMs: 0,
    ...overrides,
  };
}

const sagaBranches: NewBranch[] = [
  { branchId: "02", op: "action", target: "bank:2/b.B/In", payload: new Uint8Array([2]) },
  { branchId: "01", op: "compensate", target: "bank:1/b.B/OutUndo", payload: new Uint8Array([0, 255, 1]) },
  { branchId: "01", op: "action", target: "bank:1/b.B/Out", payload: new Uint8Array([0, 1, 254, 255]) },
];

/** Lease everything due to a throwaway owner for an hour, so a test claims only what it creates. */
async function drain(store: Store): Promise<void> {
  while ((await store.claimDueTransactions("drain", 1000, hour)).length > 0);
}

describe.each(dialects)("store on %s", (dialect) => {
  let t: TestStore;
  let store: Store;

  beforeAll(async () => {
    t = await openTestStore(dialect);
    store = t.store;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("creates a transaction with its branches and returns the existing one for a repeated gid", async () => {
    const tx = newTx({ lease: { owner: "a", leaseMs: 60_000 } });
    const first = await store.createTransaction(tx, sagaBranches);
    expect(first.created).toBe(true);
    if (!first.created) return;
    expect(first.transaction).toMatchObject({ gid: tx.gid, mode: "saga", status: "submitted", leaseOwner: "a", attempts: 1 });
    expect(first.transaction.nextAttemptAt!.getTime() - first.transaction.createdAt.getTime()).toBe(60_000);
    expect(first.transaction.failAt).toBeNull();

    const again = await store.createTransaction({ ...tx, requestHash: "other" }, [sagaBranches[0]!]);
    expect(again.created).toBe(false);
    if (again.created) return;
    expect(again.existing.requestHash).toBe("hash-1");
    expect(again.existing.branches.map((b) => `${b.branchId}/${b.op}`)).toEqual(["01/action", "01/compensate", "02/action"]);
  });

  it("round-trips bytea as Uint8Array, jsonb as objects and timestamps as Dates", async () => {
    const tx = newTx({ lease: { owner: "a", leaseMs: 60_000 } });
    await store.createTransaction(tx, sagaBranches);
    const got = await store.getTransaction(tx.gid);
    expect(got).toBeDefined();
    expect(got!.spec).toEqual(spec);
    expect(got!.options).toEqual(options);
    expect(got!.customData).toBe("custom");
    expect(got!.createdAt).toBeInstanceOf(Date);
    expect(got!.nextAttemptAt).toBeInstanceOf(Date);
    const action = got!.branches.find((b) => b.branchId === "01" && b.op === "action")!;
    expect(action.payload.constructor).toBe(Uint8Array);
    expect(action.payload).toEqual(new Uint8Array([0, 1, 254, 255]));
    expect(action).toMatchObject({ status: "prepared", attempts: 0, lastError: "", finishedAt: null });
    expect(action.updatedAt).toBeInstanceOf(Date);
    expect(await store.getTransaction("no-such-gid")).toBeUndefined();
  });

  it("makes a prepared transaction without a lease due at its timeout, anything else at once", async () => {
    const prepared = await store.createTransaction(newTx({ status: "prepared", timeoutToFailMs: 35_000 }), []);
    expect(prepared.created && prepared.transaction.nextAttemptAt).toEqual(prepared.created && prepared.transaction.failAt);
    expect(prepared.created && prepared.transaction.failAt!.getTime() - prepared.transaction.createdAt.getTime()).toBe(35_000);
    const now = await store.createTransaction(newTx(), []);
    expect(now.created && now.transaction.nextAttemptAt).toEqual(now.created && now.transaction.createdAt);
    expect(now.created && now.transaction.leaseOwner).toBeNull();
    // A submitted saga stored without a lease (its instance was full) is due at once, timeout or not.
    const full = await store.createTransaction(newTx({ timeoutToFailMs: 60_000 }), []);
    expect(full.created && full.transaction.nextAttemptAt).toEqual(full.created && full.transaction.createdAt);
  });

  it("claims only due unfinished transactions, leases them and counts an attempt", async () => {
    await drain(store);
    const leased = newTx({ lease: { owner: "a", leaseMs: 60_000 } });
    const waiting = newTx({ status: "prepared", timeoutToFailMs: 60_000 });
    const due1 = newTx();
    const due2 = newTx({ status: "aborting" });
    const finished = newTx();
    // A timeout of 1 µs has passed by the next statement: due, and timed out when claimed.
    const timedOut = newTx({ status: "prepared", timeoutToFailMs: 0.001 });
    // Likewise a lease of 1 µs: its owner "crashed" without handing the transaction back.
    const orphan = newTx({ lease: { owner: "crashed", leaseMs: 0.001 } });
    for (const tx of [leased, waiting, due1, due2, finished, timedOut, orphan]) await store.createTransaction(tx, sagaBranches);
    const done = await store.saveProgress({ gid: finished.gid, owner: "x", takeLease: true, fromStatus: "submitted", toStatus: "succeeded", next: { kind: "finish" } });
    expect(done?.finishedAt).toBeInstanceOf(Date);

    const claimed = await store.claimDueTransactions("b", 10, 30_000);
    expect(claimed.map((c) => c.gid).sort()).toEqual([due1.gid, due2.gid, timedOut.gid, orphan.gid].sort());
    for (const c of claimed) {
      expect(c).toMatchObject({ leaseOwner: "b", attempts: c.gid === orphan.gid ? 2 : 1 });
      expect(c.nextAttemptAt!.getTime() - c.updatedAt.getTime()).toBe(30_000);
      expect(c.branches).toHaveLength(3);
      expect(c.timedOut).toBe(c.gid === timedOut.gid);
      expect(c.previousOwner).toBe(c.gid === orphan.gid ? "crashed" : null);
    }
    expect(await store.claimDueTransactions("c", 10, 30_000)).toEqual([]);
  });

  it("claims at most limit transactions, the longest due first", async () => {
    await drain(store);
    const txs = [newTx(), newTx(), newTx()];
    for (const tx of txs) await store.createTransaction(tx, []);
    const first = await store.claimDueTransactions("b", 2, 30_000);
    expect(first.map((c) => c.gid)).toEqual([txs[0]!.gid, txs[1]!.gid]);
    expect((await store.claimDueTransactions("b", 2, 30_000)).map((c) => c.gid)).toEqual([txs[2]!.gid]);
  });

  it("keeps a transaction's calls in the order they were made, though they share a millisecond", async () => {
    const at = new Date();
    const call = (branchId: string, op: "action" | "compensate", outcome: "success" | "failure" | "unknown") => ({ branchId, op, at, outcome, error: outcome === "success" ? "" : outcome });
    const txs = Array.from({ length: 4 }, () => newTx({ lease: { owner: "a", leaseMs: 60_000 } }));
    for (const tx of txs) await store.createTransaction(tx, sagaBranches);
    const hold = { kind: "hold" as const, leaseMs: 60_000 };
    // Written together (one group-commit batch when the store batches), each with its own order.
    const first = [call("02", "action", "unknown"), call("02", "action", "failure"), call("01", "action", "success")];
    await Promise.all(txs.map((tx, i) => store.saveProgress({ gid: tx.gid, owner: "a", fromStatus: "submitted", attempts: i % 2 ? first : [...first].reverse(), next: hold })));
    await store.saveProgress({ gid: txs[0]!.gid, owner: "a", fromStatus: "submitted", attempts: [call("02", "compensate", "success"), call("01", "compensate", "success")], next: hold });

    const told = (records: { branchId: string; op: string; outcome: string }[]) => records.map((a) => `${a.branchId}:${a.op}:${a.outcome}`);
    expect(told(await store.getAttempts(txs[0]!.gid, 10))).toEqual(["01:action:success", "02:action:failure", "02:action:unknown", "02:compensate:success", "01:compensate:success"]);
    expect(told(await store.getAttempts(txs[1]!.gid, 10))).toEqual(["02:action:unknown", "02:action:failure", "01:action:success"]);
    // The latest per branch op are the ones written last.
    expect(told(await store.getAttempts(txs[3]!.gid, 1))).toEqual(["02:action:failure", "01:action:success"]);
    expect(told(await store.getAttempts(txs[2]!.gid, 1))).toEqual(["01:action:success", "02:action:unknown"]);
  });

  it("fences progress on the lease owner and the current status, writing nothing when either fails", async () => {
    const tx = newTx({ lease: { owner: "a", leaseMs: 60_000 } });
    await store.createTransaction(tx, sagaBranches);
    const before = await store.getTransaction(tx.gid);
    const step = { branches: [{ branchId: "01", op: "action" as const, status: "succeeded" as const, attempts: 1, lastError: "" }], next: { kind: "hold" as const, leaseMs: 60_000 } };

    expect(await store.saveProgress({ gid: tx.gid, owner: "b", fromStatus: "submitted", ...step })).toBeUndefined();
    expect(await store.saveProgress({ gid: tx.gid, owner: "a", fromStatus: "aborting", ...step })).toBeUndefined();
    expect(await store.getTransaction(tx.gid)).toEqual(before);

    const saved = await store.saveProgress({ gid: tx.gid, owner: "a", fromStatus: "submitted", ...step });
    expect(saved).toMatchObject({ status: "submitted", leaseOwner: "a" });
    const after = await store.getTransaction(tx.gid);
    const action = after!.branches.find((b) => b.branchId === "01" && b.op === "action")!;
    expect(action).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(action.finishedAt).toEqual(saved!.updatedAt);
    expect(action.updatedAt).toEqual(saved!.updatedAt);
    const untouched = after!.branches.find((b) => b.branchId === "02")!;
    expect(untouched.updatedAt).toEqual(untouched.createdAt);

    // takeLease wins over the current holder (Submit/Abort of a PREPARED transaction).
    const taken = await store.saveProgress({ gid: tx.gid, owner: "c", takeLease: true, fromStatus: "submitted", toStatus: "aborting", rollbackReason: "step 2 failed", next: { kind: "hold", leaseMs: 5000 } });
    expect(taken).toMatchObject({ status: "aborting", leaseOwner: "c", rollbackReason: "step 2 failed" });
    expect(await store.saveProgress({ gid: tx.gid, owner: "a", fromStatus: "aborting", next: { kind: "finish" } })).toBeUndefined();

    const failed = await store.saveProgress({ gid: tx.gid, owner: "c", fromStatus: "aborting", toStatus: "failed", next: { kind: "finish" } });
    expect(failed).toMatchObject({ status: "failed", leaseOwner: null, nextAttemptAt: null, rollbackReason: "step 2 failed" });
    expect(failed!.finishedAt).toEqual(failed!.updatedAt);
  });

  it("schedules a retry after the delay, capped at the timeout only while going forward", async () => {
    const lease = { owner: "a", leaseMs: 60_000 };
    const plain = newTx({ lease });
    const timed = newTx({ lease, timeoutToFailMs: 120_000 });
    for (const tx of [plain, timed]) await store.createTransaction(tx, []);

    const p = await store.saveProgress({ gid: plain.gid, owner: "a", fromStatus: "submitted", next: { kind: "retry", delayMs: 5000 } });
    expect(p!.leaseOwner).toBeNull();
    expect(p!.nextAttemptAt!.getTime() - p!.updatedAt.getTime()).toBe(5000);

    // Leases are released by a retry, so the next write takes the lease back.
    const capped = await store.saveProgress({ gid: timed.gid, owner: "a", fromStatus: "submitted", next: { kind: "retry", delayMs: hour } });
    expect(capped!.nextAttemptAt).toEqual(capped!.failAt);
    const short = await store.saveProgress({ gid: timed.gid, owner: "a", takeLease: true, fromStatus: "submitted", next: { kind: "retry", delayMs: 1000 } });
    expect(short!.nextAttemptAt!.getTime() - short!.updatedAt.getTime()).toBe(1000);
    const aborting = await store.saveProgress({ gid: timed.gid, owner: "a", takeLease: true, fromStatus: "submitted", toStatus: "aborting", next: { kind: "retry", delayMs: hour } });
    expect(aborting!.nextAttemptAt!.getTime() - aborting!.updatedAt.getTime()).toBe(hour);

    // A timeout already passed (1 µs) does not cap: it has been seen, and a cap in the past would
    // make the transaction due again at once, in a loop (an MSG back-check answering ONGOING).
    const expired = newTx({ lease, status: "prepared", timeoutToFailMs: 0.001 });
    await store.createTransaction(expired, []);
    const later = await store.saveProgress({ gid: expired.gid, owner: "a", fromStatus: "prepared", next: { kind: "retry", delayMs: 1000 } });
    expect(later!.nextAttemptAt!.getTime() - later!.updatedAt.getTime()).toBe(1000);
  });

  it("renews only the leases an owner still holds and releases them on shutdown", async () => {
    const mine = newTx({ lease: { owner: "renewer", leaseMs: 1000 } });
    const theirs = newTx({ lease: { owner: "other", leaseMs: 1000 } });
    for (const tx of [mine, theirs]) await store.createTransaction(tx, []);

    expect(await store.renewLeases("renewer", [mine.gid, theirs.gid, "no-such-gid"], 60_000)).toEqual([mine.gid]);
    expect(await store.renewLeases("renewer", [], 60_000)).toEqual([]);
    const renewed = await store.getTransaction(mine.gid);
    expect(renewed!.nextAttemptAt!.getTime()).toBeGreaterThan(renewed!.createdAt.getTime() + 1000);

    await drain(store);
    expect(await store.releaseLeases("renewer")).toBe(1);
    const released = await store.getTransaction(mine.gid);
    expect(released).toMatchObject({ leaseOwner: "renewer" });
    expect(await store.releaseLeases("renewer")).toBe(0);
    const claimed = await store.claimDueTransactions("c", 10, 30_000);
    expect(claimed.map((c) => c.gid)).toEqual([mine.gid]);
    // Handed back mid-run: the new owner is told its predecessor's calls may be unrecorded.
    expect(claimed[0]!.previousOwner).toBe("renewer");
    expect(await store.releaseLeases("renewer")).toBe(0);
  });
});

describe.each(dialects)("store on %s: operators' calls, listings and topics", (dialect) => {
  let t: TestStore;
  let store: Store;

  beforeAll(async () => {
    t = await openTestStore(dialect);
    store = t.store;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("claims one transaction on request unless a live lease holds it, whatever its due time", async () => {
    const held = newTx({ lease: { owner: "other", leaseMs: hour } });
    await store.createTransaction(held, sagaBranches);
    expect(await store.claimTransaction(held.gid, "me", 60_000)).toBeUndefined();
    expect(await store.makeDue(held.gid)).toBe(false);

    const later = newTx();
    await store.createTransaction(later, sagaBranches);
    await store.claimTransaction(later.gid, "first", 60_000);
    await store.saveProgress({ gid: later.gid, owner: "first", fromStatus: "submitted", next: { kind: "retry", delayMs: hour } });
    const claimed = await store.claimTransaction(later.gid, "me", 60_000);
    expect(claimed).toMatchObject({ gid: later.gid, leaseOwner: "me", attempts: 2, previousOwner: null, timedOut: false });
    expect(claimed!.branches).toHaveLength(3);
    expect(await store.claimTransaction("no-such-gid", "me", 60_000)).toBeUndefined();
  });

  it("makes unleased transactions due far ahead due now, a limit at a time, and says whether more are left", async () => {
    await drain(store);
    const gids = [gid(), gid(), gid()];
    for (const g of gids) {
      await store.createTransaction(newTx({ gid: g }), []);
      await store.claimTransaction(g, "o", 60_000);
      await store.saveProgress({ gid: g, owner: "o", fromStatus: "submitted", next: { kind: "retry", delayMs: hour } });
    }
    expect(await store.makeDueNow(10 * hour, 10)).toEqual({ count: 0, remaining: false });
    expect(await store.makeDueNow(60_000, 2)).toEqual({ count: 2, remaining: true });
    expect(await store.makeDueNow(60_000, 2)).toEqual({ count: 1, remaining: false });
    expect((await store.claimDueTransactions("me", 10, hour)).map((tx) => tx.gid).sort()).toEqual([...gids].sort());
  });

  it("force-stops an unfinished transaction whoever holds it, and leaves a finished one alone", async () => {
    const tx = newTx({ lease: { owner: "worker", leaseMs: hour } });
    await store.createTransaction(tx, sagaBranches);
    const stopped = await store.forceStop(tx.gid, "operator said so");
    expect(stopped).toMatchObject({ status: "failed", rollbackReason: "operator said so", leaseOwner: null, nextAttemptAt: null });
    expect(stopped!.finishedAt).toBeInstanceOf(Date);
    // The holder's next write is fenced off.
    expect(await store.saveProgress({ gid: tx.gid, owner: "worker", fromStatus: "submitted", toStatus: "succeeded", next: { kind: "finish" } })).toBeUndefined();
    expect(await store.forceStop(tx.gid, "again")).toBeUndefined();
  });

  it("lists newest first by keyset pages that neither skip nor repeat a row, with filters", async () => {
    const mode = "tcc" as const;
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const g = gid();
      made.push(g);
      await store.createTransaction(newTx({ gid: g, mode, status: "prepared", spec: { steps: [], concurrent: false, queryPrepared: "" } }), []);
    }
    const seen: string[] = [];
    let after: Parameters<Store["listTransactions"]>[2];
    for (let page = 0; page < 10; page++) {
      const rows = await store.listTransactions({ mode }, 2, after);
      seen.push(...rows.map((r) => r.gid));
      if (rows.length < 2) break;
      after = rows.at(-1)!.cursor;
    }
    // Newest first, ties (one clock tick) broken by gid: the order one big page gives.
    const all = await store.listTransactions({ mode }, 10);
    expect(all.map((r) => r.gid).sort()).toEqual([...made].sort());
    for (let i = 1; i < all.length; i++) expect(all[i]!.createdAt.getTime()).toBeLessThanOrEqual(all[i - 1]!.createdAt.getTime());
    expect(seen).toEqual(all.map((r) => r.gid));
    const one = await store.listTransactions({ gid: made[2]! }, 10);
    expect(one.map((r) => r.gid)).toEqual([made[2]]);
    expect(await store.listTransactions({ mode, status: "succeeded" }, 10)).toEqual([]);
    expect(await store.listTransactions({ mode, createdTo: new Date(Date.now() - hour) }, 10)).toEqual([]);
  });

  it("keeps every one of many concurrent subscriptions, one version each, and unsubscribes in place", async () => {
    const name = `t-${randomBytes(4).toString("hex")}`;
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => store.subscribe(name, `http://svc/${i}`, `r${i}`)));
    expect(results.every((r) => r.kind === "subscribed")).toBe(true);
    const topic = await store.getTopic(name);
    expect(topic?.version).toBe(12);
    expect(new Set(topic!.subscribers.map((s) => s.target)).size).toBe(12);
    expect((await store.subscribe(name, "http://svc/3", "again")).kind).toBe("exists");
    const after = await store.unsubscribe(name, "http://svc/3");
    expect(after.kind).toBe("unsubscribed");
    if (after.kind !== "unsubscribed") return;
    expect(after.topic.version).toBe(13);
    expect(after.topic.subscribers.map((s) => s.target)).toEqual(topic!.subscribers.map((s) => s.target).filter((t) => t !== "http://svc/3"));
    expect((await store.unsubscribe(name, "http://svc/3")).kind).toBe("not-subscribed");
    expect((await store.unsubscribe("no-such-topic", "http://svc/3")).kind).toBe("no-topic");
    expect(await store.deleteTopic(name)).toBe(true);
    expect(await store.deleteTopic(name)).toBe(false);
  });
});

describe("store on postgres, with contention", () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore("postgres");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("never hands one transaction to two concurrent claimers", async () => {
    const other = await openStore({ databaseUrl: t.url!, dataDir: "", poolSize: 10 });
    try {
      const gids = new Set<string>();
      for (let i = 0; i < 40; i++) {
        const tx = newTx();
        gids.add(tx.gid);
        await t.store.createTransaction(tx, sagaBranches);
      }
      const stores = [t.store, other];
      const rounds = await Promise.all(
        Array.from({ length: 12 }, (_, i) => stores[i % 2]!.claimDueTransactions(`owner-${i}`, 5, 60_000)),
      );
      const claimed = rounds.flat().map((c) => c.gid);
      expect(new Set(claimed).size).toBe(claimed.length);
      // SKIP LOCKED may leave rows for a later claim; together they take each row exactly once.
      const rest = (await t.store.claimDueTransactions("late", 100, 60_000)).map((c) => c.gid);
      expect([...claimed, ...rest].sort()).toEqual([...gids].sort());
    } finally {
      await other.close();
    }
  });

  it("skips a row locked by another session instead of waiting for it", async () => {
    const locked = newTx();
    const free = newTx();
    for (const tx of [locked, free]) await t.store.createTransaction(tx, []);
    const client = new pg.Client({ connectionString: t.url! });
    await client.connect();
    try {
      await client.query("begin");
      await client.query("select 1 from concord.transactions where gid = $1 for update", [locked.gid]);
      const claimed = await t.store.claimDueTransactions("b", 10, 60_000);
      expect(claimed.map((c) => c.gid)).toEqual([free.gid]);
      await client.query("rollback");
      expect((await t.store.claimDueTransactions("b", 10, 60_000)).map((c) => c.gid)).toEqual([locked.gid]);
    } finally {
      await client.end();
    }
  });

  it("renews leases locking rows in gid order, the order a progress batch locks them in", async () => {
    // Created in reverse gid order, so the rows lie on disk (and in the lease-owner index) in the
    // order opposite to their gids.
    const base = gid();
    const [a, b, c] = ["a", "b", "c"].map((s) => newTx({ gid: `${base}-${s}`, lease: { owner: "ordered", leaseMs: 60_000 } }));
    for (const tx of [c!, b!, a!]) await t.store.createTransaction(tx, []);
    const client = new pg.Client({ connectionString: t.url! });
    await client.connect();
    try {
      await client.query("begin");
      await client.query("select 1 from concord.transactions where gid = $1 for update", [b!.gid]);
      const renewal = t.store.renewLeases("ordered", [c!.gid, a!.gid, b!.gid], 60_000);
      // The renewal waits on b's lock, holding a's (before b) and not c's (after it).
      // (Asked on another connection: a transaction sees one snapshot of pg_stat_activity.)
      const waiting = async () => {
        const watcher = new pg.Client({ connectionString: t.url! });
        await watcher.connect();
        try {
          return (await watcher.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")).rows[0]!.n;
        } finally {
          await watcher.end();
        }
      };
      await expect.poll(waiting, { timeout: 5000 }).toBe(1);
      await client.query("select 1 from concord.transactions where gid = $1 for update nowait", [c!.gid]);
      await expect(client.query("select 1 from concord.transactions where gid = $1 for update nowait", [a!.gid])).rejects.toThrow(/could not obtain lock/);
      await client.query("rollback");
      expect((await renewal).sort()).toEqual([a!.gid, b!.gid, c!.gid]);
    } finally {
      await client.end();
    }
  });

  it("keeps migration 1's meaning now that its status lists come from the model", async () => {
    const client = new pg.Client({ connectionString: t.url! });
    await client.connect();
    try {
      const index = await client.query<{ indexdef: string }>("select indexdef from pg_indexes where schemaname = 'concord' and indexname = 'transactions_due_idx'");
      expect(index.rows[0]!.indexdef).toContain("WHERE (status = ANY (ARRAY['prepared'::text, 'submitted'::text, 'aborting'::text]))");
      const check = await client.query<{ def: string }>(
        "select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'concord.transactions'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%status%'",
      );
      expect(check.rows[0]!.def).toBe(
        "CHECK ((status = ANY (ARRAY['prepared'::text, 'submitted'::text, 'aborting'::text, 'succeeded'::text, 'failed'::text])))",
      );
    } finally {
      await client.end();
    }
  });

  it("migrates a fresh database exactly once when instances start at the same time", async () => {
    const database = await createTestDatabase({ empty: true });
    const dbs = Array.from({ length: 4 }, () => new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPgPool(database.url, 2) }) }));
    try {
      const applied = await Promise.all(dbs.map((db) => migrate(db)));
      const versions = migrations.map((m) => m.version);
      expect(applied.flat().sort()).toEqual(versions);
      const { rows } = await dbs[0]!.selectFrom("concord.schema_migrations").select("version").orderBy("version").execute().then((r) => ({ rows: r }));
      expect(rows).toEqual(versions.map((version) => ({ version })));
      expect(await migrate(dbs[0]!)).toEqual([]);
    } finally {
      await Promise.all(dbs.map((db) => db.destroy()));
      await database.drop();
    }
  });
});

describe("store on pglite, across restarts", () => {
  it("keeps committed transactions when the embedded database is reopened", async () => {
    const t = await openTestStore("pglite");
    try {
      const tx = newTx({ lease: { owner: "a", leaseMs: 60_000 } });
      await t.store.createTransaction(tx, sagaBranches);
      await t.store.close();
      const reopened = await openStore({ dataDir: t.dataDir! });
      try {
        const got = await reopened.getTransaction(tx.gid);
        expect(got).toMatchObject({ gid: tx.gid, leaseOwner: "a", spec });
        expect(got!.branches).toHaveLength(3);
      } finally {
        await reopened.close();
      }
    } finally {
      await t.close();
    }
  });
});
