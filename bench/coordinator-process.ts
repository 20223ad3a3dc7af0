/**
 * Runs `concord serve` as a separate process, as a user would, and reads its ports from the one
 * stdout line it prints when ready. Internal module of `saga-bench.ts`.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { processTree, spawnTracked, treeCpuMs } from "./dtm-bench-procs.js";

export interface CoordinatorProcess {
  readonly pid: number;
  readonly grpcPort: number;
  readonly httpPort: number;
  /** The `concord listening: …` line. */
  readonly banner: string;
  /** Resident and peak resident memory from /proc/<pid>/status, summed over the process and its workers, KiB (undefined off Linux). */
  memory(): Promise<{ rssKb: number; hwmKb: number } | undefined>;
  /** CPU time the process and its workers have used (user + system), ms (undefined off Linux). */
  cpuMs(): Promise<number | undefined>;
  /** Lines the coordinator wrote to stderr (last 200). */
  stderr(): readonly string[];
  /** SIGTERM and wait for the exit (SIGKILL after `graceMs`); resolves with the exit code or signal. */
  stop(graceMs?: number): Promise<string>;
}

export interface StartCoordinatorOptions {
  readonly databaseUrl: string;
  /** How long to wait for the listening line, ms. Default: 30000. */
  readonly startTimeoutMs?: number;
  /** Write the coordinator's CPU profile (node --cpu-prof) into this folder when it exits. */
  readonly cpuProfileDir?: string;
  /** More `concord serve` flags. */
  readonly serveArgs?: readonly string[];
}

const bin = fileURLToPath(new URL("../../bin/concord.js", import.meta.url));
const listening = /^concord listening: grpc=(\S+):(\d+) http=(\S+):(\d+)/;

export async function startCoordinatorProcess(options: StartCoordinatorOptions): Promise<CoordinatorProcess> {
  const profile = options.cpuProfileDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`];
  // The fake branches listen on loopback, which concord serve refuses unless allowed.
  const allowLoopback = ["--allow-targets", "*,localhost,127.0.0.0/8,::1/128"];
  const args = [...profile, bin, "serve", "--database-url", options.databaseUrl, "--host", "127.0.0.1", "--grpc-port", "0", "--http-port", "0", "--log-level", "warn", ...allowLoopback, ...(options.serveArgs ?? [])];
  // Tracked, so a second Ctrl-C in a bench kills it with everything else it started.
  const tracked = spawnTracked(process.execPath, args);
  const { child, exited } = tracked;
  const stderrLines: string[] = [];
  let stderrRest = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    const parts = (stderrRest + chunk).split("\n");
    stderrRest = parts.pop() ?? "";
    stderrLines.push(...parts);
    if (stderrLines.length > 200) stderrLines.splice(0, stderrLines.length - 200);
  });

  const banner = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => reject(new Error("concord serve printed no listening line in time")), options.startTimeoutMs ?? 30000);
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const line = stdout.split("\n").find((l) => listening.test(l));
      if (line === undefined) return;
      clearTimeout(timer);
      resolve(line);
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`concord serve ended before listening (${how}):\n${stderrLines.join("\n")}${stderrRest}`));
    });
  }).catch(async (err: unknown) => {
    child.kill("SIGKILL");
    await exited;
    throw err;
  });
  const match = listening.exec(banner);
  const pid = child.pid;
  if (!match || pid === undefined) throw new Error(`unexpected listening line: ${banner}`);

  return {
    pid,
    grpcPort: Number(match[2]),
    httpPort: Number(match[4]),
    banner,
    async memory() {
      // The whole process tree: with --workers N the coordinator is a primary and its workers.
      const tree = await processTree(pid);
      if (tree.length === 0) return undefined;
      let rssKb = 0;
      let hwmKb = 0;
      for (const p of tree) {
        try {
          const status = await readFile(`/proc/${p}/status`, "utf8");
          const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
          rssKb += kb("VmRSS");
          hwmKb += kb("VmHWM");
        } catch {
          // Gone in between.
        }
      }
      return { rssKb, hwmKb };
    },
    async cpuMs() {
      const ms = await treeCpuMs([pid]);
      return Number.isNaN(ms) ? undefined : ms;
    },
    stderr: () => (stderrRest ? [...stderrLines, stderrRest] : [...stderrLines]),
    stop: (graceMs = 15000) => tracked.stop(graceMs),
  };
}
