/**
 * Versioned schema migrations, run at start under a Postgres advisory lock. Internal module.
 *
 * We do not use Kysely's `Migrator`: its bookkeeping table has its own shape (names, not versions)
 * and we want `concord.schema_migrations(version, applied_at)`, readable by an operator. The
 * runner is small: take a session advisory lock on one connection, read the applied versions,
 * apply each missing migration in its own transaction together with its bookkeeping row, unlock.
 * Several instances starting at once on one database queue on the lock; the first migrates, the
 * others find nothing left to do. PGlite implements advisory locks too, so both dialects share it.
 */
import { sql, type Kysely } from "kysely";
import type { Logger } from "../logger.js";
import { unfinishedStatuses, transactionStatuses } from "../model.js";
import type { Database } from "./schema.js";
import { sqlTextList } from "./schema.js";

export interface Migration {
  /** Strictly increasing, never reused. */
  readonly version: number;
  readonly name: string;
  /** Runs inside a transaction; DDL is transactional in Postgres. */
  up(db: Kysely<Database>): Promise<void>;
}

/**
 * Key of the session advisory lock held while migrating: "concord" in ASCII, as a bigint.
 * A literal in the SQL text because it does not fit in a JS number.
 */
const migrationLockKey = sql.lit(27988542599688804n);

/** Run one statement per string: PGlite's extended protocol takes one statement per query. */
function statements(...texts: string[]): (db: Kysely<Database>) => Promise<void> {
  return async (db) => {
    for (const text of texts) await sql.raw(text).execute(db);
  };
}

// From the model's one status list. An applied migration must keep its meaning, so
// store.test.ts pins the text these produce for version 1.
const unfinished = sqlTextList(unfinishedStatuses);
const statuses = sqlTextList(transactionStatuses);

