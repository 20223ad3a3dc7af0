/**
 * Processes for `make bench-dtm` (dtm-bench.ts): every child it starts is tracked here, so that
 * an interrupted run can stop them all; and what /proc says about a process and its descendants
 * (CPU time, resident memory), since `concord serve --workers N` runs cluster workers and
 * Postgres a backend per connection. Internal module of `dtm-bench.ts`.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on every Linux we run on). */
const ticksPerSecond = 100;

const children = new Set<ChildProcess>();

/** What a tracked child printed and how it ended. */
export interface Tracked {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The last lines of stdout and stderr together (at most 200). */
  output(): string;
  /** Settles with "exit code N" or "signal S" when the process has exited. */
  readonly exited: Promise<string>;
  /** Whether it has exited. */
  done(): boolean;
  /** SIGTERM (or `signal`), SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number, signal?: NodeJS.Signals): Promise<string>;
}

/** Spawn a child that `killAllChildren` knows about; its output is kept (last 200 lines). */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): Tracked {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  children.add(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter((l) => l !== ""));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let ended = false;
  const exited = new Promise<string>((resolve) => {
    child.once("error", (err) => {
      ended = true;
      children.delete(child);
      resolve(`failed to start: ${err.message}`);
    });
    child.once("exit", (code, signal) => {
      ended = true;
      children.delete(child);
      resolve(signal ? `signal ${signal}` : `exit code ${code}`);
    });
  });
  let stopping: Promise<string> | undefined;
  return {
    child,
    pid: child.pid ?? -1,
    output: () => lines.join("\n"),
    exited,
    done: () => ended,
    stop(graceMs = 10_000, signal: NodeJS.Signals = "SIGTERM") {
      stopping ??= (async () => {
        if (ended) return exited;
        child.kill(signal);
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      })();
      return stopping;
    },
  };
}

/** Last resort (a second Ctrl-C): SIGKILL every tracked child still running, at once. */
export function killAllChildren(): void {
  for (const child of children) child.kill("SIGKILL");
}

/** Wait for `line` to appear in a tracked child's output; rejects if it exits first or after `timeoutMs`. */
export async function waitForOutput(proc: Tracked, line: RegExp, timeoutMs: number, what: string): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = line.exec(proc.output());
    if (match) return match;
    if (proc.done()) throw new Error(`${what} ended (${await proc.exited}) before it was ready:\n${proc.output()}`);
    if (Date.now() > deadline) throw new Error(`${what} was not ready within ${timeoutMs / 1000} s:\n${proc.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface StatLine {
  readonly ppid: number;
  /** utime + stime + cutime + cstime, ticks: the process and its children it has waited for. */
  readonly ticks: number;
}

async function readStat(pid: number): Promise<StatLine | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // After the command name (which may hold spaces and parentheses): state, ppid, …; utime,
    // stime, cutime and cstime are the 12th to 15th fields from there.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const n = (i: number) => Number(fields[i] ?? Number.NaN);
    return { ppid: n(1), ticks: n(11) + n(12) + n(13) + n(14) };
  } catch {
    return undefined;
  }
}

/** `root` and every live descendant of it, from /proc (empty off Linux or when `root` is gone). */
export async function processTree(root: number): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir("/proc");
  } catch {
    return [];
  }
  const parents = new Map<number, number>();
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (e) => {
        const stat = await readStat(Number(e));
        if (stat) parents.set(Number(e), stat.ppid);
      }),
  );
  if (!parents.has(root)) return [];
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

/**
 * CPU time used by the trees of `roots`, ms: every live process's user and system time plus what
 * its reaped children used (so a worker or backend that exited in between still counts, through
 * its parent). NaN when /proc cannot tell.
 */
export async function treeCpuMs(roots: readonly number[]): Promise<number> {
  let ticks = 0;
  let seen = 0;
  for (const root of roots) {
    for (const pid of await processTree(root)) {
      const stat = await readStat(pid);
      if (stat === undefined) continue;
      ticks += stat.ticks;
      seen++;
    }
  }
  return seen === 0 ? Number.NaN : (ticks * 1000) / ticksPerSecond;
}

/** Resident memory of the trees of `roots` (VmRSS summed), KiB; NaN when /proc cannot tell. */
export async function treeRssKb(roots: readonly number[]): Promise<number> {
  let kb = 0;
  let seen = 0;
  for (const root of roots) {
    for (const pid of await processTree(root)) {
      try {
        const status = await readFile(`/proc/${pid}/status`, "utf8");
        const rss = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
        if (rss === undefined) continue;
        kb += Number(rss);
        seen++;
      } catch {
        // Gone in between.
      }
    }
  }
  return seen === 0 ? Number.NaN : kb;
}

/** SIGKILL whatever is left of these process trees (workers a stopped primary left behind). */
export async function killTrees(pids: readonly number[]): Promise<number> {
  let killed = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
      killed++;
    } catch {
      // Already gone.
    }
  }
  return killed;
}

/** The postmaster of the server `backendPid` belongs to, when it runs on this machine. */
export async function postmasterOf(backendPid: number): Promise<number | undefined> {
  const stat = await readStat(backendPid);
  if (stat === undefined) return undefined;
  try {
    const comm = async (pid: number) => (await readFile(`/proc/${pid}/comm`, "utf8")).trim();
    // A remote server's backend pid may name some unrelated local process: both must be postgres.
    return (await comm(backendPid)).startsWith("postgres") && (await comm(stat.ppid)).startsWith("postgres") ? stat.ppid : undefined;
  } catch {
    return undefined;
  }
}
