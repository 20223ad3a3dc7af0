/**
 * `make dev-postgres` (dist/tools/dev-postgres.js): a Postgres the XA and message examples can use,
 * whose data outlives it, and which Ctrl-C stops cleanly. Run from a private (mktemp) folder, which
 * as root also covers the case where user `postgres` cannot enter the clone.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./support/embedded-postgres.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const script = join(root, "dist", "tools", "dev-postgres.js");

interface Running {
  readonly stdout: () => string;
  /** Sends SIGINT, as Ctrl-C does, and resolves with the exit code. */
  interrupt(): Promise<number | string>;
}

async function startDevPostgres(dir: string, port: number): Promise<Running> {
  const proc = spawn(process.execPath, [script, "--dir", dir, "--port", String(port)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string>((resolve) => proc.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: proc.stdout }).on("line", (line) => {
      stdout += `${line}\n`;
      if (line.includes("Ctrl-C stops it")) resolve();
    });
    void exited.then((code) => reject(new Error(`dev-postgres exited (${code}) before it was ready:\n${stdout}${stderr}`)));
  });
  return {
    stdout: () => stdout,
    interrupt: async () => {
      proc.kill("SIGINT");
      return exited;
    },
  };
}

/** The variables the env file exports, as `source` would set them. */
async function sourced(dir: string): Promise<Record<string, string>> {
  const text = await readFile(join(dir, "env"), "utf8");
  return Object.fromEntries([...text.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!existsSync(script))(`make dev-postgres${existsSync(script) ? "" : " (skipped: run make build for dist/tools/dev-postgres.js)"}`, () => {
  let dir: string;
  let port: number;

  beforeAll(async () => {
    dir = join(await mkdtemp(join(tmpdir(), "concord-dev-postgres-test-")), "dev-postgres");
    port = await freePort();
  });

  afterAll(async () => {
    if (!dir) return;
    // As root with a private parent, the data lives elsewhere, behind a symlink.
    const elsewhere = await readlink(join(dir, "data")).catch(() => undefined);
    if (elsewhere) await rm(dirname(elsewhere), { recursive: true, force: true });
    await rm(dirname(dir), { recursive: true, force: true });
  });

  it("serves prepared transactions, keeps its data across restarts and stops cleanly on Ctrl-C", async () => {
    const first = await startDevPostgres(dir, port);
    let env: Record<string, string>;
    try {
      env = await sourced(dir);
      expect(Object.keys(env).sort()).toEqual(["BANK_DATABASE_URL", "CONCORD_DATABASE_URL", "DATABASE_URL"]);
      expect(first.stdout()).toContain(`export CONCORD_DATABASE_URL='${env.CONCORD_DATABASE_URL}'`);
      expect(await query(env.CONCORD_DATABASE_URL!, "select current_database() as db")).toEqual([{ db: "concord" }]);
      expect(await query(env.DATABASE_URL!, "show max_prepared_transactions")).toEqual([{ max_prepared_transactions: "64" }]);
      await query(env.DATABASE_URL!, "create table kept (note text); insert into kept values ('still here')");
    } finally {
      expect(await first.interrupt()).toBe(0);
    }
    expect(first.stdout()).toContain("dev Postgres stopped");

    const second = await startDevPostgres(dir, port);
    try {
      expect(await sourced(dir)).toEqual(env);
      expect(await query(env.DATABASE_URL!, "select note from kept")).toEqual([{ note: "still here" }]);
    } finally {
      expect(await second.interrupt()).toBe(0);
    }
  });
});
