/**
 * TCC and XA from the client side: prepare the global transaction, register each branch and call
 * its first phase (try / the XA action) with the `dtm-*` metadata, then submit when the function
 * returns or abort when it throws. Part of `concord/client`.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { branchMetadata, callableTarget, createGrpcCaller, createHttpCaller, statusOfOutcome } from "../protocol/index.js";
import type { BranchInfo, BranchOutcome, GrpcCaller, HttpCaller } from "../protocol/index.js";
import { Mode, TransactionStatus } from "../../gen/ts/concord/v1/transaction_pb.js";
import { coordinatorAddress, type CoordinatorClient } from "./coordinator.js";
import { toOptions, TransactionFailedError, type TransactionOptionsInit } from "./options.js";

/**
 * One caller per scheme for every first-phase call this process makes: channels and keep-alive
 * connections are reused. No circuit breaker: that is the coordinator's concern; a client reports
 * every failure to its caller.
 */
let sharedGrpcCaller: GrpcCaller | undefined;
let sharedHttpCaller: HttpCaller | undefined;

/** Close the channels and connections first-phase calls opened (at process end, or in tests). */
export function closeBranchChannels(): void {
  sharedGrpcCaller?.close();
  sharedGrpcCaller = undefined;
  sharedHttpCaller?.close();
  sharedHttpCaller = undefined;
}

export interface TwoPhaseOptions extends TransactionOptionsInit {
  /** Deadline of each first-phase call, ms. Default 3000. */
  readonly branchTimeoutMs?: number;
  /** Wait for the second phase (confirm/commit, or cancel/rollback) to finish before returning or throwing. Default true. */
  readonly waitResult?: boolean;
}

abstract class TwoPhase {
  #seq = 0;
  constructor(
    readonly client: CoordinatorClient,
    readonly gid: string,
    protected readonly mode: "tcc" | "xa",
    /** Branch ids are `<prefix>01`, `<prefix>02`, …; nested transactions prefix their parent's id. */
    protected readonly branchPrefix: string,
    protected readonly options: TwoPhaseOptions,
  ) {}

  protected nextBranchId(): string {
    this.#seq += 1;
    return `${this.branchPrefix}${String(this.#seq).padStart(2, "0")}`;
  }

  /** Call a first-phase target; any answer but OK throws (and so aborts the transaction). */
  protected async firstPhase(target: string, payload: Uint8Array, branchId: string, op: string): Promise<Uint8Array> {
    const metadata = {
      ...this.options.branchHeaders,
      ...branchMetadata({ gid: this.gid, transType: this.mode, branchId, op, dtm: coordinatorAddress(this.client) }),
    };
    const outcome = await callBranchTarget(target, payload, metadata, this.options.branchTimeoutMs ?? 3000);
    if (outcome.kind === "success") return outcome.response;
    // A transport failure's message is a fixed text; the real error is the cause (the message becomes the abort reason, which is stored).
    const cause = outcome.kind === "unknown" && outcome.detail !== undefined ? new Error(outcome.detail) : undefined;
    throw new ConnectError(`branch ${branchId} ${op} at ${target}: ${outcome.message}`, statusOfOutcome(outcome), undefined, undefined, cause);
  }
}

/** Where branch calls go out: a caller per scheme, made on first use. Internal to the SDK. */
export interface BranchCallers {
  grpc(): GrpcCaller;
  http(): HttpCaller;
}

const sharedCallers: BranchCallers = {
  grpc: () => (sharedGrpcCaller ??= createGrpcCaller()),
  http: () => (sharedHttpCaller ??= createHttpCaller()),
};

/**
 * Call a branch target as the coordinator would, minus the circuit breaker. Internal to the SDK;
 * never throws: every failure is an outcome.
 */
export async function callBranchTarget(
  target: string,
  payload: Uint8Array,
  metadata: Record<string, string>,
  timeoutMs: number,
  callers: BranchCallers = sharedCallers,
): Promise<BranchOutcome> {
  const parsed = callableTarget(target);
  if ("kind" in parsed) return parsed;
  if (parsed.scheme !== "grpc") {
    return callers.http().call({ url: parsed.url, payload, metadata, timeoutMs, ...(parsed.scheme === "jsonrpc" ? { jsonRpcMethod: parsed.method } : {}) });
  }
  return callers.grpc().call({ address: parsed.address, method: parsed.method, payload, metadata, timeoutMs, tls: parsed.tls, roundRobin: parsed.roundRobin });
}

