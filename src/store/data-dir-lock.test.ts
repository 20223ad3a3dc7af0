import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../logger.js";
import { acquireDataDirLock, DataDirLockedError, processStartTime, type DataDirLockHolder } from "./data-dir-lock.js";

const root = mkdtempSync(join(tmpdir(), "concord-lock-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh folder path (not created) for one test. */
const folder = () => join(root, `d${++n}`, "data");

function writeHolder(dataDir: string, holder: Partial<DataDirLockHolder>): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const record = { pid: 1, host: hostname(), since: "2020-01-01T00:00:00.000Z", token: "earlier", ...holder };
  writeFileSync(join(dataDir, "concord.lock"), JSON.stringify(record));
}

function collectingLogger() {
  const lines: { level: string; msg: string; [k: string]: unknown }[] = [];
  return { lines, logger: createLogger("debug", (line) => void lines.push(JSON.parse(line))) };
}

/** The pid of a process that has just exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

describe("the data folder lock", () => {
  it("creates a missing folder owner-only and records this process in it", async () => {
    const dataDir = folder();
    const lock = await acquireDataDirLock({ dataDir });
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const record = JSON.parse(readFileSync(join(dataDir, "concord.lock"), "utf8")) as DataDirLockHolder;
    expect(record).toMatchObject({ pid: process.pid, host: hostname() });
    expect(Date.parse(record.since)).toBeGreaterThan(Date.now() - 60_000);
    expect(statSync(join(dataDir, "concord.lock")).mode & 0o077).toBe(0);
    await lock.release();
    expect(existsSync(join(dataDir, "concord.lock"))).toBe(false);
    await lock.release(); // idempotent
  });

  it("names the folder when it cannot be used at all (here: a path under a plain file)", async () => {
    const file = join(root, `file${++n}`);
    writeFileSync(file, "not a folder");
    const err = (await acquireDataDirLock({ dataDir: join(file, "data") }).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(
      `data folder ${join(file, "data")} cannot be used (ENOTDIR: ${(err.cause as Error).message}); check that it is a writable directory of this user`,
    );
  });

  it("refuses a second lock on the same folder in this process, even when both are asked for at once", async () => {
    const dataDir = folder();
    const [a, b] = await Promise.allSettled([acquireDataDirLock({ dataDir }), acquireDataDirLock({ dataDir: `${dataDir}/.` })]);
    const won = [a, b].filter((r) => r.status === "fulfilled");
    const lost = [a, b].filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(DataDirLockedError);
    expect(lost[0]!.reason.message).toContain(`data folder ${dataDir} is in use by another store in this process (pid ${process.pid})`);
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireDataDirLock>>>).value.release();
    await (await acquireDataDirLock({ dataDir })).release();
  });

  it("refuses a folder locked by a live process, naming the folder, its pid, host and since", async () => {
    const dataDir = folder();
    // Our parent (the test runner) is alive; its real start time makes the record genuine.
    writeHolder(dataDir, { pid: process.ppid, startTime: processStartTime(process.ppid), since: "2024-05-06T07:08:09.000Z" });
    const err = await acquireDataDirLock({ dataDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect((err as Error).message).toBe(
      `data folder ${dataDir} is in use by another process: pid ${process.ppid} on host ${hostname()} since 2024-05-06T07:08:09.000Z; ` +
        `stop that process or use another data folder (if that process is certainly gone, e.g. it ran on another machine, delete ${join(dataDir, "concord.lock")})`,
    );
    // The holder's lock is left as it was.
    expect(JSON.parse(readFileSync(join(dataDir, "concord.lock"), "utf8"))).toMatchObject({ pid: process.ppid, token: "earlier" });
  });

  it("refuses a folder locked from another host, whose processes it cannot see", async () => {
    const dataDir = folder();
    writeHolder(dataDir, { pid: process.pid, host: "elsewhere.example" });
    await expect(acquireDataDirLock({ dataDir })).rejects.toThrow(/pid \d+ on host elsewhere\.example since 2020-01-01/);
  });

  it("takes over at once a lock whose process is gone, and says so", async () => {
    const dataDir = folder();
    const pid = await deadPid();
    writeHolder(dataDir, { pid });
    const { lines, logger } = collectingLogger();
    const lock = await acquireDataDirLock({ dataDir, logger });
    expect(lock.holder.pid).toBe(process.pid);
    expect(lines).toContainEqual(expect.objectContaining({ level: "warn", msg: "store: removed a stale lock on the data folder", pid, reason: "its process is gone" }));
    await lock.release();
  });

  it("takes over a lock carrying this process's own pid, left by an earlier run (a restarted container)", async () => {
    const dataDir = folder();
    writeHolder(dataDir, { pid: process.pid, startTime: processStartTime(process.pid) });
    const lock = await acquireDataDirLock({ dataDir });
    expect(lock.holder.token).not.toBe("earlier");
    await lock.release();
  });

  it.runIf(processStartTime(process.ppid) !== undefined)("takes over a lock whose pid now belongs to another process (its start time differs)", async () => {
    const dataDir = folder();
    writeHolder(dataDir, { pid: process.ppid, startTime: "1" });
    const { lines, logger } = collectingLogger();
    const lock = await acquireDataDirLock({ dataDir, logger });
    expect(lines).toContainEqual(expect.objectContaining({ reason: "its pid now belongs to another process" }));
    await lock.release();
  });

  it("leaves a lock file that is not a lock record alone and names it", async () => {
    const dataDir = folder();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, "concord.lock"), "something else");
    await expect(acquireDataDirLock({ dataDir })).rejects.toThrow(`lock file ${join(dataDir, "concord.lock")} that is not a concord lock record`);
    expect(readFileSync(join(dataDir, "concord.lock"), "utf8")).toBe("something else");
  });

  it("waits a moment for an empty lock file (created in place, not yet written), then refuses it", async () => {
    const dataDir = folder();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, "concord.lock"), "");
    const started = Date.now();
    await expect(acquireDataDirLock({ dataDir, contentionTimeoutMs: 200 })).rejects.toThrow("that is not a concord lock record");
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it("makes an existing folder that others can reach private to its owner", async () => {
    const dataDir = folder();
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    const { lines, logger } = collectingLogger();
    const lock = await acquireDataDirLock({ dataDir, logger });
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(lines).toContainEqual(expect.objectContaining({ level: "warn", was: "755" }));
    await lock.release();
  });

  it("does not remove a lock at release that is no longer its own", async () => {
    const dataDir = folder();
    const lock = await acquireDataDirLock({ dataDir });
    writeHolder(dataDir, { pid: process.ppid, token: "someone-else" });
    await lock.release();
    expect(JSON.parse(readFileSync(join(dataDir, "concord.lock"), "utf8"))).toMatchObject({ token: "someone-else" });
  });
});
