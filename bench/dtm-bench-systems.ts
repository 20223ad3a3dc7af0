/**
 * What `make bench-dtm` (dtm-bench.ts) runs: the Go branch server (bench/go-branches), dtm
 * v1.19.0 built from the Go module proxy's copy (cached in dist/bench-dtm/, never committed) and
 * `concord serve`; and what each stored in its database. Internal module of `dtm-bench.ts`.
 */
import { execFile } from "node:child_process";
import { access, constants, copyFile, mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { freePort } from "../test/support/embedded-postgres.js";
import { startCoordinatorProcess } from "./coordinator-process.js";
import { killTrees, processTree, spawnTracked, waitForOutput, type Tracked } from "./dtm-bench-procs.js";
import { withClient } from "./postgres.js";

const run = promisify(execFile);

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const ghzBin = join(repoRoot, ".bin", "ghz");
export const dtmModule = "github.com/dtm-labs/dtm";
export const dtmVersion = "v1.19.0";
const cacheRoot = join(repoRoot, "dist", "bench-dtm");

/** A missing tool or feature: said in one line, without a stack. */
export class SetupError extends Error {}

/** The Go toolchain's environment: module mode for modules without vendor/, whatever GOFLAGS says. */
function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOFLAGS: `${process.env.GOFLAGS ?? ""} -mod=mod`.trim() };
}

/** Fail early, naming what installs a missing tool. */
export async function checkTools(): Promise<void> {
  try {
    await access(ghzBin, constants.X_OK);
  } catch (err) {
    throw new SetupError(`${ghzBin} is missing: 'make grpc-tools' installs it (it needs Go)`, { cause: err });
  }
  try {
    await run("go", ["version"]);
  } catch (err) {
    throw new SetupError("Go is needed ('go' is not on PATH): it builds the branch server (bench/go-branches) and dtm; install Go 1.24 or later and run again ('make grpc-tools' needs it too)", { cause: err });
  }
}

/** Whether this build of `concord serve` knows `--workers`. */
export async function concordHasWorkers(): Promise<boolean> {
  const { stdout, stderr } = await run(process.execPath, [join(repoRoot, "bin", "concord.js"), "serve", "--help"]).catch(
    (err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? "", stderr: err.stderr ?? "" }),
  );
  return /--workers\b/.test(`${stdout}${stderr}`);
}

async function goBuild(cwd: string, out: string, args: readonly string[], what: string, signal: AbortSignal): Promise<void> {
  try {
    await run("go", ["build", ...args, "-o", out, "."], { cwd, env: goEnv(), maxBuffer: 16 << 20, signal });
  } catch (err) {
    const e = err as { stderr?: string; message?: string };
    throw new Error(`${what} does not build:\n${e.stderr ?? e.message ?? String(err)}`, { cause: err });
  }
}

/** `go build` of bench/go-branches into dist/bench-dtm/ (the Go build cache makes reruns quick). */
export async function buildGoBranches(signal: AbortSignal): Promise<string> {
  await mkdir(cacheRoot, { recursive: true });
  const out = join(cacheRoot, "go-branches");
  await goBuild(join(repoRoot, "bench", "go-branches"), out, [], "bench/go-branches", signal);
  return out;
}

/**
 * dtm's server, built once per version into dist/bench-dtm/<version>/ with the SQL file its `-r`
 * reads (from `sqls/` under its working directory): the module is fetched as tools/dtm-suite.sh
 * fetches it (`go mod download`), built in a temporary copy, and the copy removed.
 */
