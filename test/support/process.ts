/**
 * Real `concord serve` processes for crash, shutdown and multi-instance tests.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createConcordClient, TransactionStatus } from "../../src/client/index.js";
import type { CoordinatorClient, Transaction } from "../../src/client/index.js";
import { loopbackAllowTargets } from "./outbound.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = `${root}/bin/concord.js`;

export interface ConcordProcess {
  readonly proc: ChildProcess;
  readonly grpcPort: number;
  readonly httpPort: number;
  readonly client: CoordinatorClient;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Every line the process wrote to stdout so far. */
  stdout(): readonly string[];
  /** Send a signal and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Start `concord serve` with the given flags on free ports; resolves once it listens. Its
 * branches may be on loopback (the tests' fake services are), unless the flags say otherwise.
 */
export async function startConcordProcess(flags: string[], timeoutMs = 30_000, env: NodeJS.ProcessEnv = {}): Promise<ConcordProcess> {
  if (!existsSync(`${root}/dist/src/cli/main.js`)) throw new Error("dist/ is missing: run `make build` (make test does) before the process tests");
  const proc = spawn(process.execPath, [bin, "serve", "--host", "127.0.0.1", "--grpc-port", "0", "--http-port", "0", ...flags], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CONCORD_LOG_LEVEL: process.env.CONCORD_TEST_LOG ? "debug" : "warn", CONCORD_ALLOW_TARGETS: loopbackAllowTargets.join(","), ...env },
  });
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string>((resolve) => proc.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  const lines = createInterface({ input: proc.stdout! });
  const stdout: string[] = [];
  lines.on("line", (line) => stdout.push(line));
  const listening = await new Promise<{ grpcPort: number; httpPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`concord serve did not start in ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    lines.on("line", (line) => {
      const m = /concord listening: grpc=\S+:(\d+) http=\S+:(\d+)/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolve({ grpcPort: Number(m[1]), httpPort: Number(m[2]) });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`concord serve exited (${code}) before listening:\n${stderr}`));
    });
  });
  return {
    proc,
    ...listening,
    client: createConcordClient({ baseUrl: `http://127.0.0.1:${listening.grpcPort}` }),
    exited,
    stderr: () => stderr,
    stdout: () => stdout,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/**
 * The pids of `pid`'s child processes (a `concord serve --workers N` primary's workers), read from
 * /proc (the `children` files need a kernel option; every process's `stat` names its parent).
 */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid …"; comm may hold spaces and parentheses.
    const [, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(ppid) === pid) children.push(Number(entry));
  }
  return children.sort((a, b) => a - b);
}

/** Whether a process with this pid exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat[stat.lastIndexOf(")") + 2] !== "Z";
  } catch {
    return false;
  }
}

/** Poll GetTransaction until the transaction is final (bounded). */
export async function waitFinal(client: CoordinatorClient, gid: string, timeoutMs = 30_000): Promise<Transaction> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const tx = (await client.getTransaction({ gid })).transaction!;
    if (tx.status === TransactionStatus.SUCCEEDED || tx.status === TransactionStatus.FAILED) return tx;
    if (Date.now() > until) throw new Error(`${gid} still ${TransactionStatus[tx.status]} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
