/**
 * The TypeScript SDK, exported as `concord/client`: a client factory, saga and msg builders,
 * a typed error for a waited transaction that FAILED, and branch-side helpers that read the
 * `dtm-*` metadata and answer FAILURE / ONGOING with the right gRPC status.
 */
import { createClient, Code, ConnectError } from "@connectrpc/connect";
import type { Client, Transport } from "@connectrpc/connect";
import { createGrpcTransport, createConnectTransport } from "@connectrpc/connect-node";
import { create } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { CoordinatorService } from "../../gen/ts/concord/v1/coordinator_service_pb.js";
import type { SubmitRequestSchema } from "../../gen/ts/concord/v1/coordinator_service_pb.js";
import {
  Mode,
  TransactionStatus,
  TransOptionsSchema,
  MsgStepSchema,
  SagaStepSchema,
} from "../../gen/ts/concord/v1/transaction_pb.js";
import type { Transaction, TransOptions } from "../../gen/ts/concord/v1/transaction_pb.js";

export { CoordinatorService } from "../../gen/ts/concord/v1/coordinator_service_pb.js";
export * from "../../gen/ts/concord/v1/transaction_pb.js";
export type * from "../../gen/ts/concord/v1/coordinator_service_pb.js";

export type CoordinatorClient = Client<typeof CoordinatorService>;

export interface ConcordClientOptions {
  /** Coordinator URL: `http://localhost:36790` (gRPC port) or `http://localhost:36789` with `protocol: "connect"`. */
  readonly baseUrl: string;
  /** `grpc` (HTTP/2, default) or `connect` (Connect protocol, works over HTTP/1.1). */
  readonly protocol?: "grpc" | "connect";
  /** Use this transport instead (interceptors, TLS, …). */
  readonly transport?: Transport;
}

/** A generated Connect client of concord.v1.CoordinatorService. */
export function createConcordClient(options: ConcordClientOptions): CoordinatorClient {
  const transport =
    options.transport ??
    (options.protocol === "connect"
      ? createConnectTransport({ baseUrl: options.baseUrl, httpVersion: "1.1" })
      : createGrpcTransport({ baseUrl: options.baseUrl }));
  const client = createClient(CoordinatorService, transport);
  addresses.set(client, new URL(options.baseUrl).host);
  return client;
}

const addresses = new WeakMap<CoordinatorClient, string>();

/** The coordinator's `host:port` a client talks to: sent to branches as `dtm-dtm`. */
export function coordinatorAddress(client: CoordinatorClient): string {
  return addresses.get(client) ?? "";
}

/** Thrown by `submit({ waitResult: true })` when the transaction ended FAILED. */
export class TransactionFailedError extends Error {
  override readonly name = "TransactionFailedError";
  constructor(readonly transaction: Transaction) {
    super(`transaction ${transaction.gid} failed: ${transaction.rollbackReason || "no reason recorded"}`);
  }
}

export interface TransactionOptionsInit {
  /** Deadline of each branch call, ms. Coordinator default: 3000. */
  readonly requestTimeoutMs?: number;
  /** SAGA: roll back when not finished after this long; MSG: back-check after this long, ms. */
  readonly timeoutToFailMs?: number;
  readonly retry?: { initialIntervalMs?: number; maxIntervalMs?: number; backoffMultiplier?: number; maxAttempts?: number };
  /** gRPC metadata sent with every branch call. */
  readonly branchHeaders?: Record<string, string>;
  readonly customData?: string;
}

export interface SubmitOptions {
  /** Answer when the transaction is final; a FAILED one throws TransactionFailedError. */
  readonly waitResult?: boolean;
  /** Deadline of the Submit call itself, ms (bounds how long waitResult waits). */
  readonly timeoutMs?: number;
}

export interface StepOptions {
  /** Concurrent sagas: indexes of earlier steps that must succeed first. */
  readonly after?: number[];
  /** gRPC metadata for this step's calls. */
  readonly headers?: Record<string, string>;
  /** Deadline of this step's calls, ms. */
  readonly requestTimeoutMs?: number;
}

/** Builder options → TransOptions. Internal to the SDK. */
export function toOptions(o: TransactionOptionsInit, waitResult: boolean): TransOptions {
  return create(TransOptionsSchema, {
    waitResult,
    ...(o.requestTimeoutMs ? { requestTimeout: durationFromMs(o.requestTimeoutMs) } : {}),
    ...(o.timeoutToFailMs ? { timeoutToFail: durationFromMs(o.timeoutToFailMs) } : {}),
    ...(o.retry
      ? {
          retry: {
            ...(o.retry.initialIntervalMs ? { initialInterval: durationFromMs(o.retry.initialIntervalMs) } : {}),
            ...(o.retry.maxIntervalMs ? { maxInterval: durationFromMs(o.retry.maxIntervalMs) } : {}),
            backoffMultiplier: o.retry.backoffMultiplier ?? 0,
            maxAttempts: o.retry.maxAttempts ?? 0,
          },
        }
      : {}),
    branchHeaders: { ...o.branchHeaders },
  });
}

