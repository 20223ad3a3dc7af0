/**
 * A workflow's client process killed between two steps: a real `concord serve` resumes it through
 * the resume target, served by a new client process, which replays the recorded steps (none runs
 * twice) and runs the rest. Needs dist/ (`make build`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TransactionStatus } from "../src/client/index.js";
import { createTestDatabase } from "./support/databases.js";
import type { TestDatabase } from "./support/databases.js";
import { startFakeBank } from "./support/fake-bank.js";
import type { FakeBank } from "./support/fake-bank.js";
import { startConcordProcess, waitFinal } from "./support/process.js";
import { freePort } from "./support/embedded-postgres.js";
import type { ConcordProcess } from "./support/process.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * The client: serves its resume target, and with RUN=1 starts the workflow. Each local step
 * appends to LOG, so the test sees what ran; with PAUSE=1 the function stops between its second
 * and third step (and says so) until it is killed.
 */
const clientScript = `
import { appendFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import { createWorkflowClient, createWorkflows, rawBytesService } from ${JSON.stringify(`${root}/dist/src/client/index.js`)};
const env = process.env;
const workflows = createWorkflows({
  client: createWorkflowClient({ baseUrl: env.COORDINATOR }),
  resumeTarget: "127.0.0.1:" + env.RESUME_PORT + "/test.v1.Resume/Resume",
  options: { timeoutToFailMs: 1000, retry: { initialIntervalMs: 200, maxIntervalMs: 1000 } },
});
workflows.register("crash-me", async (ctx, input) => {
  const one = await ctx.step("one", () => (appendFileSync(env.LOG, "one\\n"), Math.random()));
  const paid = new TextDecoder().decode(await ctx.callBranch(env.BANK, new TextEncoder().encode(input.account)));
  if (env.PAUSE === "1") {
    console.log("between steps " + one);
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  }
  const three = await ctx.step("three", () => (appendFileSync(env.LOG, "three\\n"), "done"));
  return { one, paid, three, pid: ctx.resumed ? "resumed" : "first" };
});
const server = new grpc.Server();
server.addService(rawBytesService("test.v1.Resume", ["Resume"]), { Resume: workflows.grpcResumeHandler() });
await new Promise((resolve, reject) => server.bindAsync("127.0.0.1:" + env.RESUME_PORT, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
console.log("serving");
if (env.RUN === "1") console.log("finished " + JSON.stringify(await workflows.run("crash-me", env.GID, { account: "alice" })));
`;

interface ClientProcess {
  readonly proc: ChildProcess;
  /** Resolves with the first stdout line that starts with `prefix`. */
  line(prefix: string, timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
}

function startClient(env: Record<string, string>): ClientProcess {
  const proc = spawn(process.execPath, ["--input-type=module", "-e", clientScript], { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: proc.stdout! }).on("line", (l) => {
    lines.push(l);
    for (const w of waiters) w();
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  return {
    proc,
    line: (prefix, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find((l) => l.startsWith(prefix));
          if (found === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`client printed no "${prefix}" in ${timeoutMs} ms; stdout: ${lines.join(" | ")}; stderr: ${stderr}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await exited;
    },
  };
}

describe("a workflow client killed between two steps", () => {
  let bank: FakeBank;
  let db: TestDatabase;
  let concord: ConcordProcess;
  let dir: string;
  const clients: ClientProcess[] = [];

  beforeAll(async () => {
    bank = await startFakeBank();
    db = await createTestDatabase();
    concord = await startConcordProcess(["--database-url", db.url, "--lease-ms", "1000", "--poll-interval-ms", "100"]);
    dir = mkdtempSync(join(tmpdir(), "concord-workflow-"));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.kill()));
    await concord?.stop("SIGKILL");
    await db?.drop();
    await bank?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("is resumed by Concord through a new client process: no step runs twice and recorded results replay", async () => {
    const env = {
      COORDINATOR: `http://127.0.0.1:${concord.grpcPort}`,
      RESUME_PORT: String(await freePort()),
      BANK: bank.target("TransOut"),
      LOG: join(dir, "steps.log"),
      GID: "wf-killed",
    };
    const first = startClient({ ...env, RUN: "1", PAUSE: "1" });
    clients.push(first);
    const recordedOne = Number((await first.line("between steps ")).slice("between steps ".length));
    await first.kill();
    expect((await concord.client.getTransaction({ gid: "wf-killed" })).transaction!.status).toBe(TransactionStatus.PREPARED);

    // The new process only serves the resume target; Concord calls it once the workflow has made
    // no progress for its timeoutToFail (1 s).
    const second = startClient(env);
    clients.push(second);
    await second.line("serving");
    const tx = await waitFinal(concord.client, "wf-killed");
    expect(tx.status).toBe(TransactionStatus.SUCCEEDED);
    expect(JSON.parse(new TextDecoder().decode(tx.result))).toEqual({ one: recordedOne, paid: "alice", three: "done", pid: "resumed" });
    expect(readFileSync(env.LOG, "utf8")).toBe("one\nthree\n");
    expect(bank.calls("TransOut").filter((c) => c.gid === "wf-killed").map((c) => `${c.branchId}:${c.op}:${c.transType}`)).toEqual(["02:action:workflow"]);
  });
});
