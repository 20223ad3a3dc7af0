/**
 * An exclusive, crash-safe lock on the embedded store's data folder. Internal module.
 *
 * PGlite is a single-process WebAssembly Postgres: two processes on one folder each see only
 * their own writes and overwrite each other's files, so a transaction answered SUCCEEDED can
 * vanish at the next start. The folder therefore holds `concord.lock`, a JSON record of the
 * process that has it open (pid, host, since, the process's start time and the machine's boot
 * id), the way Postgres itself keeps `postmaster.pid`.
 *
 * Why not a package: `proper-lockfile` and `lockfile` judge staleness by mtime, so a SIGKILLed
 * coordinator (OOM kill, `docker kill`) would block the next start until the lock aged out (and a
 * live process must keep touching the file). `fs-ext` gives real flock() but is a native build,
 * and flock is unreliable on network filesystems. A pid record needs no waiting: a lock whose
 * process is gone, whose pid now belongs to another process (start times differ; containers
 * restart with the same small pids), or whose pid is our own (a previous run of this container),
 * is stale at once.
 *
 * Atomicity: the record is written and fsynced to a private temporary file, then hard-linked to
 * `concord.lock`; link() fails with EEXIST if the lock exists, so of two processes starting at
 * the same instant exactly one wins, and a reader never sees a half-written record. Removing a
 * stale lock is done under a second lock, `concord.lock.break`, taken the same way, re-reading
 * the record first, so two processes that both found it stale cannot remove each other's fresh
 * lock. (If a process is killed in the microseconds it holds the breaker, the breaker is itself
 * judged by its pid and removed; only that double fault combined with two simultaneous starts
 * is left uncovered.) On a filesystem without hard links the record is created in place with
 * O_EXCL instead, and a reader that finds it still empty waits a moment.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { link, open, readFile, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import type { Logger } from "../logger.js";

/** The record kept in `concord.lock`. */
export interface DataDirLockHolder {
  readonly pid: number;
  readonly host: string;
  /** When the lock was taken, ISO 8601. */
  readonly since: string;
  /** The process's start time in clock ticks after boot (`/proc/<pid>/stat` field 22), where known. */
  readonly startTime?: string;
  /** `/proc/sys/kernel/random/boot_id` when the lock was taken, where known. */
  readonly bootId?: string;
  /** Tells this lock from an earlier one with the same pid. */
  readonly token: string;
}

/** Thrown when another live process (or another store in this process) holds the folder. */
export class DataDirLockedError extends Error {
  readonly dataDir: string;
  readonly holder: DataDirLockHolder;

  constructor(dataDir: string, lockPath: string, holder: DataDirLockHolder, ownProcess: boolean) {
    const who = ownProcess
      ? `another store in this process (pid ${holder.pid})`
      : `another process: pid ${holder.pid} on host ${holder.host}`;
    const hint = ownProcess
      ? "close the other store first"
      : `stop that process or use another data folder (if that process is certainly gone, e.g. it ran on another machine, delete ${lockPath})`;
    super(`data folder ${dataDir} is in use by ${who} since ${holder.since}; ${hint}`);
    this.name = "DataDirLockedError";
    this.dataDir = dataDir;
    this.holder = holder;
  }
}

export interface DataDirLockOptions {
  /** The folder to lock; created (owner-only, 0700) when missing. Relative paths resolve against the working directory. */
  readonly dataDir: string;
  /** Receives a warning when a stale lock is removed or the folder's permissions are tightened. Default: none. */
  readonly logger?: Logger;
  /** How long to keep trying while other processes are mid-way through taking or breaking the lock, ms. Default 5000. */
  readonly contentionTimeoutMs?: number;
}

export interface DataDirLock {
  /** The folder's absolute, symlink-free path. */
  readonly dataDir: string;
  readonly holder: DataDirLockHolder;
  /** Remove the lock (only if it is still ours). Idempotent. */
  release(): Promise<void>;
}

const lockName = "concord.lock";

/**
 * The folders this process holds, shared by every copy of this module (a bundler or a test runner
 * may load two), so a second store on the same folder in one process is refused too: the pid in
 * the record cannot tell it apart from ours.
 */
