/**
 * The saga and two-phase message builders. Part of `concord/client`.
 */
import type { MessageInitShape } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import type { SubmitRequestSchema } from "../../gen/ts/concord/v1/coordinator_service_pb.js";
import { Mode } from "../../gen/ts/concord/v1/transaction_pb.js";
import type { MsgSpecSchema, MsgStepSchema, SagaStepSchema, Transaction } from "../../gen/ts/concord/v1/transaction_pb.js";
import type { CoordinatorClient } from "./coordinator.js";
import { checkedTransaction, toOptions } from "./options.js";
import type { StepOptions, SubmitOptions, TransactionOptionsInit } from "./options.js";

/** Submit a transaction; with waitResult a FAILED one throws TransactionFailedError. */
async function submitWith(
  client: CoordinatorClient,
  gid: string,
  mode: Mode,
  init: TransactionOptionsInit,
  options: SubmitOptions,
  spec: MessageInitShape<typeof SubmitRequestSchema>["spec"],
): Promise<Transaction> {
  const waitResult = options.waitResult ?? false;
  const res = await client.submit(
    { gid, mode, options: toOptions(init, waitResult), spec, customData: init.customData ?? "", ...(options.view ? { view: options.view } : {}) },
    { ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), ...(options.headers ? { headers: { ...options.headers } } : {}) },
  );
  return checkedTransaction(res.transaction, waitResult);
}

/** What a SAGA step and a MSG step both carry for their calls: headers and a deadline. */
function stepCallOptions(step: Omit<StepOptions, "after">) {
  return { headers: step.headers ?? {}, ...(step.requestTimeoutMs ? { requestTimeout: durationFromMs(step.requestTimeoutMs) } : {}) };
}

/** Builds and submits a SAGA. */
export class SagaBuilder {
  readonly #steps: MessageInitShape<typeof SagaStepSchema>[] = [];
  #concurrent = false;

  constructor(
    private readonly client: CoordinatorClient,
    readonly gid: string,
    private readonly options: TransactionOptionsInit = {},
  ) {}

  /** Add a step: `action` and `compensate` are `host:port/package.Service/Method` ("" = no-op). */
  add(action: string, compensate: string, payload: Uint8Array, step: StepOptions = {}): this {
    this.#steps.push({
      action,
      compensate,
      payload,
      after: step.after ?? [],
      ...stepCallOptions(step),
    });
    return this;
  }

  /** Run steps in parallel, each after the steps named in its `after`. */
  concurrent(): this {
    this.#concurrent = true;
    return this;
  }

  submit(options: SubmitOptions = {}): Promise<Transaction> {
    return submitWith(this.client, this.gid, Mode.SAGA, this.options, options, { case: "saga", value: { steps: this.#steps, concurrent: this.#concurrent } });
  }
}

/** Builds, prepares and submits a two-phase message. */
export class MsgBuilder {
  readonly #steps: MessageInitShape<typeof MsgStepSchema>[] = [];
  #concurrent = false;
  #delayMs = 0;

  constructor(
    private readonly client: CoordinatorClient,
    readonly gid: string,
    private readonly options: TransactionOptionsInit = {},
  ) {}

  add(action: string, payload: Uint8Array, step: Omit<StepOptions, "after"> = {}): this {
    this.#steps.push({
      action,
      payload,
      ...stepCallOptions(step),
    });
    return this;
  }

  /** Publish to a topic: one step per subscriber of `topic` (TopicService), fanned out when the message is stored. */
  publish(topic: string, payload: Uint8Array, step: Omit<StepOptions, "after"> = {}): this {
    return this.add(`topic://${topic}`, payload, step);
  }

  concurrent(): this {
    this.#concurrent = true;
    return this;
  }

  /** Call no action before `ms` after the message was created (a prepared one: from its Prepare). */
  delay(ms: number): this {
    this.#delayMs = ms;
    return this;
  }

  /** Store the message PREPARED; `queryPrepared` is asked if it is not submitted in time. */
  async prepare(queryPrepared: string): Promise<void> {
    await this.client.prepare({
      gid: this.gid,
      mode: Mode.MSG,
      options: toOptions(this.options, false),
      msg: { ...this.#body(), queryPrepared },
      customData: this.options.customData ?? "",
    });
  }

  /** Submit: a prepared message, or (when not prepared) store and submit in one call. */
  submit(options: SubmitOptions = {}): Promise<Transaction> {
    return submitWith(this.client, this.gid, Mode.MSG, this.options, options, { case: "msg", value: this.#body() });
  }

  #body(): MessageInitShape<typeof MsgSpecSchema> {
    return { steps: this.#steps, concurrent: this.#concurrent, ...(this.#delayMs > 0 ? { delay: durationFromMs(this.#delayMs) } : {}) };
  }

  /** Drop the prepared message. */
  async abort(reason = ""): Promise<Transaction> {
    const res = await this.client.abort({ gid: this.gid, reason });
    return checkedTransaction(res.transaction, false);
  }
}

/** Start building a saga; without a gid one is asked from the coordinator. */
export async function saga(client: CoordinatorClient, gid?: string, options?: TransactionOptionsInit): Promise<SagaBuilder> {
  return new SagaBuilder(client, gid ?? (await client.newGid({})).gid, options);
}

/** Start building a two-phase message; without a gid one is asked from the coordinator. */
export async function msg(client: CoordinatorClient, gid?: string, options?: TransactionOptionsInit): Promise<MsgBuilder> {
  return new MsgBuilder(client, gid ?? (await client.newGid({})).gid, options);
}