/** A TCC transaction in progress: register branches and call their try. */
export class TccTransaction extends TwoPhase {
  /**
   * Register the branch (confirm and cancel targets), then call its try with `payload`. Returns
   * the try's serialized response. The same payload goes to confirm and cancel.
   */
  async callBranch(payload: Uint8Array, tryTarget: string, confirmTarget: string, cancelTarget: string): Promise<Uint8Array> {
    const branchId = this.nextBranchId();
    await this.client.registerBranch({ gid: this.gid, branchId, branch: { case: "tcc", value: { confirm: confirmTarget, cancel: cancelTarget } }, payload });
    return this.firstPhase(tryTarget, payload, branchId, "try");
  }
}

/** An XA transaction in progress: register branches and call their action. */
export class XaTransaction extends TwoPhase {
  /**
   * Register the branch, then call `target` with op `action` (the branch runs its local work and
   * `PREPARE TRANSACTION`s it); Concord later calls the same target with op `commit` or `rollback`.
   */
  async callBranch(payload: Uint8Array, target: string): Promise<Uint8Array> {
    const branchId = this.nextBranchId();
    await this.client.registerBranch({ gid: this.gid, branchId, branch: { case: "xa", value: { target } }, payload });
    return this.firstPhase(target, payload, branchId, "action");
  }
}

async function run<T, X extends TwoPhase>(x: X, mode: Mode, fn: (x: X) => Promise<T>, options: TwoPhaseOptions): Promise<T> {
  await x.client.prepare({ gid: x.gid, mode, options: toOptions(options, false), customData: options.customData ?? "" });
  const waitResult = options.waitResult ?? true;
  let result: T;
  try {
    result = await fn(x);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // Best effort: if the abort is lost, the timeout aborts the transaction anyway.
    await x.client.abort({ gid: x.gid, reason: reason.slice(0, 1000), waitResult }).catch(() => undefined);
    throw error;
  }
  const res = await x.client.submit({ gid: x.gid, mode, options: toOptions(options, waitResult) });
  if (waitResult && res.transaction && res.transaction.status === TransactionStatus.FAILED) throw new TransactionFailedError(res.transaction);
  return result;
}

/**
 * Run a TCC transaction: prepares it, hands `fn` a TccTransaction to call branches with, submits
 * (Concord confirms every branch) when `fn` returns, aborts (Concord cancels every registered
 * branch) with the error's message as the reason when it throws. Returns what `fn` returned.
 */
export async function tcc<T>(client: CoordinatorClient, gid: string, fn: (t: TccTransaction) => Promise<T>, options: TwoPhaseOptions = {}): Promise<T> {
  return run(new TccTransaction(client, gid, "tcc", "", options), Mode.TCC, fn, options);
}

/** Run an XA transaction; as `tcc`, with commit/rollback as the second phase. */
export async function xa<T>(client: CoordinatorClient, gid: string, fn: (x: XaTransaction) => Promise<T>, options: TwoPhaseOptions = {}): Promise<T> {
  return run(new XaTransaction(client, gid, "xa", "", options), Mode.XA, fn, options);
}

/**
 * Nested TCC: inside a try handler, continue the caller's transaction to add sub-branches. Their
 * ids extend the handler's own (`01` → `0101`, `0102`), and they are confirmed or cancelled
 * before their parent (reverse registration order).
 */
export function tccFromBranch(client: CoordinatorClient, info: BranchInfo, options: TwoPhaseOptions = {}): TccTransaction {
  if (info.transType !== "tcc" || info.op !== "try") {
    throw new ConnectError(`nested TCC needs a tcc try call, got ${info.transType}/${info.op}`, Code.FailedPrecondition);
  }
  return new TccTransaction(client, info.gid, "tcc", info.branchId, options);
}