const held: Map<string, DataDirLockHolder> = ((globalThis as Record<symbol, unknown>)[Symbol.for("concord.heldDataDirs")] ??= new Map<
  string,
  DataDirLockHolder
>()) as Map<string, DataDirLockHolder>;

/** Create the folder if needed and take its lock, or throw `DataDirLockedError` naming the holder. */
export async function acquireDataDirLock(options: DataDirLockOptions): Promise<DataDirLock> {
  const requested = resolve(options.dataDir);
  let dataDir: string;
  try {
    dataDir = prepareFolder(requested, options.logger);
  } catch (err) {
    throw unusableFolder(requested, err);
  }
  const lockPath = join(dataDir, lockName);
  const own = held.get(dataDir);
  if (own) throw new DataDirLockedError(dataDir, lockPath, own, true);

  const holder: DataDirLockHolder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    // JSON leaves out the undefined ones (no procfs).
    startTime: processStartTime(process.pid),
    bootId: bootId(),
    token: randomBytes(8).toString("hex"),
  };
  // Claimed before the first await, so a concurrent acquire in this process sees it.
  held.set(dataDir, holder);
  try {
    await takeLock(dataDir, lockPath, holder, options);
  } catch (err) {
    held.delete(dataDir);
    throw unusableFolder(dataDir, err);
  }

  let releasing: Promise<void> | undefined;
  return {
    dataDir,
    holder,
    release: () =>
      (releasing ??= (async () => {
        try {
          if (tokenOf(await readHolder(lockPath)) === holder.token) await unlinkIfPresent(lockPath);
          else options.logger?.warn("store: the data folder's lock was no longer ours at close", { dataDir });
        } finally {
          held.delete(dataDir);
        }
      })()),
  };
}

/** Create the folder owner-only; tighten an existing one that others can reach (PGlite writes its files 0666). */
function prepareFolder(path: string, logger: Logger | undefined): string {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const dataDir = realpathSync(path);
  const stat = statSync(dataDir);
  if (!stat.isDirectory()) throw new Error(`data folder ${dataDir} is not a directory`);
  if ((stat.mode & 0o077) !== 0 && process.getuid?.() === stat.uid) {
    chmodSync(dataDir, 0o700);
    logger?.warn("store: made the data folder private to its owner (mode 0700)", { dataDir, was: (stat.mode & 0o777).toString(8) });
  }
  return dataDir;
}

async function takeLock(dataDir: string, lockPath: string, holder: DataDirLockHolder, options: DataDirLockOptions): Promise<void> {
  const record = `${JSON.stringify(holder)}\n`;
  const temp = join(dataDir, `${lockName}.${holder.token}.tmp`);
  await writeDurably(temp, record);
  const deadline = Date.now() + (options.contentionTimeoutMs ?? 5000);
  const pause = () => new Promise((r) => setTimeout(r, 10));
  try {
    for (;;) {
      if (await createExclusive(temp, lockPath, record)) return;
      const current = await readHolder(lockPath);
      if (current === "gone") continue; // released between our link and our read: try again
      if (current === "empty" && Date.now() < deadline) {
        await pause(); // created in place (no hard links) and not written yet
        continue;
      }
      if (current === "unreadable" || current === "empty") {
        // Ours appear whole (link after fsync; in place, written at once), so this is not one of ours.
        throw new Error(`data folder ${dataDir} has a lock file ${lockPath} that is not a concord lock record; delete it if no concord process uses the folder`);
      }
      const reason = staleReason(current);
      if (reason === undefined) throw new DataDirLockedError(dataDir, lockPath, current, false);
      const broken = await breakStaleLock(lockPath, current, temp, record);
      if (broken === "removed") {
        options.logger?.warn("store: removed a stale lock on the data folder", { dataDir, pid: current.pid, host: current.host, since: current.since, reason });
      } else if (broken === "busy" && Date.now() > deadline) {
        throw new Error(`data folder ${dataDir}: could not take its lock within ${options.contentionTimeoutMs ?? 5000} ms while other processes were taking it`);
      } else if (broken === "busy") {
        await pause(); // another process is breaking the same stale lock; it takes microseconds
      }
    }
  } finally {
    // A temporary file left behind harms nobody; failing here would leave a lock we hold unreported.
    await unlinkIfPresent(temp).catch(() => undefined);
  }
}