export async function ensureDtm(log: (m: string) => void, signal: AbortSignal): Promise<{ bin: string; dir: string }> {
  const dir = join(cacheRoot, dtmVersion);
  const bin = join(dir, "dtm");
  const sql = join(dir, "sqls", "dtmsvr.storage.postgres.sql");
  const present = await Promise.all([access(bin, constants.X_OK), access(sql)]).then(
    () => true,
    () => false,
  );
  if (present) return { bin, dir };
  log(`building dtm ${dtmVersion} into ${dir} (once; the first time downloads its Go dependencies and takes minutes)`);
  const work = await mkdtemp(join(tmpdir(), "concord-bench-dtm-build-"));
  try {
    const { stdout } = await run("go", ["mod", "download", "-json", `${dtmModule}@${dtmVersion}`], { cwd: work, env: goEnv(), signal }).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`go mod download ${dtmModule}@${dtmVersion} failed:\n${err.stderr ?? ""}${err.stdout ?? ""}`, { cause: err });
    });
    const info = JSON.parse(stdout) as { Dir?: string; Error?: string };
    if (info.Error || !info.Dir) throw new Error(`go mod download ${dtmModule}@${dtmVersion}: ${info.Error ?? "no Dir in its output"}`);
    const copy = join(work, "dtm");
    await run("cp", ["-R", info.Dir, copy]);
    await run("chmod", ["-R", "u+w", copy]);
    await mkdir(join(dir, "sqls"), { recursive: true });
    await goBuild(copy, `${bin}.tmp`, ["-ldflags", `-X main.Version=${dtmVersion}`], `dtm ${dtmVersion}`, signal);
    await copyFile(join(copy, "sqls", "dtmsvr.storage.postgres.sql"), sql);
    // Last: a binary in place means a finished build.
    await rename(`${bin}.tmp`, bin);
    return { bin, dir };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port; rejects when `proc` exits first or on timeout. */
