/**
 * The store folder's one entry: open the durable store on a Postgres server or on embedded PGlite.
 */
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Logger } from "../logger.js";
import { createKyselyStore } from "./kysely-store.js";
import { createPreparingPool } from "./prepared-pool.js";
import { migrate } from "./migrations.js";
import { PGliteDialect } from "./pglite-dialect.js";
import type { Database } from "./schema.js";
import type { Store } from "./store.js";
import { waitForPostgres } from "./wait-for-postgres.js";

export type {
  BranchUpdate,
  CreateResult,
  ListedTransaction,
  StoreOverview,
  SubscribeResult,
  TransactionCursor,
  TransactionFilter,
  UnsubscribeResult,
  NewBranch,
  NewTransaction,
  NextAttempt,
  ProgressUpdate,
  Store,
  WorkflowStepRecord,
  RecordStepResult,
  FinishWorkflowResult,
} from "./store.js";
export type { Database } from "./schema.js";
export type { Migration, MigrateOptions } from "./migrations.js";
export type { KyselyStoreOptions } from "./kysely-store.js";
export { createKyselyStore } from "./kysely-store.js";
export { migrate, migrations } from "./migrations.js";
export { PGliteDialect } from "./pglite-dialect.js";
export { DataDirLockedError } from "./data-dir-lock.js";

export interface OpenStoreOptions {
  /** Postgres server URL (`postgres://…`). When absent the embedded PGlite store in `dataDir` is used. */
  readonly databaseUrl?: string;
  /** Directory of the embedded PGlite database (created when missing); unused with `databaseUrl`. */
  readonly dataDir: string;
  /** Connections in the pg pool. Default: 10. PGlite always has one. */
  readonly poolSize?: number;
  /**
   * With `databaseUrl`: how long to keep retrying a server that is not reachable yet (connection
   * refused or reset, unknown host, "the database system is starting up"), logging a warning per
   * attempt, with backoff from 250 ms doubling to 5 s, ms. 0 = try once. Other errors (a wrong
   * password, a missing database) fail at once. Default: 0.
   */
  readonly connectTimeoutMs?: number;
  /** Stops the waiting for the server (e.g. SIGTERM during start-up); `openStore` then rejects with its reason. */
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/**
 * Parse `int8` (count(*), bigint sums) as a JS number, like `int4`. Set per pool, not on pg's
 * global type registry, so other pg users in the process are unaffected.
 */
const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 && format !== "binary"
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
};

/** Create a pg pool with our type parsers (exported for tests and tools that need raw access). */
export function createPgPool(databaseUrl: string, poolSize = 10, logger?: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, types: pgTypes });
  // An idle client losing its server (restart, failover) must not crash the process: the pool
  // drops it and the next query opens a new connection.
  pool.on("error", (err) => logger?.warn("store: idle connection error", { err }));
  return pool;
}

/** Open the store, migrate it to the current schema, and return it. `close()` releases it all. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const pgPool = (size: number) =>
    new PostgresDialect({ pool: createPreparingPool(createPgPool(options.databaseUrl!, size, options.logger)) });
  if (options.databaseUrl) {
    await waitForPostgres({
      databaseUrl: options.databaseUrl,
      timeoutMs: options.connectTimeoutMs ?? 0,
      signal: options.signal,
      logger: options.logger,
    });
  }
  // The embedded dialect locks the folder when it opens PGlite (on the first query, the migration
  // below) and unlocks it when `close()` destroys the Kysely instance.
  const db = new Kysely<Database>({
    dialect: options.databaseUrl
      ? pgPool(options.poolSize ?? 10)
      : new PGliteDialect({ dataDir: options.dataDir, logger: options.logger }),
  });
  try {
    await migrate(db, { logger: options.logger });
  } catch (err) {
    await db.destroy();
    throw err;
  }
  options.logger?.debug("store: open", { dialect: options.databaseUrl ? "postgres" : "pglite" });
  // On a server, lease renewals get a connection of their own (PGlite has only one anyway).
  const leaseDb = options.databaseUrl ? new Kysely<Database>({ dialect: pgPool(1) }) : undefined;
  return createKyselyStore(db, leaseDb ? { leaseDb } : {});
}
