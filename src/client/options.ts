/**
 * Transaction and submit options, and the typed error of a waited transaction that FAILED.
 * Part of `concord/client`.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { TransactionStatus, TransOptionsSchema } from "../../gen/ts/concord/v1/transaction_pb.js";
import type { Transaction, TransactionView, TransOptions } from "../../gen/ts/concord/v1/transaction_pb.js";

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
  /**
   * Headers (gRPC metadata) of the Submit call itself, e.g. a W3C `traceparent` that Concord
   * continues into every branch call when tracing is on.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * How much of the transaction the answer carries: `TransactionView.BASIC` for the outcome only
   * (gid, status, rollback reason, times; no steps, payloads or branches), which costs the
   * coordinator less. Default: the full transaction.
   */
  readonly view?: TransactionView;
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

/** The transaction a coordinator answered with; with `waitResult`, a FAILED one throws TransactionFailedError. */
export function checkedTransaction(tx: Transaction | undefined, waitResult: boolean): Transaction {
  if (!tx) throw new ConnectError("coordinator answered without a transaction", Code.Internal);
  if (waitResult && tx.status === TransactionStatus.FAILED) throw new TransactionFailedError(tx);
  return tx;
}
