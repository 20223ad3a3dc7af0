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

export type {
  BranchUpdate,
  CreateResult,
  NewBranch,
  NewTransaction,
  NextAttempt,
  ProgressUpdate,
  Store,
} from "./store.js";
export type { Database } from "./schema.js";
export type { Migration, MigrateOptions } from "./migrations.js";
export type { KyselyStoreOptions } from "./kysely-store.js";
export { createKyselyStore } from "./kysely-store.js";
export { migrate, migrations } from "./migrations.js";
export { PGliteDialect } from "./pglite-dialect.js";

export interface OpenStoreOptions {
  /** Postgres server URL (`postgres://…`). When absent the embedded PGlite store in `dataDir` is used. */
  readonly databaseUrl?: string;
  /** Directory of the embedded PGlite database (created when missing); unused with `databaseUrl`. */
  readonly dataDir: string;
  /** Connections in the pg pool. Default: 10. PGlite always has one. */
  readonly poolSize?: number;
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
  const db = new Kysely<Database>({ dialect: options.databaseUrl ? pgPool(options.poolSize ?? 10) : new PGliteDialect({ dataDir: options.dataDir }) });
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
