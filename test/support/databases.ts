/**
 * Per-test-file databases: a fresh Postgres database cloned from the migrated template (see
 * `global-setup.ts`), or a fresh PGlite directory. Scenario suites run on both dialects by list:
 * `describe.each(dialects)("…", (dialect) => …)`.
 */
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { openStore, type Store } from "../../src/store/index.js";

/** Every store dialect; suites iterate over this list. */
export const dialects = ["postgres", "pglite"] as const;
export type Dialect = (typeof dialects)[number];

export interface TestDatabase {
  /** Connection URL of the fresh database. */
  readonly url: string;
  /** Drop the database, closing any sessions still connected to it. */
  drop(): Promise<void>;
}

async function onAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface CreateTestDatabaseOptions {
  /** Create an empty database (no schema) instead of cloning the migrated template. Default: false. */
  readonly empty?: boolean;
}

/** A fresh Postgres database `t_<random>`, cloned from the migrated template unless `empty`. */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString("hex")}`;
  const template = options.empty ? "template0" : inject("templateDatabase");
  await onAdmin((c) => c.query(`create database ${name} template ${template}`));
  const url = new URL(inject("databaseUrl"));
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await onAdmin(async (c) => {
        // Pools resolve end() while their sockets are still closing; forcing the drop then kills
        // those sessions, and their clients raise FATAL 57P01 as an unhandled error. Let them go.
        const until = Date.now() + 3000;
        while (Date.now() < until) {
          const { rows } = await c.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
          if (rows[0]!.n === 0) break;
          await new Promise((r) => setTimeout(r, 25));
        }
        await c.query(`drop database if exists ${name} with (force)`);
      });
    },
  };
}

export interface TestStore {
  readonly dialect: Dialect;
  readonly store: Store;
  /** Postgres only: URL of this store's database (for raw SQL or a second store on it). */
  readonly url?: string;
  /** PGlite only: its data directory. */
  readonly dataDir?: string;
  /** Close the store and drop its database / remove its directory. Idempotent. */
  close(): Promise<void>;
}

/** A store on its own fresh database of the given dialect. */
export async function openTestStore(dialect: Dialect): Promise<TestStore> {
  if (dialect === "postgres") {
    const database = await createTestDatabase();
    const store = await openStore({ databaseUrl: database.url, dataDir: "", poolSize: 10 }).catch(async (err) => {
      await database.drop();
      throw err;
    });
    let closing: Promise<void> | undefined;
    return {
      dialect,
      store,
      url: database.url,
      close: () => (closing ??= store.close().finally(() => database.drop())),
    };
  }
  const root = await mkdtemp(join(tmpdir(), "concord-test-pglite-"));
  const dataDir = join(root, "data");
  // A copy of the migrated template directory: a cold PGlite initdb takes seconds.
  await cp(inject("pgliteTemplateDir"), dataDir, { recursive: true });
  const store = await openStore({ dataDir }).catch(async (err) => {
    await rm(root, { recursive: true, force: true });
    throw err;
  });
  let closing: Promise<void> | undefined;
  return {
    dialect,
    store,
    dataDir,
    close: () => (closing ??= store.close().finally(() => rm(root, { recursive: true, force: true }))),
  };
}
