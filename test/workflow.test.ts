/**
 * The coordinator side of WORKFLOW mode over real gRPC, on each store dialect: WorkflowService's
 * validation, records and finish rules, and the resume of an unfinished workflow through real
 * gRPC and HTTP resume targets that are down for a while. A resume target here plays the client:
 * it records a step and finishes the workflow, as a resumed function would.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./support/embedded-postgres.js";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as grpc from "@grpc/grpc-js";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { WorkflowService } from "../gen/ts/concord/v1/workflow_service_pb.js";
import { AdminService } from "../gen/ts/concord/v1/admin_service_pb.js";
import { BranchOp, BranchStatus, Mode, TransactionStatus } from "../gen/ts/concord/v1/transaction_pb.js";
import { rawBytesService } from "../src/protocol/index.js";
import { dialects } from "./support/databases.js";
import { testToken, writeTestTokens } from "./support/tokens.js";
import { startTestCoordinator, type TestCoordinator } from "./support/coordinator.js";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const codeOf = async (p: Promise<unknown>): Promise<[string, string]> =>
  p.then(
    () => ["OK", ""],
    (e: unknown) => (e instanceof ConnectError ? [Code[e.code], e.rawMessage] : Promise.reject(e)),
  );

describe.each(dialects)("workflow service on %s", (dialect) => {
  let c: TestCoordinator;
  let wf: Client<typeof WorkflowService>;
  let admin: Client<typeof AdminService>;

  beforeAll(async () => {
    c = await startTestCoordinator(dialect);
    const transport = createGrpcTransport({ baseUrl: `http://127.0.0.1:${c.grpcPort}` });
    wf = createClient(WorkflowService, transport);
    admin = createClient(AdminService, transport);
  });
  afterAll(async () => {
    await c?.stop();
  });

  const prepare = (gid: string, resumeTarget = "127.0.0.1:1/wf.Workflow/Execute", timeoutMs = 60_000) =>
    wf.prepareWorkflow({
      gid,
      workflow: { name: "transfer", resumeTarget, input: bytes(`input of ${gid}`) },
      options: { timeoutToFail: durationFromMs(timeoutMs), retry: { initialInterval: durationFromMs(100), maxInterval: durationFromMs(400) } },
    });
  const record = (gid: string, branchId: string, op: BranchOp, status: BranchStatus, result: string) =>
    wf.recordStep({ gid, branchId, op, status, result: bytes(result) });
  const stored = (gid: string) =>
    c.client.getTransaction({ gid }).then(
      (r) => r.transaction,
      (e: unknown) => (e instanceof ConnectError && e.code === Code.NotFound ? undefined : Promise.reject(e)),
    );

  it("refuses bad input with INVALID_ARGUMENT naming the field, storing nothing", async () => {
    const cases: [string, () => Promise<unknown>][] = [
      ["gid", () => wf.prepareWorkflow({ gid: "", workflow: { name: "n", resumeTarget: "127.0.0.1:1/a.B/C" } })],
      ["workflow", () => wf.prepareWorkflow({ gid: "wf-bad-1" })],
      ["workflow.name", () => wf.prepareWorkflow({ gid: "wf-bad-2", workflow: { name: "", resumeTarget: "127.0.0.1:1/a.B/C" } })],
      ["workflow.name", () => wf.prepareWorkflow({ gid: "wf-bad-3", workflow: { name: "new\nline", resumeTarget: "127.0.0.1:1/a.B/C" } })],
      ["workflow.resume_target", () => wf.prepareWorkflow({ gid: "wf-bad-4", workflow: { name: "n", resumeTarget: "" } })],
      ["workflow.resume_target", () => wf.prepareWorkflow({ gid: "wf-bad-5", workflow: { name: "n", resumeTarget: "not a target" } })],
      // A destination the outbound policy refuses (link-local: cloud metadata).
      ["workflow.resume_target", () => wf.prepareWorkflow({ gid: "wf-bad-6", workflow: { name: "n", resumeTarget: "http://169.254.169.254/resume" } })],
      ["workflow.input", () => wf.prepareWorkflow({ gid: "wf-bad-7", workflow: { name: "n", resumeTarget: "127.0.0.1:1/a.B/C", input: new Uint8Array(1024 * 1024 + 1) } })],
      ["options.timeout_to_fail", () => wf.prepareWorkflow({ gid: "wf-bad-8", workflow: { name: "n", resumeTarget: "127.0.0.1:1/a.B/C" }, options: { timeoutToFail: durationFromMs(0) } })],
    ];
    for (const [field, call] of cases) {
      const [code, message] = await codeOf(call());
      expect(code, field).toBe("InvalidArgument");
      expect(message.startsWith(`${field}:`), message).toBe(true);
    }
    for (let i = 1; i <= 8; i++) expect(await stored(`wf-bad-${i}`)).toBeUndefined();

    await prepare("wf-bad-steps");
    const steps: [string, () => Promise<unknown>][] = [
      ["branch_id", () => wf.recordStep({ gid: "wf-bad-steps", branchId: "1", op: BranchOp.ACTION, status: BranchStatus.SUCCEEDED })],
      ["branch_id", () => wf.recordStep({ gid: "wf-bad-steps", branchId: "0 1", op: BranchOp.ACTION, status: BranchStatus.SUCCEEDED })],
      ["op", () => wf.recordStep({ gid: "wf-bad-steps", branchId: "01", op: BranchOp.UNSPECIFIED, status: BranchStatus.SUCCEEDED })],
      ["op", () => wf.recordStep({ gid: "wf-bad-steps", branchId: "01", op: BranchOp.RESUME, status: BranchStatus.SUCCEEDED })],
      ["status", () => wf.recordStep({ gid: "wf-bad-steps", branchId: "01", op: BranchOp.ACTION, status: BranchStatus.PREPARED })],
      ["result", () => wf.recordStep({ gid: "wf-bad-steps", branchId: "01", op: BranchOp.ACTION, status: BranchStatus.SUCCEEDED, result: new Uint8Array(1024 * 1024 + 1) })],
      ["status", () => wf.finishWorkflow({ gid: "wf-bad-steps", status: TransactionStatus.SUBMITTED })],
      ["gid", () => wf.finishWorkflow({ gid: "", status: TransactionStatus.SUCCEEDED })],
    ];
    for (const [field, call] of steps) {
      const [code, message] = await codeOf(call());
      expect(code, field).toBe("InvalidArgument");
      expect(message.startsWith(`${field}:`), message).toBe(true);
    }
    const tx = await stored("wf-bad-steps");
    expect(tx?.status).toBe(TransactionStatus.PREPARED);
    expect(tx?.branches).toEqual([]);
  });

  it("prepares a workflow once and answers a second prepare with it and its steps in recorded order", async () => {
    const first = await prepare("wf-prep");
    expect(first.created).toBe(true);
    expect(first.progress).toEqual([]);
    expect(first.transaction?.mode).toBe(Mode.WORKFLOW);
    expect(first.transaction?.status).toBe(TransactionStatus.PREPARED);
    expect(first.transaction?.workflow?.name).toBe("transfer");
    expect(text(first.transaction!.workflow!.input)).toBe("input of wf-prep");
    expect(first.transaction?.options?.timeoutToFail?.seconds).toBe(60n);

    await record("wf-prep", "02", BranchOp.ACTION, BranchStatus.FAILED, "insufficient balance");
    await record("wf-prep", "01", BranchOp.ACTION, BranchStatus.SUCCEEDED, "out done");
    await record("wf-prep", "01", BranchOp.ROLLBACK, BranchStatus.SUCCEEDED, "");
    const again = await prepare("wf-prep");
    expect(again.created).toBe(false);
    expect(again.progress.map((p) => [p.branchId, BranchOp[p.op], BranchStatus[p.status], text(p.result)])).toEqual([
      ["02", "ACTION", "FAILED", "insufficient balance"],
      ["01", "ACTION", "SUCCEEDED", "out done"],
      ["01", "ROLLBACK", "SUCCEEDED", ""],
    ]);
    expect(again.progress.every((p) => p.finishTime !== undefined)).toBe(true);

    // A gid of another mode is not a workflow.
    await c.client.prepare({ gid: "wf-prep-tcc", mode: Mode.TCC });
    expect(await codeOf(prepare("wf-prep-tcc"))).toEqual(["FailedPrecondition", expect.stringContaining("tcc") as string]);
  });

  it("records a step once: the same record again is a no-op, another outcome ALREADY_EXISTS", async () => {
    await prepare("wf-rec");
    await record("wf-rec", "01", BranchOp.ACTION, BranchStatus.SUCCEEDED, "r1");
    await record("wf-rec", "01", BranchOp.ACTION, BranchStatus.SUCCEEDED, "r1");
    expect((await codeOf(record("wf-rec", "01", BranchOp.ACTION, BranchStatus.SUCCEEDED, "other")))[0]).toBe("AlreadyExists");
    expect((await codeOf(record("wf-rec", "01", BranchOp.ACTION, BranchStatus.FAILED, "r1")))[0]).toBe("AlreadyExists");
    const tx = await stored("wf-rec");
    expect(tx?.branches.map((b) => [b.branchId, BranchOp[b.op], BranchStatus[b.status], b.payloadSize])).toEqual([["01", "ACTION", "SUCCEEDED", 2]]);
    expect((await codeOf(record("wf-none", "01", BranchOp.ACTION, BranchStatus.SUCCEEDED, "")))[0]).toBe("NotFound");
  });

  it("finishes a workflow with its result; the same finish again is a no-op, another status and later records FAILED_PRECONDITION", async () => {
    await prepare("wf-fin");
    await record("wf-fin", "01", BranchOp.ACTION, BranchStatus.SUCCEEDED, "ok");
    const done = await wf.finishWorkflow({ gid: "wf-fin", status: TransactionStatus.SUCCEEDED, result: bytes("the result") });
    expect(done.transaction?.status).toBe(TransactionStatus.SUCCEEDED);
    expect(text(done.transaction!.result)).toBe("the result");
    expect(done.transaction?.finishTime).toBeDefined();
    expect(done.transaction?.nextAttemptTime).toBeUndefined();
    const repeat = await wf.finishWorkflow({ gid: "wf-fin", status: TransactionStatus.SUCCEEDED, result: bytes("the result") });
    expect(repeat.transaction?.finishTime).toEqual(done.transaction?.finishTime);
    expect((await codeOf(wf.finishWorkflow({ gid: "wf-fin", status: TransactionStatus.FAILED, rollbackReason: "late" })))[0]).toBe("FailedPrecondition");
    expect((await codeOf(record("wf-fin", "02", BranchOp.ACTION, BranchStatus.SUCCEEDED, "late")))[0]).toBe("FailedPrecondition");
    // A finished workflow prepared again answers as it is (a resumed client returns its result).
    const read = await prepare("wf-fin");
    expect(read.transaction?.status).toBe(TransactionStatus.SUCCEEDED);
    expect(text(read.transaction!.result)).toBe("the result");

    await prepare("wf-fin-failed");
    const failed = await wf.finishWorkflow({ gid: "wf-fin-failed", status: TransactionStatus.FAILED, rollbackReason: "insufficient balance" });
    expect(failed.transaction?.status).toBe(TransactionStatus.FAILED);
    expect(failed.transaction?.rollbackReason).toBe("insufficient balance");
  });

  it("a step racing the finish is either recorded before it or refused: none is stored after", async () => {
    await prepare("wf-race");
    const steps = Array.from({ length: 20 }, (_, i) => String(i + 1).padStart(2, "0"));
    const recorded = steps.map((id) => codeOf(record("wf-race", id, BranchOp.ACTION, BranchStatus.SUCCEEDED, id)));
    const finished = wf.finishWorkflow({ gid: "wf-race", status: TransactionStatus.SUCCEEDED });
    const answers = await Promise.all(recorded);
    expect((await finished).transaction?.status).toBe(TransactionStatus.SUCCEEDED);
    expect(answers.every(([code]) => code === "OK" || code === "FailedPrecondition"), JSON.stringify(answers)).toBe(true);
    const accepted = steps.filter((_, i) => answers[i]![0] === "OK");
    const tx = await stored("wf-race");
    expect(tx?.branches.map((b) => b.branchId).sort()).toEqual(accepted);
  });

  it("refuses Abort and Submit of a workflow through CoordinatorService: only its client ends it", async () => {
    await prepare("wf-abort");
    const [abortCode, abortMessage] = await codeOf(c.client.abort({ gid: "wf-abort" }));
    expect(abortCode).toBe("FailedPrecondition");
    expect(abortMessage).toContain("only its client can roll it back");
    expect((await codeOf(c.client.submit({ gid: "wf-abort", mode: Mode.WORKFLOW })))[0]).toBe("InvalidArgument");
    expect((await codeOf(c.client.prepare({ gid: "wf-abort-2", mode: Mode.WORKFLOW })))[0]).toBe("InvalidArgument");
    expect((await stored("wf-abort"))?.status).toBe(TransactionStatus.PREPARED);
    // The admin filter knows the mode.
    const listed = await admin.listTransactions({ filter: { modes: [Mode.WORKFLOW], gidPrefix: "wf-abort" } });
    expect(listed.transactions.map((t) => t.gid)).toEqual(["wf-abort"]);
  });

  it("resumes an unfinished workflow through a gRPC target that is down for a while, with backoff, until its client finishes it", async () => {
    const port = await freePort();
    const gid = "wf-resume-grpc";
    const calls: Record<string, string>[] = [];
    const payloads: string[] = [];
    const finished = c.coordinator.events.waitFor("transaction:finished", (e) => e.gid === gid, 20_000);
    const failedResumes = new Promise<void>((resolve) => {
      let n = 0;
      const off = c.coordinator.events.on("branch:called", (e) => {
        if (e.gid === gid && e.op === "resume" && e.outcome.kind !== "success" && ++n === 3) resolve(off());
      });
    });
    await prepare(gid, `127.0.0.1:${port}/wf.Workflow/Execute`, 300);
    await record(gid, "01", BranchOp.ACTION, BranchStatus.SUCCEEDED, "first step");
    await failedResumes;

    // Up now: it plays the resumed client, recording the next step and finishing the workflow.
    const server = new grpc.Server();
    server.addService(rawBytesService("wf.Workflow", ["Execute"]), {
      Execute: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        calls.push(Object.fromEntries(Object.entries(call.metadata.getMap()).map(([k, v]) => [k, String(v)])));
        payloads.push(call.request.toString());
        void (async () => {
          await record(gid, "02", BranchOp.ACTION, BranchStatus.SUCCEEDED, "second step");
          await wf.finishWorkflow({ gid, status: TransactionStatus.SUCCEEDED, result: bytes("resumed") });
        })().then(
          () => callback(null, Buffer.alloc(0)),
          (error: unknown) => callback({ code: grpc.status.INTERNAL, details: String(error) }),
        );
      },
    });
    await new Promise<void>((resolve, reject) => server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
    try {
      expect((await finished).status).toBe("succeeded");
      expect(calls.length).toBe(1);
      expect(calls[0]).toMatchObject({ "dtm-gid": gid, "dtm-trans_type": "workflow", "dtm-branch_id": "00", "dtm-op": "transfer" });
      expect(payloads).toEqual([`input of ${gid}`]);
      const tx = await stored(gid);
      expect(text(tx!.result)).toBe("resumed");
      expect(tx?.branches.map((b) => b.branchId)).toEqual(["01", "02"]);
      // The timeline shows the resume calls that left it unfinished (the one that finished it
      // ended its run with nothing left to write).
      const inspected = await admin.inspectTransaction({ gid });
      const resumes = inspected.timeline.filter((a) => a.op === BranchOp.RESUME);
      expect(resumes.length).toBeGreaterThanOrEqual(3);
      expect(resumes.every((a) => a.branchId === "00")).toBe(true);
    } finally {
      server.forceShutdown();
    }
  });

  it("resumes through an HTTP target, POSTing the input with dtm's query parameters, retried until it answers", async () => {
    const port = await freePort();
    const gid = "wf-resume-http";
    const seen: { url: string; body: string }[] = [];
    const finished = c.coordinator.events.waitFor("transaction:finished", (e) => e.gid === gid, 20_000);
    const failedResumes = new Promise<void>((resolve) => {
      let n = 0;
      const off = c.coordinator.events.on("branch:called", (e) => {
        if (e.gid === gid && e.op === "resume" && e.outcome.kind !== "success" && ++n === 2) resolve(off());
      });
    });
    await prepare(gid, `http://127.0.0.1:${port}/workflow/resume`, 300);
    await failedResumes;
    let server: HttpServer | undefined;
    server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        seen.push({ url: req.url ?? "", body: Buffer.concat(chunks).toString() });
        void wf.finishWorkflow({ gid, status: TransactionStatus.FAILED, rollbackReason: "resumed and rolled back" }).then(
          () => res.writeHead(200, { "content-type": "application/json" }).end('{"dtm_result":"SUCCESS"}'),
          () => res.writeHead(500).end(),
        );
      });
    });
    await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    try {
      expect((await finished).status).toBe("failed");
      expect(seen).toHaveLength(1);
      const url = new URL(seen[0]!.url, "http://x");
      expect(url.pathname).toBe("/workflow/resume");
      expect(Object.fromEntries(url.searchParams)).toMatchObject({ gid, trans_type: "workflow", branch_id: "00", op: "transfer" });
      expect(seen[0]!.body).toBe(`input of ${gid}`);
      expect((await stored(gid))?.rollbackReason).toBe("resumed and rolled back");
    } finally {
      await new Promise((resolve) => server?.close(resolve));
      server = undefined;
    }
  });

  it("puts the resume off while the client records progress", async () => {
    const gid = "wf-progress";
    const port = await freePort();
    await prepare(gid, `127.0.0.1:${port}/wf.Workflow/Execute`, 1000);
    const resumes: number[] = [];
    const off = c.coordinator.events.on("branch:called", (e) => {
      if (e.gid === gid && e.op === "resume") resumes.push(Date.now());
    });
    const started = Date.now();
    // A step every 200 ms for 2 s: never 1 s without progress, twice the timeout in all.
    for (let i = 1; i <= 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await record(gid, String(i).padStart(2, "0"), BranchOp.ACTION, BranchStatus.SUCCEEDED, `step ${i}`);
    }
    expect(Date.now() - started).toBeGreaterThan(1900);
    off();
    expect(resumes).toEqual([]);
    await wf.finishWorkflow({ gid, status: TransactionStatus.SUCCEEDED });
  });
});

describe("workflow service with authentication", () => {
  const dir = mkdtempSync(join(tmpdir(), "concord-wf-auth-"));
  const token = testToken;
  let c: TestCoordinator;
  const client = (name?: string): Client<typeof WorkflowService> =>
    createClient(
      WorkflowService,
      createGrpcTransport({
        baseUrl: `http://127.0.0.1:${c.grpcPort}`,
        interceptors: name === undefined ? [] : [(next) => (req) => (req.header.set("authorization", `Bearer ${token(name)}`), next(req))],
      }),
    );

  beforeAll(async () => {
    const tokensFile = writeTestTokens(dir);
    c = await startTestCoordinator("pglite", { tokensFile });
  });
  afterAll(async () => {
    await c?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("needs the submit scope, and lets only the creator (or an admin) record, finish or read back a workflow", async () => {
    const prepareAs = (name: string | undefined, gid: string) =>
      client(name).prepareWorkflow({ gid, workflow: { name: "transfer", resumeTarget: "127.0.0.1:1/wf.Workflow/Execute" } });
    const step = { gid: "wf-auth", branchId: "01", op: BranchOp.ACTION, status: BranchStatus.SUCCEEDED };
    expect((await codeOf(prepareAs(undefined, "wf-auth-none")))[0]).toBe("Unauthenticated");
    expect((await codeOf(prepareAs("auditor", "wf-auth-read")))[0]).toBe("PermissionDenied");
    expect((await prepareAs("orders", "wf-auth")).created).toBe(true);
    // Another submitter may neither read the record back, nor write to it.
    expect((await codeOf(prepareAs("other", "wf-auth")))[0]).toBe("PermissionDenied");
    expect((await codeOf(client("other").recordStep(step)))[0]).toBe("PermissionDenied");
    expect((await codeOf(client("other").finishWorkflow({ gid: "wf-auth", status: TransactionStatus.FAILED })))[0]).toBe("PermissionDenied");
    expect((await codeOf(client("auditor").recordStep(step)))[0]).toBe("PermissionDenied");
    await client("orders").recordStep(step);
    expect((await prepareAs("orders", "wf-auth")).progress.map((p) => p.branchId)).toEqual(["01"]);
    // An admin may end it (an operator finishing a workflow whose client is gone).
    const done = await client("ops").finishWorkflow({ gid: "wf-auth", status: TransactionStatus.FAILED, rollbackReason: "ended by ops" });
    expect(done.transaction?.status).toBe(TransactionStatus.FAILED);
    // The refused prepares stored nothing.
    for (const gid of ["wf-auth-none", "wf-auth-read"]) expect((await prepareAs("ops", gid)).created, gid).toBe(true);
  });
});
