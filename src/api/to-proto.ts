/**
 * Domain records → concord.v1 messages. Internal module.
 */
import { redactHeaders } from "../auth/index.js";
import { create } from "@bufbuild/protobuf";
import { durationFromMs, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { BranchRecord, TopicRecord, TransactionRecord, TransactionWithBranches } from "../model.js";
import {
  BranchOp,
  BranchSchema,
  BranchStatus,
  Mode,
  MsgSpecSchema,
  SagaSpecSchema,
  TransactionSchema,
  TransactionStatus,
  TransactionView,
  WorkflowSpecSchema,
} from "../../gen/ts/concord/v1/transaction_pb.js";
import type { Branch, Transaction } from "../../gen/ts/concord/v1/transaction_pb.js";
import { TopicSchema } from "../../gen/ts/concord/v1/topic_service_pb.js";
import type { Topic } from "../../gen/ts/concord/v1/topic_service_pb.js";

export const protoModes = { saga: Mode.SAGA, msg: Mode.MSG, tcc: Mode.TCC, xa: Mode.XA, workflow: Mode.WORKFLOW } as const;
const modes = protoModes;
export const protoStatuses = {
  prepared: TransactionStatus.PREPARED,
  submitted: TransactionStatus.SUBMITTED,
  aborting: TransactionStatus.ABORTING,
  succeeded: TransactionStatus.SUCCEEDED,
  failed: TransactionStatus.FAILED,
} as const;
const statuses = protoStatuses;
const branchStatuses = { prepared: BranchStatus.PREPARED, succeeded: BranchStatus.SUCCEEDED, failed: BranchStatus.FAILED } as const;
export const protoOps = {
  msg: BranchOp.QUERY_PREPARED,
  resume: BranchOp.RESUME,
  action: BranchOp.ACTION,
  compensate: BranchOp.COMPENSATE,
  try: BranchOp.TRY,
  confirm: BranchOp.CONFIRM,
  cancel: BranchOp.CANCEL,
  commit: BranchOp.COMMIT,
  rollback: BranchOp.ROLLBACK,
} as const;

/**
 * The outcome of a transaction only (TRANSACTION_VIEW_BASIC): what a caller waiting on Submit or
 * Abort reads, without the options, steps, payloads and branches the full view echoes.
 */
export function toProtoTransactionBasic(tx: TransactionRecord): Transaction {
  return create(TransactionSchema, { ...outcomeFields(tx), ...(tx.mode === "workflow" ? { result: tx.result } : {}) });
}

/** What both views carry: who it is, where it stands, and when. */
function outcomeFields(tx: TransactionRecord) {
  return {
    gid: tx.gid,
    mode: modes[tx.mode],
    status: statuses[tx.status],
    rollbackReason: tx.rollbackReason,
    attempts: tx.attempts,
    createTime: timestampFromDate(tx.createdAt),
    updateTime: timestampFromDate(tx.updatedAt),
    ...(tx.finishedAt ? { finishTime: timestampFromDate(tx.finishedAt) } : {}),
    ...(tx.nextAttemptAt && !tx.finishedAt ? { nextAttemptTime: timestampFromDate(tx.nextAttemptAt) } : {}),
  };
}

/** The transaction in the view asked for (UNSPECIFIED is FULL). */
export function toProtoTransactionView(tx: TransactionWithBranches, view: TransactionView): Transaction {
  return view === TransactionView.BASIC ? toProtoTransactionBasic(tx) : toProtoTransaction(tx);
}

export function toProtoTransaction(tx: TransactionWithBranches): Transaction {
  const o = tx.options;
  const payloadOf = (branchId: string) => tx.branches.find((b) => b.branchId === branchId && b.op === "action")?.payload ?? new Uint8Array(0);
  return create(TransactionSchema, {
    ...outcomeFields(tx),
    options: {
      waitResult: o.waitResult,
      timeoutToFail: durationFromMs(o.timeoutToFailMs),
      requestTimeout: durationFromMs(o.requestTimeoutMs),
      retry: {
        initialInterval: durationFromMs(o.retry.initialIntervalMs),
        maxInterval: durationFromMs(o.retry.maxIntervalMs),
        backoffMultiplier: o.retry.backoffMultiplier,
        maxAttempts: o.retry.maxAttempts,
      },
      branchHeaders: redactHeaders(o.branchHeaders),
    },
    customData: tx.customData,
    branches: tx.branches.map(toProtoBranch),
    ...(tx.mode === "saga"
      ? {
          saga: create(SagaSpecSchema, {
            concurrent: tx.spec.concurrent,
            steps: tx.spec.steps.map((s) => ({
              action: s.action,
              compensate: s.compensate,
              payload: payloadOf(s.branchId),
              after: [...s.after],
              headers: redactHeaders(s.headers),
              ...(s.requestTimeoutMs ? { requestTimeout: durationFromMs(s.requestTimeoutMs) } : {}),
            })),
          }),
        }
      : {}),
    ...(tx.mode === "msg"
      ? {
          msg: create(MsgSpecSchema, {
            concurrent: tx.spec.concurrent,
            queryPrepared: tx.spec.queryPrepared,
            ...(tx.spec.delayMs ? { delay: durationFromMs(tx.spec.delayMs) } : {}),
            steps: tx.spec.steps.map((s) => ({
              action: s.action,
              payload: payloadOf(s.branchId),
              headers: redactHeaders(s.headers),
              ...(s.requestTimeoutMs ? { requestTimeout: durationFromMs(s.requestTimeoutMs) } : {}),
            })),
          }),
        }
      : {}),
    ...(tx.mode === "workflow"
      ? {
          workflow: create(WorkflowSpecSchema, { name: tx.spec.workflow?.name ?? "", resumeTarget: tx.spec.workflow?.resumeTarget ?? "", input: tx.input }),
          result: tx.result,
        }
      : {}),
  });
}

function toProtoBranch(b: BranchRecord): Branch {
  return create(BranchSchema, {
    branchId: b.branchId,
    op: protoOps[b.op],
    target: b.target,
    status: branchStatuses[b.status],
    attempts: b.attempts,
    lastError: b.lastError,
    payloadSize: b.payload.byteLength,
    createTime: timestampFromDate(b.createdAt),
    ...(b.finishedAt ? { finishTime: timestampFromDate(b.finishedAt) } : {}),
  });
}

export function toProtoTopic(topic: TopicRecord): Topic {
  return create(TopicSchema, {
    name: topic.name,
    subscribers: topic.subscribers.map((s) => ({ target: s.target, remark: s.remark })),
    version: BigInt(topic.version),
    createTime: timestampFromDate(topic.createdAt),
    updateTime: timestampFromDate(topic.updatedAt),
  });
}