/**
 * A filesystem error (read-only, not ours, not a directory, full) as one that names the folder and
 * what to check; the lock's own errors pass unchanged.
 */
function unusableFolder(dataDir: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== "string" || !/^E[A-Z]+$/.test(code)) return err;
  return new Error(`data folder ${dataDir} cannot be used (${code}: ${(err as Error).message}); check that it is a writable directory of this user`, { cause: err });
}

/**
 * Remove the stale lock `stale` under the breaker lock: "removed" it, found it already gone or
 * replaced ("changed"), or found the breaker held by another process ("busy"). The caller tries
 * its own lock again in every case.
 */
async function breakStaleLock(lockPath: string, stale: DataDirLockHolder, temp: string, record: string): Promise<"removed" | "changed" | "busy"> {
  const breaker = `${lockPath}.break`;
  if (!(await createExclusive(temp, breaker, record))) {
    const other = await readHolder(breaker);
    if (other === "gone") return "changed";
    if (other === "empty" || (other !== "unreadable" && staleReason(other) === undefined)) return "busy";
    // Its holder died while breaking: the breaker is stale in turn.
    await unlinkIfPresent(breaker);
    return "changed";
  }
  try {
    // Only the record judged stale is removed; a fresh lock taken meanwhile is left alone.
    if (tokenOf(await readHolder(lockPath)) !== stale.token) return "changed";
    await unlinkIfPresent(lockPath);
    return "removed";
  } finally {
    await unlinkIfPresent(breaker);
  }
}

/** Why the lock of `holder` no longer protects anything, or `undefined` when its process may still run. */
function staleReason(holder: DataDirLockHolder): string | undefined {
  // Another machine's processes cannot be seen from here (a folder on shared storage).
  if (holder.host !== hostname()) return undefined;
  const boot = bootId();
  if (holder.bootId !== undefined && boot !== undefined && holder.bootId !== boot) return "the machine has restarted since";
  // Locks this process holds are found in `held` before the record is read, so a record with our
  // pid is an earlier run's: a container restarted with the same pid.
  if (holder.pid === process.pid) return "its pid is this process's own: it was left by an earlier run";
  if (!isRunning(holder.pid)) return "its process is gone";
  const startTime = processStartTime(holder.pid);
  if (holder.startTime !== undefined && startTime !== undefined && startTime !== holder.startTime) {
    return "its pid now belongs to another process";
  }
  return undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Field 22 of `/proc/<pid>/stat` (start time, ticks after boot); `undefined` without procfs. */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces or ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[22 - 3];
}

function bootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

type ReadHolder = DataDirLockHolder | "gone" | "empty" | "unreadable";

function tokenOf(read: ReadHolder): string | undefined {
  return typeof read === "string" ? undefined : read.token;
}

async function readHolder(path: string): Promise<ReadHolder> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw err;
  }
  if (text === "") return "empty";
  try {
    const value = JSON.parse(text) as Partial<DataDirLockHolder>;
    if (Number.isInteger(value.pid) && typeof value.host === "string" && typeof value.since === "string" && typeof value.token === "string") {
      return value as DataDirLockHolder;
    }
  } catch {
    // not JSON
  }
  return "unreadable";
}

/** Write and fsync a new owner-only file, so its content is whole on disk before it is linked. */
async function writeDurably(path: string, text: string): Promise<void> {
  const file = await open(path, "wx", 0o600);
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Errors of link(2) on filesystems without hard links (FAT, some FUSE and SMB mounts). */
const noHardLinks = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV"]);

/**
 * Create `to` holding `record`, or return false if it exists: by link(2) from `temp` (atomic,
 * and never visible half-written), or where hard links are missing by O_EXCL creation in place.
 */
async function createExclusive(temp: string, to: string, record: string): Promise<boolean> {
  try {
    await link(temp, to);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (!noHardLinks.has(code ?? "")) throw err;
  }
  try {
    await writeDurably(to, record);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}
