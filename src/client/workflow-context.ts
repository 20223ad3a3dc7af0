/**
 * What a workflow function gets: steps whose outcomes are recorded with Concord before the
 * function goes on, and replayed instead of run again when the function is resumed. It keeps the
 * compensations of the steps done so far and runs them, or the second phases, at the end. Part of
 * `concord/client`.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { branchMetadata, describeOutcome, outcomeStatus } from "../protocol/index.js";
import type { BranchOutcome } from "../protocol/index.js";
import { BranchOp, BranchStatus } from "../../gen/ts/concord/v1/transaction_pb.js";
import type { WorkflowStep } from "../../gen/ts/concord/v1/workflow_service_pb.js";
import { coordinatorAddress, type WorkflowClient } from "./coordinator.js";
import { callBranchTarget, type BranchCallers } from "./two-phase.js";
import { bytesCodec, jsonCodec, textCodec, type WorkflowCodec } from "./workflow-codec.js";
import { WorkflowStepFailedError, WorkflowUnfinishedError } from "./workflow-errors.js";

/** What a local step's function learns about itself: use `gid` and `branchId` as an idempotency key. */
export interface StepInfo {
  readonly gid: string;
  readonly branchId: string;
}

export interface LocalStepOptions<T> {
  /**
   * Undo the step's work when the workflow rolls back (only for a step that succeeded). It gets
   * the step's result. It must eventually succeed: when it throws, the workflow is left
   * unfinished and the compensation is tried again when Concord resumes it.
   */
  readonly compensate?: (result: T, step: StepInfo) => unknown;
  /** How the result is recorded. Default: JSON (`jsonCodec()`); `bytesCodec` for raw bytes. */
  readonly codec?: WorkflowCodec<T>;
}

export interface BranchCallOptions {
  /** Deadline of the call, ms. Default: the registry's `branchTimeoutMs` (3000). */
  readonly timeoutMs?: number;
  /** Metadata (HTTP headers) of this call, over the workflow's `branchHeaders`. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RemoteStepOptions extends BranchCallOptions {
  /** Called with op `rollback` and the same payload when the workflow rolls back. Default: none. */
  readonly compensate?: string;
}

/** A second-phase call: a compensation, or a TCC/XA branch's confirm/cancel/commit/rollback. */
interface SecondPhase {
  readonly op: BranchOp;
  run(): Promise<void>;
}

/** A step done (or, for a remote branch, attempted) in this run, in order. */
interface DoneStep {
  readonly branchId: string;
  readonly label: string;
  readonly succeeded: boolean;
  /** Run on rollback. */
  readonly undo?: SecondPhase;
  /** TCC/XA: run on success when the first phase succeeded (else `undo` runs). */
  readonly confirm?: SecondPhase;
}

/** Internal: what the registry hands a context. */
export interface ContextSetup {
  readonly client: WorkflowClient;
  readonly callers: BranchCallers;
  readonly gid: string;
  readonly name: string;
  readonly progress: readonly WorkflowStep[];
  readonly branchHeaders: Readonly<Record<string, string>>;
  readonly branchTimeoutMs: number;
}

const key = (branchId: string, op: BranchOp) => `${branchId}/${op}`;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
/** Recorded failures and rollback reasons are bounded; a long message is cut. */
const reasonLimit = 4000;

/** A local step's way of saying "not decided yet" is the SDK's ONGOING signal, `branchOngoing()`. */
function isOngoing(error: unknown): boolean {
  return error instanceof ConnectError && error.code === outcomeStatus.ongoing;
}

/**
 * The handle a workflow function runs its steps through. Every step takes the next branch id
 * (`01`, `02`, …) in call order, so a resumed function must call its steps in the same order:
 * branch on inputs and step results only, and take time and randomness from `now()` and
 * `random()`. Steps run one at a time; await each before starting the next.
 */
export class WorkflowContext {
  readonly #setup: ContextSetup;
  readonly #recorded = new Map<string, WorkflowStep>();
  readonly #done: DoneStep[] = [];
  #seq = 0;
  #interrupted: WorkflowUnfinishedError | undefined;

  /** @internal Made by the registry for each run. */
  constructor(setup: ContextSetup) {
    this.#setup = setup;
    for (const step of setup.progress) this.#recorded.set(key(step.branchId, step.op), step);
  }

  /** The workflow's gid. */
  get gid(): string {
    return this.#setup.gid;
  }

  /** The name the function was registered under. */
  get name(): string {
    return this.#setup.name;
  }

  /** True when an earlier run recorded steps: this run replays them. */
  get resumed(): boolean {
    return this.#setup.progress.length > 0;
  }

