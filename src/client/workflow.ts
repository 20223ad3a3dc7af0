/**
 * Workflows: a distributed transaction written as an ordinary async function. Register it by
 * name in a registry, run it with a gid and an input; its steps are recorded with Concord
 * (WorkflowService) as it goes, a throw rolls back the steps done so far, and when the process
 * dies midway Concord calls the registry's resume target, which runs the function again,
 * replaying the recorded steps. A registry holds all its state: two in one process do not meet.
 * Part of `concord/client`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import * as grpc from "@grpc/grpc-js";
import { Code, ConnectError } from "@connectrpc/connect";
import { createGrpcCaller, createHttpCaller, readBranchInfo } from "../protocol/index.js";
import type { BranchInfo, GrpcCaller, HttpCaller } from "../protocol/index.js";
import { TransactionStatus } from "../../gen/ts/concord/v1/transaction_pb.js";
import type { Transaction } from "../../gen/ts/concord/v1/transaction_pb.js";
import type { WorkflowClient } from "./coordinator.js";
import { grpcBranchOngoing } from "./branch.js";
import { branchInfoFromUrl, httpBranchOngoing, httpBranchSuccess, sendHttpBranchAnswer } from "./http-branch.js";
import { toOptions, type TransactionOptionsInit } from "./options.js";
import type { BranchCallers } from "./two-phase.js";
import { jsonCodec, type WorkflowCodec } from "./workflow-codec.js";
import { WorkflowContext } from "./workflow-context.js";
import { WorkflowFailedError, WorkflowUnfinishedError } from "./workflow-errors.js";

/** The `dtm-trans_type` of a resume call, and of the branch calls a workflow makes. */
export const workflowTransType = "workflow";

/** A workflow function: steps through `ctx`, returns the workflow's result. */
export type WorkflowFunction<I, O> = (ctx: WorkflowContext, input: I) => Promise<O>;

export interface WorkflowsOptions {
  /** The coordinator's WorkflowService: `createWorkflowClient({ baseUrl })`. */
  readonly client: WorkflowClient;
  /**
   * Where Concord calls to resume an unfinished workflow of this registry: a gRPC target
   * (`host:port/package.Service/Method`) served by `grpcResumeHandler()`, or an http(s) URL
   * served by `httpResumeHandler()`. Stored with each workflow when it starts.
   */
  readonly resumeTarget: string;
  /**
   * Default options of every workflow of the registry. `timeoutToFailMs`: how long a workflow may
   * go without progress before Concord resumes it (coordinator default 35 s); `retry`: the backoff
   * between resume calls; `requestTimeoutMs`: the deadline of a resume call; `branchHeaders`: sent
   * with every resume call and every branch call the workflow makes.
   */
  readonly options?: TransactionOptionsInit;
  /** Deadline of each branch call a step makes (`callBranch`, `tcc`, `xa`, second phases), ms. Default 3000. */
  readonly branchTimeoutMs?: number;
}

export interface RegisterOptions<I, O> {
  /** How the input is recorded (and sent to the resume target). Default: JSON. */
  readonly input?: WorkflowCodec<I>;
  /** How the result is recorded. Default: JSON. */
  readonly result?: WorkflowCodec<O>;
  /** Options of this workflow, over the registry's. */
  readonly options?: TransactionOptionsInit;
}

/** A registered workflow: run it by gid with a typed input and result. */
export interface Workflow<I, O> {
  readonly name: string;
  /**
   * Start the workflow `gid` (or go on with it, if it exists unfinished: recorded steps are
   * replayed) and run it to its end. Resolves with the result once the workflow is SUCCEEDED
   * (at once, without running anything, when it already was). Throws WorkflowFailedError when it
   * rolled back (or had), WorkflowUnfinishedError when it was left for Concord to resume, and the
   * coordinator's ConnectError when the workflow could not be started (a gid another mode or
   * workflow uses is FAILED_PRECONDITION).
   */
  run(gid: string, input: I): Promise<O>;
}

