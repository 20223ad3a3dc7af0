/**
 * The embedded (PGlite) store's data folder under real `concord serve` processes: one process per
 * folder, a SIGKILLed process's lock never blocks the next start, and the folder is private.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { saga, TransactionStatus } from "../src/client/index.js";
import type { CoordinatorClient } from "../src/client/index.js";
import { startConcordProcess, type ConcordProcess } from "./support/process.js";

const root = mkdtempSync(join(tmpdir(), "concord-embedded-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDataDir = () => join(root, `run${++n}`, "data");

const empty = new Uint8Array();

/** A saga of no-op steps (empty targets succeed), waited for: answered SUCCEEDED. */
async function succeed(client: CoordinatorClient, gid: string): Promise<void> {
  const tx = await (await saga(client, gid)).add("", "", empty).add("", "", empty).submit({ waitResult: true });
  expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
}

async function statusOf(client: CoordinatorClient, gid: string): Promise<TransactionStatus | undefined> {
  return (await client.getTransaction({ gid })).transaction?.status;
}

describe("concord serve on an embedded data folder", () => {
  const procs: ConcordProcess[] = [];
  const start = async (dataDir: string) => {
    const p = await startConcordProcess(["--data-dir", dataDir]);
    procs.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(procs.splice(0).map((p) => p.stop("SIGKILL")));
  });

  it("refuses a second process on the same folder, naming the folder and the first's pid, while the first keeps serving", async () => {
    const dataDir = freshDataDir();
    const first = await start(dataDir);
    await succeed(first.client, "one-folder-1");

    const refused = await start(dataDir).then(
      () => new Error("the second process started"),
      (err: unknown) => err as Error,
    );
    expect(refused.message).toMatch(/exited \(2\) before listening/);
    expect(refused.message).toContain(`concord: cannot start: data folder ${dataDir} is in use by another process: pid ${first.proc.pid} on host ${hostname()} since `);

    // The first instance still serves, and both its old and new writes survive a clean restart.
    expect(await statusOf(first.client, "one-folder-1")).toBe(TransactionStatus.SUCCEEDED);
    await succeed(first.client, "one-folder-2");
    expect(await first.stop("SIGTERM")).toBe(0);
    expect(existsSync(join(dataDir, "concord.lock"))).toBe(false);
    const again = await start(dataDir);
    expect(await statusOf(again.client, "one-folder-1")).toBe(TransactionStatus.SUCCEEDED);
    expect(await statusOf(again.client, "one-folder-2")).toBe(TransactionStatus.SUCCEEDED);
  });

  it("starts at once on a folder whose previous process was SIGKILLed, and sees its transactions", async () => {
    const dataDir = freshDataDir();
    const first = await start(dataDir);
    await succeed(first.client, "killed-1");
    expect(await first.stop("SIGKILL")).toBe("SIGKILL");
    // The killed process could not remove its lock.
    expect(existsSync(join(dataDir, "concord.lock"))).toBe(true);

    const second = await start(dataDir);
    expect(await statusOf(second.client, "killed-1")).toBe(TransactionStatus.SUCCEEDED);
  });

  it("creates the data folder owner-only (0700)", async () => {
    const dataDir = freshDataDir();
    await start(dataDir);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });
});

describe("processes racing for one data folder", () => {
  const lockModule = fileURLToPath(new URL("../dist/src/store/data-dir-lock.js", import.meta.url));
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  /**
   * Start `count` processes that each load the lock module, say "ready", wait for "go" and then
   * try to lock `dataDir`: the winner says "won" and holds the lock until its stdin closes; the
   * others say "refused <pid of the holder>" and exit.
   */
  async function race(dataDir: string, count: number): Promise<{ won: number[]; refusedNaming: number[] }> {
    const script = `
      import { acquireDataDirLock } from ${JSON.stringify(lockModule)};
      import { createInterface } from "node:readline";
      const lines = createInterface({ input: process.stdin });
      console.log("ready");
      for await (const line of lines) {
        if (line !== "go") continue;
        try {
          const lock = await acquireDataDirLock({ dataDir: ${JSON.stringify(dataDir)} });
          console.log("won");
          for await (const _ of lines) {}
          await lock.release();
        } catch (err) {
          console.log(err.holder ? "refused " + err.holder.pid : "error " + err.message);
        }
        break;
      }
      process.exit(0);
    `;
    const started = Array.from({ length: count }, () => {
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["pipe", "pipe", "inherit"] });
      children.push(child);
      const lines = createInterface({ input: child.stdout! });
      const said: string[] = [];
      const waiters: (() => void)[] = [];
      lines.on("line", (line) => {
        said.push(line);
        waiters.splice(0).forEach((w) => w());
      });
      const next = async (i: number) => {
        while (said.length <= i) await new Promise<void>((resolve) => waiters.push(resolve));
        return said[i]!;
      };
      return { child, next };
    });
    for (const c of started) expect(await c.next(0)).toBe("ready");
    for (const c of started) c.child.stdin!.write("go\n");
    const outcomes = await Promise.all(started.map(async (c) => ({ pid: c.child.pid!, said: await c.next(1) })));
    for (const o of outcomes) expect(o.said).toMatch(/^(won|refused \d+)$/);
    const won = outcomes.filter((o) => o.said === "won").map((o) => o.pid);
    const refusedNaming = outcomes.filter((o) => o.said !== "won").map((o) => Number(o.said.split(" ")[1]));
    return { won, refusedNaming };
  }

  it(
    "exactly one of several processes starting at the same instant gets the folder, on a fresh folder and over a stale lock",
    async () => {
      for (const stale of [false, true]) {
        const dataDir = freshDataDir();
        if (stale) {
          // The lock of a process that is gone: every racer finds it stale and tries to break it.
          const gone = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
          await new Promise((resolve) => gone.once("exit", resolve));
          mkdirSync(dataDir, { recursive: true, mode: 0o700 });
          writeFileSync(join(dataDir, "concord.lock"), JSON.stringify({ pid: gone.pid, host: hostname(), since: new Date().toISOString(), token: "gone" }));
        }
        const { won, refusedNaming } = await race(dataDir, 5);
        expect(won).toHaveLength(1);
        expect(refusedNaming).toEqual(Array(4).fill(won[0]));
        const winner = children.find((c) => c.pid === won[0])!;
        const exited = new Promise((resolve) => winner.once("exit", resolve));
        winner.stdin!.end();
        await exited;
        expect(existsSync(join(dataDir, "concord.lock"))).toBe(false);
      }
    },
  );
});