/** Every migration, in order. Append only: an applied migration is never edited. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "transactions and branches",
    up: statements(
      `create table concord.transactions (
        gid text primary key,
        mode text not null check (mode in ('saga', 'msg', 'tcc', 'xa')),
        status text not null check (status in ${statuses}),
        spec jsonb not null,
        options jsonb not null,
        custom_data text not null default '',
        request_hash text not null default '',
        rollback_reason text not null default '',
        attempts integer not null default 0,
        next_attempt_at timestamptz,
        fail_at timestamptz,
        lease_owner text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        finished_at timestamptz
      )`,
      // The scheduler's claim scans only this index: unfinished rows by due time.
      `create index transactions_due_idx on concord.transactions (next_attempt_at)
        where status in ${unfinished}`,
      // releaseLeases on shutdown finds an owner's rows without a full scan.
      `create index transactions_lease_owner_idx on concord.transactions (lease_owner)
        where lease_owner is not null`,
      `create table concord.branches (
        gid text not null references concord.transactions (gid) on delete cascade,
        branch_id text not null,
        op text not null check (op in ('action', 'compensate', 'try', 'confirm', 'cancel', 'commit', 'rollback')),
        target text not null,
        payload bytea not null,
        status text not null check (status in ('prepared', 'succeeded', 'failed')),
        attempts integer not null default 0,
        last_error text not null default '',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        finished_at timestamptz,
        primary key (gid, branch_id, op)
      )`,
    ),
  },
  {
    version: 2,
    name: "topics, and transactions listed by creation",
    up: statements(
      // Subscribers are a JSON array of {target, remark}, in subscription order: a topic is read
      // whole (to fan out a message) and changed by one statement each, under its row lock.
      `create table concord.topics (
        name text primary key,
        subscribers jsonb not null default '[]',
        version integer not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
      // Listings (dtm's /all, the admin API) read newest first, a page at a time, by keyset.
      `create index transactions_created_idx on concord.transactions (created_at, gid)`,
    ),
  },
  {
    version: 3,
    name: "branch call timeline, trace context",
    up: statements(
      // The W3C traceparent of the call that created the transaction (when tracing is on): every
      // later run continues that trace, on whichever instance.
      `alter table concord.transactions add column trace_context text`,
      // A run writes its calls here only when one of them did not succeed (a run of successes is
      // told by the branch rows themselves), so the happy path writes nothing here; they go with
      // the progress write that follows them.
      `create table concord.branch_attempts (
        gid text not null references concord.transactions (gid) on delete cascade,
        branch_id text not null,
        op text not null,
        at timestamptz not null,
        outcome text not null check (outcome in ('success', 'failure', 'ongoing', 'unknown')),
        error text not null default ''
      )`,
      `create index branch_attempts_gid_idx on concord.branch_attempts (gid, branch_id, op, at)`,
    ),
  },
  {
    version: 4,
    name: "creator",
    up: statements(
      // Who created it, with authentication on: only its creator (or an admin) may drive it, and
      // only its creator or a reader may read it. '' = created with authentication off.
      `alter table concord.transactions add column created_by text not null default ''`,
    ),
  },
  {
    version: 5,
    name: "workflows",
    up: statements(
      // A workflow's client runs the function and records each step as a branch row (op action,
      // commit, rollback, …; target empty; payload = the step's result): the branches table takes
      // them as it is. The transaction keeps the function's input (sent with every resume call)
      // and the result it was finished with.
      `alter table concord.transactions drop constraint transactions_mode_check`,
      `alter table concord.transactions add constraint transactions_mode_check
        check (mode in ('saga', 'msg', 'tcc', 'xa', 'workflow'))`,
      `alter table concord.transactions add column input bytea not null default ''::bytea`,
      `alter table concord.transactions add column result bytea not null default ''::bytea`,
    ),
  },
  {
    version: 6,
    name: "branch rows without foreign keys",
    up: statements(
      // Every insert of a branch row checked its transaction through the foreign key: one more
      // query per row, planned once per connection and kept. A connection that first ran it while
      // the table was nearly empty kept a sequential scan, and a fresh database then spent up to
      // 700 ms per batch of Submits scanning transactions. Branch rows are written in the
      // statement that inserts their transaction, or under its row lock (RegisterBranch, workflow
      // steps, progress writes), and deleteFinished deletes them with it; nothing else writes or
      // deletes them.
      `alter table concord.branches drop constraint if exists branches_gid_fkey`,
      `alter table concord.branch_attempts drop constraint if exists branch_attempts_gid_fkey`,
    ),
  },
  {
    version: 7,
    name: "calls kept in the order they were written",
    up: statements(
      // A call's time is the coordinator's clock to the millisecond, and two calls of one run can
      // end in the same millisecond (a compensation of 02, then of 01): ordered by time and branch
      // id, the timeline showed them the wrong way round. One transaction's calls are written by
      // one run at a time, under its lease, in the order they were made; the sequence keeps it.
      `alter table concord.branch_attempts add column seq bigint generated always as identity`,
    ),
  },
];

export interface MigrateOptions {
  /** Default: `migrations` above (tests may pass their own list). */
  readonly migrations?: readonly Migration[];
  readonly logger?: Logger;
}

/**
 * Bring the database to the newest schema version. Safe to call from several processes at once.
 * Returns the versions this call applied (empty when the schema was already current).
 */
export async function migrate(db: Kysely<Database>, options: MigrateOptions = {}): Promise<number[]> {
  const list = [...(options.migrations ?? migrations)].sort((a, b) => a.version - b.version);
  // A session lock needs one connection from lock to unlock; a pool would hand out others.
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${migrationLockKey})`.execute(conn);
    try {
      await sql`create schema if not exists concord`.execute(conn);
      await sql`create table if not exists concord.schema_migrations (
        version integer primary key,
        applied_at timestamptz not null default now()
      )`.execute(conn);
      const applied = new Set(
        (await conn.selectFrom("concord.schema_migrations").select("version").execute()).map((r) => r.version),
      );
      const done: number[] = [];
      for (const migration of list) {
        if (applied.has(migration.version)) continue;
        await conn.transaction().execute(async (trx) => {
          await migration.up(trx);
          await trx.insertInto("concord.schema_migrations").values({ version: migration.version }).execute();
        });
        options.logger?.info("store: migration applied", { version: migration.version, name: migration.name });
        done.push(migration.version);
      }
      return done;
    } finally {
      await sql`select pg_advisory_unlock(${migrationLockKey})`.execute(conn);
    }
  });
}