export interface Workflows {
  /** Register `fn` under `name` (1 to 128 characters, unique in this registry). */
  register<I, O>(name: string, fn: WorkflowFunction<I, O>, options?: RegisterOptions<I, O>): Workflow<I, O>;
  /** Run the workflow registered as `name`: as `register(…).run`. */
  run<O = unknown>(name: string, gid: string, input: unknown): Promise<O>;
  /** The answer to one resume call, for a handler of your own: `finished`, or `ongoing` (ask again later). */
  resume(info: BranchInfo, input: Uint8Array): Promise<"finished" | "ongoing">;
  /** A grpc-js unary handler of the resume target: `server.addService(rawBytesService(service, [method]), { [method]: handler })`. */
  grpcResumeHandler(): grpc.handleUnaryCall<Buffer, Buffer>;
  /** A node:http request handler of the resume target (POST, the input as body): `http.createServer(handler)` or inside a router. */
  httpResumeHandler(): (req: IncomingMessage, res: ServerResponse) => void;
  /** Close the channels and connections its branch calls opened. Idempotent. */
  close(): void;
}

interface Registered {
  readonly fn: WorkflowFunction<unknown, unknown>;
  readonly input: WorkflowCodec<unknown>;
  readonly result: WorkflowCodec<unknown>;
  readonly options: TransactionOptionsInit;
}

/** What a run ended with, shared by everyone waiting on the same gid. */
type Ending = { readonly kind: "succeeded"; readonly result: unknown } | { readonly kind: "thrown"; readonly error: unknown };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
/** The rollback reason is bounded; a long message is cut. */
const reasonLimit = 1000;
/** A resume call's body is the input, bounded like any recorded value. */
const maxInputBytes = 1 << 20;

/**
 * A registry of workflow functions with the client it records them with and the target Concord
 * resumes them through.
 */
