/**
 * Workflows through the SDK against a real coordinator, over real gRPC, on each store dialect:
 * local and remote steps recorded and replayed, a rollback in the middle, an ONGOING step resumed
 * by Concord through the gRPC and the HTTP resume handlers, TCC branches, and two registries in
 * one process.
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  BranchOp,
  BranchStatus,
  branchOngoing,
  bytesCodec,
  createWorkflowClient,
  createWorkflows,
  rawBytesService,
  TransactionStatus,
  WorkflowFailedError,
  WorkflowStepFailedError,
  WorkflowUnfinishedError,
} from "../src/client/index.js";
import type { CoordinatorClient, Transaction, WorkflowClient, WorkflowContext, Workflows } from "../src/client/index.js";
import { dialects } from "./support/databases.js";
import { startFakeBank } from "./support/fake-bank.js";
import { startFakeHttpBank } from "./support/fake-http-bank.js";
import type { FakeBank } from "./support/fake-bank.js";
import { startTestCoordinator } from "./support/coordinator.js";
import type { TestCoordinator } from "./support/coordinator.js";

const resumeService = "concord.test.WorkflowResume";
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

interface Transfer {
  readonly from: string;
  readonly to: string;
  readonly amount: number;
}

/** Resolve with the transaction once it is SUCCEEDED or FAILED (the client finishes a workflow, so poll); reject after `timeoutMs`. */
async function finalTransaction(client: CoordinatorClient, gid: string, timeoutMs = 20_000): Promise<Transaction> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const tx = (await client.getTransaction({ gid })).transaction!;
    if (tx.status === TransactionStatus.SUCCEEDED || tx.status === TransactionStatus.FAILED) return tx;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`workflow ${gid} not finished after ${timeoutMs} ms`);
}

