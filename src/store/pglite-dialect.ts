/**
 * A Kysely dialect for PGlite, the embedded (WebAssembly) Postgres. Internal module.
 *
 * No published dialect fits our versions (kysely-pglite-dialect pins an older PGlite), and the
 * job is small: PGlite is ONE session, so the driver hands out one connection at a time behind
 * a mutex. A Kysely transaction holds the connection from `begin` to `commit`/`rollback`, so no
 * other query can slip into it; everything else (SQL generation, introspection, the migration
 * lock) is Postgres and reuses Kysely's Postgres classes.
 *
 * PGlite is also one PROCESS: the driver holds the data folder's lock (`data-dir-lock.ts`) from
 * `init` to `destroy`, so a second process on the same folder fails to start instead of silently
 * forking the database.
 */
import { mkdir } from "node:fs/promises";
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import {
  AbortedTransactionError,
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import type { Logger } from "../logger.js";
import { acquireDataDirLock, type DataDirLock } from "./data-dir-lock.js";

export interface PGliteDialectOptions {
  /** Filesystem directory of the database; created (owner-only, 0700) when missing, and locked while open. */
  readonly dataDir: string;
  /** Receives warnings about the folder (a stale lock removed, permissions tightened). Default: none. */
  readonly logger?: Logger;
}

/**
 * Open (creating if needed) the PGlite database in `dataDir`, with our type parsers. It does not
 * lock the folder: the dialect does, and other callers must make sure they are its only user.
 */
export async function openPGlite(dataDir: string): Promise<PGlite> {
  // PGlite writes its files 0666; an owner-only folder keeps them private.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // int8 (count(*), sums) as number like int4, the same choice made for the pg pool in index.ts.
  const db = new PGlite(dataDir, { parsers: { [pgliteTypes.INT8]: (v: string) => Number(v) } });
  await db.waitReady;
  return db;
}

/** Kysely dialect over one PGlite instance, opened lazily by the driver and closed on destroy. */
export class PGliteDialect implements Dialect {
  readonly #options: PGliteDialectOptions;

  constructor(options: PGliteDialectOptions) {
    this.#options = options;
  }

  createDriver(): Driver {
    return new PGliteDriver(this.#options);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

/** A FIFO mutex: `lock()` resolves with the function that releases it. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();

  lock(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => held);
    return acquired;
  }
}

class PGliteDriver implements Driver {
  readonly #options: PGliteDialectOptions;
  readonly #mutex = new Mutex();
  #lock: DataDirLock | undefined;
  #db: PGlite | undefined;
  #connection: PGliteConnection | undefined;
  #release: (() => void) | undefined;

  constructor(options: PGliteDialectOptions) {
    this.#options = options;
  }

  async init(): Promise<void> {
    const lock = await acquireDataDirLock({ dataDir: this.#options.dataDir, logger: this.#options.logger });
    try {
      this.#db = await openPGlite(lock.dataDir);
    } catch (err) {
      await lock.release();
      throw err;
    }
    this.#lock = lock;
    this.#connection = new PGliteConnection(this.#db);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#mutex.lock();
    if (!this.#connection) {
      release();
      throw new Error("PGlite driver has been destroyed");
    }
    this.#release = release;
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let text = "begin";
    if (settings.isolationLevel) text += ` isolation level ${settings.isolationLevel}`;
    if (settings.accessMode) text += ` ${settings.accessMode}`;
    await connection.executeQuery(CompiledQuery.raw(text));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const { rows } = await connection.executeQuery<{ command?: string }>(CompiledQuery.raw("commit"));
    // Postgres answers COMMIT with a ROLLBACK tag when an earlier error aborted the transaction.
    if (rows[0]?.command === "ROLLBACK") throw new AbortedTransactionError();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async destroy(): Promise<void> {
    const db = this.#db;
    if (!db) return;
    // Wait for the query or transaction in flight, then refuse new ones.
    const release = await this.#mutex.lock();
    this.#db = undefined;
    this.#connection = undefined;
    try {
      await db.close();
    } finally {
      release();
      // Only once PGlite has flushed and closed its files may another process open them.
      await this.#lock?.release();
      this.#lock = undefined;
    }
  }
}

class PGliteConnection implements DatabaseConnection {
  readonly #db: PGlite;

  constructor(db: PGlite) {
    this.#db = db;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.#db.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    const command = result.command?.toUpperCase();
    if (command === "COMMIT" || command === "ROLLBACK") return { rows: [{ command } as R] };
    const changed = command === "INSERT" || command === "UPDATE" || command === "DELETE" || command === "MERGE";
    return {
      rows: result.rows,
      ...(changed ? { numAffectedRows: BigInt(result.affectedRows ?? result.rowCount ?? 0) } : {}),
    };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("PGlite dialect does not support streaming");
  }
}