  /**
   * Run local work once: `fn`'s result is recorded (JSON by default) before this resolves, and a
   * resumed run gets the recorded result without calling `fn`. A throw is recorded as the step's
   * failure and thrown as a WorkflowStepFailedError (likewise on a replay); uncaught, it rolls the
   * workflow back. Throwing `branchOngoing()` instead leaves the workflow unfinished with nothing
   * recorded, to be resumed later. Resolves with the decoded record, so the first run and a replay
   * see the same value.
   */
  async step<T>(name: string, fn: (step: StepInfo) => T | Promise<T>, options: LocalStepOptions<T> = {}): Promise<T> {
    const branchId = this.#begin();
    const codec = options.codec ?? jsonCodec<T>();
    const info: StepInfo = { gid: this.gid, branchId };
    let cause: unknown;
    const record =
      this.#recorded.get(key(branchId, BranchOp.ACTION)) ??
      (await this.#runLocal(fn, info, codec).then(
        (encoded) => this.#record(branchId, BranchOp.ACTION, BranchStatus.SUCCEEDED, encoded),
        (error: unknown) => {
          if (isOngoing(error)) throw this.#interrupt(`step ${branchId} (${name}) is ongoing: ${messageOf(error)}`, error);
          cause = error;
          return this.#record(branchId, BranchOp.ACTION, BranchStatus.FAILED, textCodec.encode(messageOf(error).slice(0, reasonLimit)));
        },
      ));
    if (record.status !== BranchStatus.SUCCEEDED) {
      throw new WorkflowStepFailedError(branchId, name, textCodec.decode(record.result), { cause });
    }
    const result = codec.decode(record.result);
    const compensate = options.compensate;
    this.#done.push({
      branchId,
      label: name,
      succeeded: true,
      ...(compensate ? { undo: { op: BranchOp.ROLLBACK, run: async () => void (await compensate(result, info)) } } : {}),
    });
    return result;
  }

  /**
   * Call a branch target once (gRPC or HTTP, with `dtm-trans_type` `workflow` and op `action`)
   * and record its response; a resumed run gets the recorded response without calling. A FAILURE
   * answer is recorded and thrown as a WorkflowStepFailedError. ONGOING, or no answer (unreachable,
   * past the deadline), leaves the workflow unfinished with nothing recorded: the call is made
   * again when Concord resumes it. With `compensate`, that target is called (op `rollback`) on a
   * rollback, also after a FAILURE: the action may have done part of its work.
   */
  async callBranch(target: string, payload: Uint8Array, options: RemoteStepOptions = {}): Promise<Uint8Array> {
    const branchId = this.#begin();
    const record = await this.#firstPhase(branchId, "call", target, payload, "action", options);
    const undo = options.compensate;
    this.#done.push({
      branchId,
      label: "call",
      succeeded: record.status === BranchStatus.SUCCEEDED,
      ...(undo ? { undo: this.#remotePhase(branchId, BranchOp.ROLLBACK, undo, payload, "rollback", options) } : {}),
    });
    return this.#resultOf(branchId, "call", record);
  }

  /**
   * A TCC branch: call `tryTarget` (op `try`) and record its response. When the workflow
   * succeeds, `confirmTarget` is called (op `confirm`); when it rolls back — or it succeeds after
   * catching this try's failure — `cancelTarget` (op `cancel`); each call is recorded. The same
   * payload goes to all three. Answers as `callBranch`.
   */
  async tcc(payload: Uint8Array, tryTarget: string, confirmTarget: string, cancelTarget: string, options: BranchCallOptions = {}): Promise<Uint8Array> {
    const branchId = this.#begin();
    const record = await this.#firstPhase(branchId, "tcc", tryTarget, payload, "try", options);
    this.#done.push({
      branchId,
      label: "tcc",
      succeeded: record.status === BranchStatus.SUCCEEDED,
      confirm: this.#remotePhase(branchId, BranchOp.CONFIRM, confirmTarget, payload, "confirm", options),
      undo: this.#remotePhase(branchId, BranchOp.CANCEL, cancelTarget, payload, "cancel", options),
    });
    return this.#resultOf(branchId, "tcc", record);
  }

  /**
   * An XA branch: call `target` with op `action` (the branch does its local work and prepares it,
   * e.g. with `xaHandle`), and record its response. When the workflow succeeds the same target is
   * called with op `commit`, when it rolls back with op `rollback`; each call is recorded. The
   * prepared transaction is `<gid>-<branchId>`. Answers as `callBranch`.
   */
  async xa(payload: Uint8Array, target: string, options: BranchCallOptions = {}): Promise<Uint8Array> {
    const branchId = this.#begin();
    const record = await this.#firstPhase(branchId, "xa", target, payload, "action", options);
    this.#done.push({
      branchId,
      label: "xa",
      succeeded: record.status === BranchStatus.SUCCEEDED,
      confirm: this.#remotePhase(branchId, BranchOp.COMMIT, target, payload, "commit", options),
      undo: this.#remotePhase(branchId, BranchOp.ROLLBACK, target, payload, "rollback", options),
    });
    return this.#resultOf(branchId, "xa", record);
  }

  /** The time, recorded the first time and replayed after: use it instead of `new Date()`. */
  async now(): Promise<Date> {
    return new Date(await this.step("now", () => Date.now()));
  }

  /** A number in [0, 1), recorded the first time and replayed after: use it instead of `Math.random()`. */
  async random(): Promise<number> {
    return this.step("random", () => Math.random());
  }

  /** @internal The error that left this run unfinished, if any. */
  get interrupted(): WorkflowUnfinishedError | undefined {
    return this.#interrupted;
  }

  /**
   * @internal The function returned: confirm/commit every TCC/XA branch whose first phase
   * succeeded (cancel/roll back the others), newest first, each recorded.
   */
  async secondPhase(): Promise<void> {
    for (const step of [...this.#done].reverse()) {
      if (!step.confirm) continue;
      await this.#runSecondPhase(step, step.succeeded ? step.confirm : step.undo!);
    }
  }

  /** @internal The function threw: run every compensation, newest first, each recorded. */
  async rollback(): Promise<void> {
    for (const step of [...this.#done].reverse()) {
      if (step.undo) await this.#runSecondPhase(step, step.undo);
    }
  }

  /** Take the next branch id; refuse once the run is interrupted (its outcome can no longer be recorded in order). */
  #begin(): string {
    if (this.#interrupted) throw this.#interrupted;
    this.#seq += 1;
    return String(this.#seq).padStart(2, "0");
  }

  #interrupt(why: string, cause?: unknown): WorkflowUnfinishedError {
    this.#interrupted ??= new WorkflowUnfinishedError(this.gid, why, { cause });
    return this.#interrupted;
  }

  /** Record an outcome; any failure to record (another run recorded first, no answer) interrupts the run. */
  async #record(branchId: string, op: BranchOp, status: BranchStatus, result: Uint8Array): Promise<WorkflowStep> {
    try {
      await this.#setup.client.recordStep({ gid: this.gid, branchId, op, status, result });
    } catch (error) {
      throw this.#interrupt(`recording step ${branchId} ${BranchOp[op]}: ${messageOf(error)}`, error);
    }
    const step = { branchId, op, status, result } as WorkflowStep;
    this.#recorded.set(key(branchId, op), step);
    return step;
  }

  async #runLocal<T>(fn: (step: StepInfo) => T | Promise<T>, info: StepInfo, codec: WorkflowCodec<T>): Promise<Uint8Array> {
    return codec.encode(await fn(info));
  }

  #call(target: string, payload: Uint8Array, branchId: string, op: string, options: BranchCallOptions): Promise<BranchOutcome> {
    const metadata = {
      ...this.#setup.branchHeaders,
      ...options.headers,
      ...branchMetadata({ gid: this.gid, transType: "workflow", branchId, op, dtm: coordinatorAddress(this.#setup.client) }),
    };
    return callBranchTarget(target, payload, metadata, options.timeoutMs ?? this.#setup.branchTimeoutMs, this.#setup.callers);
  }

  /** The recorded first phase of a remote step, calling the branch when there is none. */
  async #firstPhase(branchId: string, label: string, target: string, payload: Uint8Array, op: string, options: BranchCallOptions): Promise<WorkflowStep> {
    const recorded = this.#recorded.get(key(branchId, BranchOp.ACTION));
    if (recorded) return recorded;
    const outcome = await this.#call(target, payload, branchId, op, options);
    switch (outcome.kind) {
      case "success":
        return this.#record(branchId, BranchOp.ACTION, BranchStatus.SUCCEEDED, bytesCodec.encode(outcome.response));
      case "failure":
        return this.#record(branchId, BranchOp.ACTION, BranchStatus.FAILED, textCodec.encode(outcome.message.slice(0, reasonLimit)));
      default:
        throw this.#interrupt(`step ${branchId} (${label}) ${op} at ${target}: ${describeOutcome(outcome)}`);
    }
  }

  #resultOf(branchId: string, label: string, record: WorkflowStep): Uint8Array {
    if (record.status === BranchStatus.SUCCEEDED) return record.result;
    throw new WorkflowStepFailedError(branchId, label, textCodec.decode(record.result));
  }

  #remotePhase(branchId: string, op: BranchOp, target: string, payload: Uint8Array, wireOp: string, options: BranchCallOptions): SecondPhase {
    return {
      op,
      run: async () => {
        const outcome = await this.#call(target, payload, branchId, wireOp, options);
        if (outcome.kind !== "success") throw new ConnectError(`${wireOp} at ${target}: ${describeOutcome(outcome)}`, Code.Unavailable);
      },
    };
  }

  /** Run a second phase unless it is recorded; it must succeed, else the run is left unfinished to try again on resume. */
  async #runSecondPhase(step: DoneStep, phase: SecondPhase): Promise<void> {
    if (this.#interrupted) throw this.#interrupted;
    if (this.#recorded.get(key(step.branchId, phase.op))?.status === BranchStatus.SUCCEEDED) return;
    try {
      await phase.run();
    } catch (error) {
      throw this.#interrupt(`step ${step.branchId} (${step.label}) ${BranchOp[phase.op].toLowerCase()} did not succeed: ${messageOf(error)}`, error);
    }
    await this.#record(step.branchId, phase.op, BranchStatus.SUCCEEDED, new Uint8Array(0));
  }
}