export function createWorkflows(options: WorkflowsOptions): Workflows {
  const registered = new Map<string, Registered>();
  /** Runs in progress in this registry, by gid: a second run of the same gid joins the first. */
  const running = new Map<string, Promise<Ending>>();
  let grpcCaller: GrpcCaller | undefined;
  let httpCaller: HttpCaller | undefined;
  const callers: BranchCallers = {
    grpc: () => (grpcCaller ??= createGrpcCaller()),
    http: () => (httpCaller ??= createHttpCaller()),
  };

  function lookup(name: string): Registered {
    const entry = registered.get(name);
    if (!entry) throw new ConnectError(`no workflow registered as ${JSON.stringify(name)}`, Code.NotFound);
    return entry;
  }

  async function runOnce(name: string, entry: Registered, gid: string, input: Uint8Array): Promise<unknown> {
    const o = { ...options.options, ...entry.options, branchHeaders: { ...options.options?.branchHeaders, ...entry.options.branchHeaders } };
    const prepared = await options.client.prepareWorkflow({
      gid,
      workflow: { name, resumeTarget: options.resumeTarget, input },
      options: toOptions(o, false),
      customData: o.customData ?? "",
    });
    const tx = prepared.transaction;
    if (!tx) throw new ConnectError("coordinator answered without a transaction", Code.Internal);
    if (tx.workflow && tx.workflow.name !== name) {
      throw new ConnectError(`workflow ${gid} is ${JSON.stringify(tx.workflow.name)}, not ${JSON.stringify(name)}`, Code.FailedPrecondition);
    }
    const finished = endingOf(tx, entry);
    if (finished) return finished.value;
    const ctx = new WorkflowContext({
      client: options.client,
      callers,
      gid,
      name,
      progress: prepared.progress,
      branchHeaders: o.branchHeaders,
      branchTimeoutMs: options.branchTimeoutMs ?? 3000,
    });
    // The input as stored: a resumed run sees what the first one did.
    const recordedInput = entry.input.decode(tx.workflow?.input ?? input);
    let result: unknown;
    try {
      result = await entry.fn(ctx, recordedInput);
    } catch (error) {
      if (ctx.interrupted) throw ctx.interrupted;
      const reason = messageOf(error).slice(0, reasonLimit);
      await ctx.rollback();
      const done = await finish(ctx, { gid, status: TransactionStatus.FAILED, rollbackReason: reason });
      throw new WorkflowFailedError(gid, done?.rollbackReason || reason, done, { cause: error });
    }
    // The function may have caught a step's interruption; its record is incomplete all the same.
    if (ctx.interrupted) throw ctx.interrupted;
    const encoded = entry.result.encode(result);
    await ctx.secondPhase();
    await finish(ctx, { gid, status: TransactionStatus.SUCCEEDED, result: encoded });
    return entry.result.decode(encoded);
  }

  async function finish(ctx: WorkflowContext, request: Parameters<WorkflowClient["finishWorkflow"]>[0]): Promise<Transaction | undefined> {
    try {
      return (await options.client.finishWorkflow(request)).transaction;
    } catch (error) {
      // Every step is recorded: a resumed run replays them all and finishes it.
      throw new WorkflowUnfinishedError(ctx.gid, `finishing: ${messageOf(error)}`, { cause: error });
    }
  }

  /** Run `gid`, or join the run of it already going on in this registry. */
  function start(name: string, gid: string, input: Uint8Array): Promise<Ending> {
    const entry = lookup(name);
    const existing = running.get(gid);
    if (existing) return existing;
    const ending = runOnce(name, entry, gid, input).then(
      (result): Ending => ({ kind: "succeeded", result }),
      (error: unknown): Ending => ({ kind: "thrown", error }),
    );
    running.set(gid, ending);
    void ending.finally(() => running.delete(gid));
    return ending;
  }

  async function run(name: string, gid: string, input: unknown): Promise<unknown> {
    const ending = await start(name, gid, lookup(name).input.encode(input));
    if (ending.kind === "thrown") throw ending.error;
    return ending.result;
  }

  async function resume(info: BranchInfo, input: Uint8Array): Promise<"finished" | "ongoing"> {
    if (info.transType !== workflowTransType) {
      throw new ConnectError(`not a workflow resume call: trans_type ${JSON.stringify(info.transType)}`, Code.InvalidArgument);
    }
    // Another call while this process runs it: ask again later rather than run it twice.
    if (running.has(info.gid)) return "ongoing";
    const ending = await start(info.op, info.gid, input);
    if (ending.kind === "succeeded" || ending.error instanceof WorkflowFailedError) return "finished";
    if (ending.error instanceof WorkflowUnfinishedError) return "ongoing";
    throw ending.error;
  }

  return {
    register<I, O>(name: string, fn: WorkflowFunction<I, O>, o: RegisterOptions<I, O> = {}): Workflow<I, O> {
      if (name.length < 1 || name.length > 128) throw new ConnectError("workflow name: 1 to 128 characters", Code.InvalidArgument);
      if (registered.has(name)) throw new ConnectError(`workflow ${JSON.stringify(name)} is already registered`, Code.AlreadyExists);
      registered.set(name, {
        fn: fn as WorkflowFunction<unknown, unknown>,
        input: (o.input ?? jsonCodec<I>()) as WorkflowCodec<unknown>,
        result: (o.result ?? jsonCodec<O>()) as WorkflowCodec<unknown>,
        options: o.options ?? {},
      });
      return { name, run: (gid, input) => run(name, gid, input) as Promise<O> };
    },
    run: (name, gid, input) => run(name, gid, input) as Promise<never>,
    resume,
    grpcResumeHandler: () => (call, callback) => {
      const info = readBranchInfo((k) => call.metadata.get(k)[0]?.toString());
      if (!info) return callback({ code: grpc.status.INVALID_ARGUMENT, details: "not a Concord resume call: no dtm-gid metadata" });
      resume(info, call.request).then(
        (answer) => (answer === "finished" ? callback(null, Buffer.alloc(0)) : callback(grpcBranchOngoing(`workflow ${info.gid} is not finished yet`))),
        (error: unknown) => callback({ code: ConnectError.from(error).code as number as grpc.status, details: messageOf(error) }),
      );
    },
    httpResumeHandler: () => (req, res) => {
      void readBody(req)
        .then((body) => resume(branchInfoFromUrl(req.url ?? ""), body))
        .then(
          (answer) => sendHttpBranchAnswer(res, answer === "finished" ? httpBranchSuccess() : httpBranchOngoing(`workflow is not finished yet`)),
          // Any other status is an unknown outcome to Concord: it calls again with backoff.
          (error: unknown) => sendHttpBranchAnswer(res, { status: 503, body: JSON.stringify({ message: messageOf(error) }) }),
        );
    },
    close() {
      grpcCaller?.close();
      grpcCaller = undefined;
      httpCaller?.close();
      httpCaller = undefined;
    },
  };
}

/** The ending of a workflow that is already final: nothing to run. */
function endingOf(tx: Transaction, entry: Registered): { value: unknown } | undefined {
  if (tx.status === TransactionStatus.SUCCEEDED) return { value: entry.result.decode(tx.result) };
  if (tx.status === TransactionStatus.FAILED) throw new WorkflowFailedError(tx.gid, tx.rollbackReason, tx);
  return undefined;
}

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxInputBytes) {
        req.destroy();
        reject(new ConnectError("resume call body over 1 MiB", Code.InvalidArgument));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