function checked(tx: Transaction | undefined, waitResult: boolean): Transaction {
  if (!tx) throw new ConnectError("coordinator answered without a transaction", Code.Internal);
  if (waitResult && tx.status === TransactionStatus.FAILED) throw new TransactionFailedError(tx);
  return tx;
}

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
    { gid, mode, options: toOptions(init, waitResult), spec, customData: init.customData ?? "" },
    options.timeoutMs ? { timeoutMs: options.timeoutMs } : {},
  );
  return checked(res.transaction, waitResult);
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
      headers: step.headers ?? {},
      ...(step.requestTimeoutMs ? { requestTimeout: durationFromMs(step.requestTimeoutMs) } : {}),
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

  constructor(
    private readonly client: CoordinatorClient,
    readonly gid: string,
    private readonly options: TransactionOptionsInit = {},
  ) {}

  add(action: string, payload: Uint8Array, step: Omit<StepOptions, "after"> = {}): this {
    this.#steps.push({
      action,
      payload,
      headers: step.headers ?? {},
      ...(step.requestTimeoutMs ? { requestTimeout: durationFromMs(step.requestTimeoutMs) } : {}),
    });
    return this;
  }

  concurrent(): this {
    this.#concurrent = true;
    return this;
  }

  /** Store the message PREPARED; `queryPrepared` is asked if it is not submitted in time. */
  async prepare(queryPrepared: string): Promise<void> {
    await this.client.prepare({
      gid: this.gid,
      mode: Mode.MSG,
      options: toOptions(this.options, false),
      msg: { steps: this.#steps, queryPrepared, concurrent: this.#concurrent },
      customData: this.options.customData ?? "",
    });
  }

  /** Submit: a prepared message, or (when not prepared) store and submit in one call. */
  submit(options: SubmitOptions = {}): Promise<Transaction> {
    return submitWith(this.client, this.gid, Mode.MSG, this.options, options, { case: "msg", value: { steps: this.#steps, concurrent: this.#concurrent } });
  }

  /** Drop the prepared message. */
  async abort(reason = ""): Promise<Transaction> {
    const res = await this.client.abort({ gid: this.gid, reason });
    return checked(res.transaction, false);
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

export { tcc, xa, tccFromBranch, closeBranchChannels, TccTransaction, XaTransaction } from "./two-phase.js";
export type { TwoPhaseOptions } from "./two-phase.js";
export { barrierSchemaSql, createBarrier, defaultBarrierTable, ensureBarrierTable } from "./barrier.js";
export type { Barrier, BarrierOptions, BarrierResult, BarrierSkip, BarrierTx } from "./barrier.js";
export { xaFinish, xaHandle, xaLocal, xaTransactionId } from "./xa.js";
export type { XaOptions } from "./xa.js";
export { doAndSubmit, queryPrepared, queryPreparedConnect, queryPreparedGrpc } from "./msg-local.js";
export type { DoAndSubmitOptions, MsgLocalOptions, QueryPreparedResult } from "./msg-local.js";

// ---- Branch side ---------------------------------------------------------------------------

/** What Concord tells a branch about the call, from the `dtm-*` metadata. */
export interface BranchInfo {
  readonly gid: string;
  /** `saga`, `msg`, `tcc` or `xa`. */
  readonly transType: string;
  readonly branchId: string;
  /** `action`, `compensate`, `try`, `confirm`, `cancel`, `commit`, `rollback` or `msg` (back-check). */
  readonly op: string;
  /** The coordinator's gRPC address. */
  readonly dtm: string;
}

function infoFrom(get: (key: string) => string | undefined): BranchInfo {
  const read = (k: string) => get(k) ?? "";
  const info = { gid: read("dtm-gid"), transType: read("dtm-trans_type"), branchId: read("dtm-branch_id"), op: read("dtm-op"), dtm: read("dtm-dtm") };
  if (!info.gid) throw new ConnectError("not a Concord branch call: no dtm-gid metadata", Code.InvalidArgument);
  return info;
}

/** Branch info from a grpc-js handler's `call.metadata`. */
export function branchInfoFromGrpc(metadata: grpc.Metadata): BranchInfo {
  return infoFrom((k) => {
    const v = metadata.get(k)[0];
    return v === undefined ? undefined : v.toString();
  });
}

/** Branch info from a Connect handler's `ctx.requestHeader`. */
export function branchInfoFromHeaders(headers: Headers): BranchInfo {
  return infoFrom((k) => headers.get(k) ?? undefined);
}

const identity = (bytes: Buffer) => bytes;

/**
 * grpc-js: a service of unary methods that take and return raw bytes. A branch service needs no
 * generated code to take Concord's calls: the request is the payload the step carries, as is.
 */
export function rawBytesService(service: string, methods: readonly string[]): grpc.ServiceDefinition {
  return Object.fromEntries(
    methods.map((method) => [
      method,
      {
        path: `/${service}/${method}`,
        originalName: method,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      } satisfies grpc.MethodDefinition<Buffer, Buffer>,
    ]),
  );
}

/** Connect handlers: throw this to answer FAILURE (ABORTED): a saga action rolls back. */
export function branchFailure(message = "FAILURE"): ConnectError {
  return new ConnectError(message, Code.Aborted);
}

/** Connect handlers: throw this to answer ONGOING (FAILED_PRECONDITION): ask again later. */
export function branchOngoing(message = "ONGOING"): ConnectError {
  return new ConnectError(message, Code.FailedPrecondition);
}

/** grpc-js handlers: pass this to the callback to answer FAILURE (ABORTED). */
export function grpcBranchFailure(message = "FAILURE"): Partial<grpc.StatusObject> {
  return { code: grpc.status.ABORTED, details: message };
}

/** grpc-js handlers: pass this to the callback to answer ONGOING (FAILED_PRECONDITION). */
export function grpcBranchOngoing(message = "ONGOING"): Partial<grpc.StatusObject> {
  return { code: grpc.status.FAILED_PRECONDITION, details: message };
}