/** A grpc-js server on loopback serving a registry's resume handler; the target is known before the registry exists. */
async function startResumeServer(): Promise<{ target: string; serve(workflows: Workflows): void; stop(): void }> {
  const server = new grpc.Server();
  let handler: grpc.handleUnaryCall<Buffer, Buffer> | undefined;
  server.addService(rawBytesService(resumeService, ["Resume"]), {
    Resume: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) =>
      handler ? handler(call, callback) : callback({ code: grpc.status.UNAVAILABLE, details: "not serving yet" }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return {
    target: `127.0.0.1:${port}/${resumeService}/Resume`,
    serve: (workflows) => (handler = workflows.grpcResumeHandler()),
    stop: () => server.forceShutdown(),
  };
}

describe.each(dialects)("workflows through the SDK on %s", (dialect) => {
  let bank: FakeBank;
  let c: TestCoordinator;
  let client: WorkflowClient;
  let resume: Awaited<ReturnType<typeof startResumeServer>>;
  let workflows: Workflows;

  beforeAll(async () => {
    bank = await startFakeBank();
    c = await startTestCoordinator(dialect);
    client = createWorkflowClient({ baseUrl: `http://127.0.0.1:${c.grpcPort}` });
    resume = await startResumeServer();
    workflows = createWorkflows({ client, resumeTarget: resume.target, options: { timeoutToFailMs: 300, retry: { initialIntervalMs: 100 } } });
    resume.serve(workflows);
  });
  afterAll(async () => {
    resume?.stop();
    workflows?.close();
    await c?.stop();
    await bank?.stop();
  });
  beforeEach(() => bank.reset());

  const tx = async (gid: string): Promise<Transaction> => (await c.client.getTransaction({ gid })).transaction!;
  const callsOf = (gid: string) => bank.calls().filter((call) => call.gid === gid).map((call) => `${call.method}:${call.branchId}:${call.op}`);
  const recorded = async (gid: string) =>
    (await tx(gid)).branches.map((b) => `${b.branchId}:${BranchOp[b.op]}:${BranchStatus[b.status]}`).sort();
  const finished = (gid: string) => finalTransaction(c.client, gid);

  // Local work the tests can see: what ran, in order.
  const ledger: string[] = [];
  beforeEach(() => void ledger.splice(0));

  const transfer = () =>
    workflows.register("transfer", async (ctx, t: Transfer) => {
      const reserved = await ctx.step("reserve", () => (ledger.push(`reserve ${t.amount}`), { ticket: `r-${t.from}` }), {
        compensate: (r) => void ledger.push(`release ${r.ticket}`),
      });
      await ctx.callBranch(bank.target("TransOut"), bytes(t.from), { compensate: bank.target("TransOutCompensate") });
      await ctx.callBranch(bank.target("TransIn"), bytes(t.to), { compensate: bank.target("TransInCompensate") });
      return { ticket: reserved.ticket, moved: t.amount };
    });
  let transferWorkflow: ReturnType<typeof transfer>;
  beforeAll(() => void (transferWorkflow = transfer()));

  it("runs the steps in order, records each, and finishes SUCCEEDED with the typed result", async () => {
    const result = await transferWorkflow.run("wf-ok", { from: "alice", to: "bob", amount: 30 });
    expect(result).toEqual({ ticket: "r-alice", moved: 30 });
    expect(ledger).toEqual(["reserve 30"]);
    expect(callsOf("wf-ok")).toEqual(["TransOut:02:action", "TransIn:03:action"]);
    expect(bank.calls("TransOut").find((x) => x.gid === "wf-ok")!.transType).toBe("workflow");
    const t = await tx("wf-ok");
    expect(t.status).toBe(TransactionStatus.SUCCEEDED);
    expect(JSON.parse(text(t.result))).toEqual({ ticket: "r-alice", moved: 30 });
    expect(t.workflow?.name).toBe("transfer");
    expect(await recorded("wf-ok")).toEqual(["01:ACTION:SUCCEEDED", "02:ACTION:SUCCEEDED", "03:ACTION:SUCCEEDED"]);

    // Running a finished workflow again answers its recorded result and runs nothing.
    expect(await workflows.run("transfer", "wf-ok", { from: "x", to: "y", amount: 1 })).toEqual({ ticket: "r-alice", moved: 30 });
    expect(ledger).toEqual(["reserve 30"]);
    expect(callsOf("wf-ok")).toHaveLength(2);
  });

  it("a step that fails rolls back the steps done so far, newest first, and finishes FAILED with the reason", async () => {
    bank.failNext("TransIn", "failure");
    const error = await transferWorkflow.run("wf-rollback", { from: "alice", to: "bob", amount: 40 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(WorkflowStepFailedError);
    // The failed action's compensation runs too (it may have done part of its work), then the earlier ones.
    expect(callsOf("wf-rollback")).toEqual(["TransOut:02:action", "TransIn:03:action", "TransInCompensate:03:rollback", "TransOutCompensate:02:rollback"]);
    expect(ledger).toEqual(["reserve 40", "release r-alice"]);
    const t = await tx("wf-rollback");
    expect(t.status).toBe(TransactionStatus.FAILED);
    expect(t.rollbackReason).toBe("step 03 (call) failed: fake bank: TransIn failure");
    expect(await recorded("wf-rollback")).toEqual([
      "01:ACTION:SUCCEEDED",
      "01:ROLLBACK:SUCCEEDED",
      "02:ACTION:SUCCEEDED",
      "02:ROLLBACK:SUCCEEDED",
      "03:ACTION:FAILED",
      "03:ROLLBACK:SUCCEEDED",
    ]);
    // A FAILED workflow stays failed: running it again throws the recorded reason and runs nothing.
    await expect(transferWorkflow.run("wf-rollback", { from: "alice", to: "bob", amount: 40 })).rejects.toThrow("step 03 (call) failed: fake bank: TransIn failure");
    expect(callsOf("wf-rollback")).toHaveLength(4);
  });

  it("an ONGOING step leaves the workflow unfinished with nothing recorded for it; Concord resumes it through the gRPC handler and recorded steps replay", async () => {
    const seen: string[] = [];
    const flaky = workflows.register("flaky", async (ctx, n: number) => {
      const at = await ctx.now();
      const dice = await ctx.random();
      const first = await ctx.step("first", () => (ledger.push("first"), n * 2));
      let caught = "";
      try {
        await ctx.step("refused", () => {
          ledger.push("refused");
          throw new Error("no stock");
        });
      } catch (e) {
        caught = (e as WorkflowStepFailedError).message;
      }
      const out = text(await ctx.callBranch(bank.target("TransOut"), bytes("paid"), { compensate: bank.target("TransOutCompensate") }));
      seen.push(`${at.getTime()} ${dice} ${caught}`);
      return `${first} ${out}`;
    });
    bank.failNext("TransOut", "ongoing");
    const error = await flaky.run("wf-ongoing", 21).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowUnfinishedError);
    expect(String(error)).toContain("step 05 (call) action at 127.0.0.1:");
    expect(String(error)).toContain("ongoing: fake bank: TransOut ongoing");
    expect((await tx("wf-ongoing")).status).toBe(TransactionStatus.PREPARED);
    expect(await recorded("wf-ongoing")).toEqual(["01:ACTION:SUCCEEDED", "02:ACTION:SUCCEEDED", "03:ACTION:SUCCEEDED", "04:ACTION:FAILED"]);

    // timeoutToFail (300 ms) later Concord calls the resume target, which runs the function again.
    const t = await finished("wf-ongoing");
    expect(t.status).toBe(TransactionStatus.SUCCEEDED);
    expect(JSON.parse(text(t.result))).toBe("42 paid");
    expect(ledger).toEqual(["first", "refused"]);
    expect(callsOf("wf-ongoing")).toEqual(["TransOut:05:action", "TransOut:05:action"]);
    // Time, randomness and the caught failure were the same on the replay.
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^\d+ 0\.\d+ step 04 \(refused\) failed: no stock$/);
  });

  it("a TCC branch's try is recorded; confirms on success and cancels on rollback are called and recorded, newest first", async () => {
    const payment = workflows.register("payment", async (ctx, fail: boolean) => {
      await ctx.tcc(bytes("out"), bank.target("Try"), bank.target("Confirm"), bank.target("Cancel"));
      await ctx.tcc(bytes("in"), bank.target("Try"), bank.target("Confirm"), bank.target("Cancel"));
      if (fail) throw new Error("changed my mind");
      return "paid";
    });
    expect(await payment.run("wf-tcc-ok", false)).toBe("paid");
    expect(callsOf("wf-tcc-ok")).toEqual(["Try:01:try", "Try:02:try", "Confirm:02:confirm", "Confirm:01:confirm"]);
    expect(await recorded("wf-tcc-ok")).toEqual(["01:ACTION:SUCCEEDED", "01:CONFIRM:SUCCEEDED", "02:ACTION:SUCCEEDED", "02:CONFIRM:SUCCEEDED"]);

    await expect(payment.run("wf-tcc-cancel", true)).rejects.toThrow(WorkflowFailedError);
    expect(callsOf("wf-tcc-cancel")).toEqual(["Try:01:try", "Try:02:try", "Cancel:02:cancel", "Cancel:01:cancel"]);
    const t = await tx("wf-tcc-cancel");
    expect([t.status, t.rollbackReason]).toEqual([TransactionStatus.FAILED, "changed my mind"]);
    expect(await recorded("wf-tcc-cancel")).toEqual(["01:ACTION:SUCCEEDED", "01:CANCEL:SUCCEEDED", "02:ACTION:SUCCEEDED", "02:CANCEL:SUCCEEDED"]);
  });

  it("a compensation that does not succeed leaves the workflow unfinished; the resumed run compensates the rest and finishes FAILED", async () => {
    bank.failNext("TransOut", "failure");
    bank.failNext("TransOutCompensate", "unavailable");
    const error = await transferWorkflow.run("wf-stuck-rollback", { from: "carol", to: "dave", amount: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowUnfinishedError);
    expect((await tx("wf-stuck-rollback")).status).toBe(TransactionStatus.PREPARED);
    const t = await finished("wf-stuck-rollback");
    expect([t.status, t.rollbackReason]).toEqual([TransactionStatus.FAILED, "step 02 (call) failed: fake bank: TransOut failure"]);
    expect(callsOf("wf-stuck-rollback")).toEqual(["TransOut:02:action", "TransOutCompensate:02:rollback", "TransOutCompensate:02:rollback"]);
    expect(ledger).toEqual(["reserve 5", "release r-carol"]);
  });

  it("raw-bytes steps record the bytes as they are", async () => {
    const echo = workflows.register(
      "echo",
      async (ctx, input: Uint8Array) => ctx.step("copy", () => Uint8Array.from(input), { codec: bytesCodec }),
      { input: bytesCodec, result: bytesCodec },
    );
    expect(text(await echo.run("wf-bytes", bytes("\u00e9t\u00e9")))).toBe("\u00e9t\u00e9");
    const t = await tx("wf-bytes");
    expect(text(t.result)).toBe("\u00e9t\u00e9");
    expect(text(t.workflow!.input)).toBe("\u00e9t\u00e9");
  });
});

describe("workflows on postgres: registries, resume calls, HTTP branches", () => {
  let bank: FakeBank;
  let c: TestCoordinator;
  let httpServer: HttpServer;
  let grpcResume: Awaited<ReturnType<typeof startResumeServer>>;

  beforeAll(async () => {
    bank = await startFakeBank();
    c = await startTestCoordinator("postgres");
    grpcResume = await startResumeServer();
  });
  afterAll(async () => {
    grpcResume?.stop();
    httpServer?.closeAllConnections();
    await new Promise((resolve) => (httpServer ? httpServer.close(resolve) : resolve(undefined)));
    await c?.stop();
    await bank?.stop();
  });

  it("two registries with the same workflow name keep their own functions and resume targets (one over HTTP); closing one leaves the other working", async () => {
    const client = createWorkflowClient({ baseUrl: `http://127.0.0.1:${c.grpcPort}` });
    const serving: { handler?: (req: IncomingMessage, res: ServerResponse) => void } = {};
    httpServer = createServer((req, res) => serving.handler!(req, res));
    await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
    const httpTarget = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/resume`;

    const options = { timeoutToFailMs: 300, retry: { initialIntervalMs: 100 } };
    const a = createWorkflows({ client, resumeTarget: grpcResume.target, options });
    const b = createWorkflows({ client, resumeTarget: httpTarget, options });
    grpcResume.serve(a);
    serving.handler = b.httpResumeHandler();
    const ran: string[] = [];
    const body = (who: string) => async (ctx: WorkflowContext, n: number) => {
      await ctx.step("mark", () => void ran.push(`${who} ${n}`));
      await ctx.callBranch(bank.target("TransIn"), bytes(who));
      return `${who}:${n}`;
    };
    const fromA = a.register("job", body("a"));
    const fromB = b.register("job", body("b"));
    try {
      expect(await fromA.run("wf-a", 1)).toBe("a:1");
      expect(await fromB.run("wf-b", 2)).toBe("b:2");
      // A workflow of b left ONGOING is resumed over HTTP by b, while a is closed.
      a.close();
      bank.failNext("TransIn", "ongoing");
      await expect(fromB.run("wf-b2", 3)).rejects.toThrow(WorkflowUnfinishedError);
      const t = await finalTransaction(c.client, "wf-b2");
      expect([t.status, JSON.parse(text(t.result))]).toEqual([TransactionStatus.SUCCEEDED, "b:3"]);
      expect(t.workflow?.resumeTarget).toBe(httpTarget);
      expect(ran).toEqual(["a 1", "b 2", "b 3"]);
      // a still runs after close: its channels open again on use.
      expect(await fromA.run("wf-a2", 4)).toBe("a:4");
    } finally {
      a.close();
      b.close();
    }
  });

  it("a resume call for a gid this registry is running answers ongoing instead of running it twice; an unknown name or another trans type is refused", async () => {
    const client = createWorkflowClient({ baseUrl: `http://127.0.0.1:${c.grpcPort}` });
    const w = createWorkflows({ client, resumeTarget: grpcResume.target });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const slow = w.register("slow", async (ctx) => ctx.step("wait", async () => ((runs += 1), await gate, runs)));
    const info = { gid: "wf-slow", transType: "workflow", branchId: "00", op: "slow", dtm: "" };
    try {
      const first = slow.run("wf-slow", null);
      await expect.poll(async () => (await c.client.getTransaction({ gid: "wf-slow" }).catch(() => undefined))?.transaction?.status).toBe(TransactionStatus.PREPARED);
      expect(await w.resume(info, bytes("null"))).toBe("ongoing");
      release();
      expect(await first).toBe(1);
      // Once finished, a late resume call is answered at once, running nothing.
      expect(await w.resume(info, bytes("null"))).toBe("finished");
      expect(runs).toBe(1);
      await expect(w.resume({ ...info, op: "nope" }, bytes("null"))).rejects.toThrow(/no workflow registered as "nope"/);
      await expect(w.resume({ ...info, transType: "saga" }, bytes("null"))).rejects.toThrow(/not a workflow resume call/);
    } finally {
      w.close();
    }
  });

  it("HTTP branches: a 425 leaves the step unrecorded until the resumed run calls it again; a 409 rolls back with op rollback in the query", async () => {
    const httpBank = await startFakeHttpBank();
    const client = createWorkflowClient({ baseUrl: `http://127.0.0.1:${c.grpcPort}` });
    const w = createWorkflows({ client, resumeTarget: grpcResume.target, options: { timeoutToFailMs: 300, retry: { initialIntervalMs: 100 } } });
    grpcResume.serve(w);
    const pay = w.register("pay", async (ctx, amount: number) => {
      await ctx.callBranch(httpBank.target("TransOut"), bytes(JSON.stringify({ amount })), { compensate: httpBank.target("TransOutCompensate") });
      await ctx.callBranch(httpBank.target("TransIn"), bytes(JSON.stringify({ amount })), { compensate: httpBank.target("TransInCompensate") });
      return amount;
    });
    const callsOf = (gid: string) => httpBank.calls().filter((x) => x.gid === gid).map((x) => `${x.name}:${x.branchId}:${x.op}:${x.transType}`);
    try {
      httpBank.failNext("TransIn", "too-early");
      await expect(pay.run("wf-http-425", 7)).rejects.toThrow(WorkflowUnfinishedError);
      const t = await finalTransaction(c.client, "wf-http-425");
      expect([t.status, JSON.parse(text(t.result))]).toEqual([TransactionStatus.SUCCEEDED, 7]);
      expect(callsOf("wf-http-425")).toEqual(["TransOut:01:action:workflow", "TransIn:02:action:workflow", "TransIn:02:action:workflow"]);

      httpBank.failNext("TransIn", "conflict");
      await expect(pay.run("wf-http-409", 8)).rejects.toThrow("step 02 (call) failed: ");
      expect(callsOf("wf-http-409")).toEqual([
        "TransOut:01:action:workflow",
        "TransIn:02:action:workflow",
        "TransInCompensate:02:rollback:workflow",
        "TransOutCompensate:01:rollback:workflow",
      ]);
      expect((await c.client.getTransaction({ gid: "wf-http-409" })).transaction!.status).toBe(TransactionStatus.FAILED);
    } finally {
      w.close();
      await httpBank.stop();
    }
  });

  it("a local step that throws branchOngoing() records nothing and the workflow goes on when resumed", async () => {
    const client = createWorkflowClient({ baseUrl: `http://127.0.0.1:${c.grpcPort}` });
    const w = createWorkflows({ client, resumeTarget: grpcResume.target, options: { timeoutToFailMs: 300, retry: { initialIntervalMs: 100 } } });
    grpcResume.serve(w);
    let calls = 0;
    const poll = w.register("poll", async (ctx) =>
      ctx.step("wait for it", () => {
        calls += 1;
        if (calls === 1) throw branchOngoing("not yet");
        return calls;
      }),
    );
    try {
      await expect(poll.run("wf-poll", null)).rejects.toThrow(/step 01 \(wait for it\) is ongoing: \[failed_precondition\] not yet/);
      const t = await finalTransaction(c.client, "wf-poll");
      expect([t.status, JSON.parse(text(t.result))]).toEqual([TransactionStatus.SUCCEEDED, 2]);
    } finally {
      w.close();
    }
  });
});