async function waitForPort(port: number, proc: Tracked, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (proc.done()) throw new Error(`${what} ended (${await proc.exited}) before listening:\n${proc.output()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port} within ${timeoutMs / 1000} s:\n${proc.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface GoBranches {
  /** `127.0.0.1:PORT`. */
  readonly address: string;
  /** `127.0.0.1:PORT/bank.v1.BankService/<method>`: the target form of Concord and of dtm alike. */
  target(method: string): string;
  /** Stop it; resolves with the calls it answered (undefined when it did not say). */
  stop(): Promise<number | undefined>;
}

export async function startGoBranches(bin: string): Promise<GoBranches> {
  const proc = spawnTracked(bin, ["-port", "0"]);
  const match = await waitForOutput(proc, /go-branches listening on (\S+)/, 15_000, "go-branches").catch(async (err: unknown) => {
    await proc.stop(1000);
    throw err;
  });
  const address = match[1] ?? "";
  return {
    address,
    target: (method) => `${address}/bank.v1.BankService/${method}`,
    async stop() {
      await proc.stop(5000);
      const calls = /go-branches calls=(\d+)/.exec(proc.output())?.[1];
      return calls === undefined ? undefined : Number(calls);
    },
  };
}

/** One coordinator process (with its workers, if any): what ghz calls and /proc measures. */
export interface Instance {
  readonly pid: number;
  /** gRPC `127.0.0.1:PORT`. */
  readonly address: string;
  /** Connect JSON port (Concord only). */
  readonly httpPort?: number;
}

/** The coordinator processes of one run. */
export interface Deployment {
  readonly instances: readonly Instance[];
  /** Stop every process (SIGTERM, then SIGKILL), workers included. */
  stop(): Promise<void>;
}

/** `concord serve` processes on `databaseUrl`, each with `serveArgs` (bench/coordinator-process.ts). */
export async function startConcord(databaseUrl: string, count: number, serveArgs: readonly string[], log: (m: string) => void): Promise<Deployment> {
  const started: Awaited<ReturnType<typeof startCoordinatorProcess>>[] = [];
  const stop = async () => {
    const trees = (await Promise.all(started.map((c) => processTree(c.pid)))).flat();
    await Promise.all(
      started.map(async (c) => {
        const how = await c.stop(15_000);
        if (how !== "exit code 0" && how !== "signal SIGTERM") log(`concord serve (pid ${c.pid}) ended with ${how}: ${c.stderr().slice(-5).join("\n")}`);
      }),
    );
    const left = (await Promise.all(trees.map(async (pid) => ((await processTree(pid)).length > 0 ? pid : undefined)))).filter((p) => p !== undefined);
    if (left.length > 0) log(`killed ${await killTrees(left)} leftover concord process(es): ${left.join(", ")}`);
  };
  try {
    for (let i = 0; i < count; i++) started.push(await startCoordinatorProcess({ databaseUrl, serveArgs, startTimeoutMs: 60_000 }));
  } catch (err) {
    await stop();
    throw err;
  }
  return { instances: started.map((c) => ({ pid: c.pid, address: `127.0.0.1:${c.grpcPort}`, httpPort: c.httpPort })), stop };
}

export interface DtmStart {
  readonly bin: string;
  /** Working directory: holds `sqls/`, which `-r` reads. */
  readonly dir: string;
  readonly databaseUrl: string;
  /** UpdateBranchSync: 1 (dtm's synchronous branch writes) or omitted (batched async writes). */
  readonly sync: boolean;
  /** Pass `-r`: (re)create dtm's tables. Only on the database's first start. */
  readonly reset: boolean;
  /** Where to write the config file. */
  readonly tempDir: string;
}

/** dtm's server on free ports with a Postgres store; ready once its gRPC port accepts connections. */
export async function startDtm(options: DtmStart): Promise<Deployment> {
  const url = new URL(options.databaseUrl);
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const yaml = (v: string) => JSON.stringify(v);
  const config = [
    "Store:",
    "  Driver: postgres",
    `  Host: ${yaml(url.hostname)}`,
    `  Port: ${url.port || "5432"}`,
    `  User: ${yaml(decodeURIComponent(url.username))}`,
    `  Password: ${yaml(decodeURIComponent(url.password))}`,
    `  Db: ${yaml(url.pathname.slice(1))}`,
    "  Schema: public",
    `HttpPort: ${httpPort}`,
    `GrpcPort: ${grpcPort}`,
    "LogLevel: warn",
    ...(options.sync ? ["UpdateBranchSync: 1"] : []),
    "",
  ].join("\n");
  const file = join(options.tempDir, `dtm-${options.sync ? "sync" : "default"}.yml`);
  await writeFile(file, config, { mode: 0o600 });
  // dtm reads every setting from the environment too (HTTP_PORT, LOG_LEVEL…): give it none of ours.
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" };
  const proc = spawnTracked(options.bin, ["-c", file, ...(options.reset ? ["-r"] : [])], { cwd: options.dir, env });
  try {
    await waitForPort(grpcPort, proc, 60_000, "dtm");
    await waitForPort(httpPort, proc, 10_000, "dtm");
  } catch (err) {
    await proc.stop(2000);
    throw err;
  }
  return {
    instances: [{ pid: proc.pid, address: `127.0.0.1:${grpcPort}` }],
    async stop() {
      await proc.stop(10_000);
    },
  };
}

/** Sagas a coordinator stored in its database, and their action branches. */
export interface Stored {
  readonly sagas: number;
  readonly succeeded: number;
  readonly actions: number;
  readonly actionsSucceeded: number;
}

/** Read what Concord (schema `concord`) or dtm (trans_global, trans_branch_op) stored; zeros before its tables exist. */
export async function storedCounts(kind: "concord" | "dtm", databaseUrl: string): Promise<Stored> {
  const [global, done, branches, branchDone] =
    kind === "concord" ? ["concord.transactions", "succeeded", "concord.branches", "succeeded"] : ["trans_global", "succeed", "trans_branch_op", "succeed"];
  return withClient(databaseUrl, async (c) => {
    // Before the coordinator's first start, its tables do not exist yet: nothing stored.
    const exists = await c.query<{ t: string | null }>("select to_regclass($1)::text as t", [global]);
    if (!exists.rows[0]?.t) return { sagas: 0, succeeded: 0, actions: 0, actionsSucceeded: 0 };
    const g = await c.query<{ n: string; ok: string }>(`select count(*)::text as n, count(*) filter (where status = $1)::text as ok from ${global}`, [done]);
    const b = await c.query<{ n: string; ok: string }>(
      `select count(*)::text as n, count(*) filter (where status = $1)::text as ok from ${branches} where op = 'action'`,
      [branchDone],
    );
    return { sagas: Number(g.rows[0]?.n), succeeded: Number(g.rows[0]?.ok), actions: Number(b.rows[0]?.n), actionsSucceeded: Number(b.rows[0]?.ok) };
  });
}

/** Sessions still connected to `database`: a stopped coordinator's backends flush their statistics as they exit. */
export async function waitForNoSessions(adminUrl: string, database: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await withClient(adminUrl, async (c) => {
    for (;;) {
      const { rows } = await c.query<{ n: string }>("select count(*)::text as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [database]);
      if (Number(rows[0]?.n) === 0 || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
}
