/**
 * Concord's records as dtm's JSON (dtm-compat.md §5.1): `TransGlobalStore` with the options
 * inlined, `TransBranchStore` rows in dtm's order and words, and topics as dtm's KV rows. Any
 * transaction reads this way, whichever API created it. Internal module.
 */
import { redactHeaders } from "../auth/index.js";
import type { BranchOp, BranchRecord, TopicRecord, TransactionRecord, TransactionWithBranches } from "../model.js";
import { parseTarget, jsonRpcTargetPrefix } from "../protocol/index.js";

/** dtm's status words: Concord's, but `succeed` for `succeeded`. */
export function dtmStatus(status: string): string {
  return status === "succeeded" ? "succeed" : status;
}

type Json = Record<string, unknown>;

/** Only the fields that are set, as Go's `omitempty` writes them. */
function compact(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "" && v !== 0 && v !== null));
}

const seconds = (ms: number): number => Math.round(ms / 1000);

/** A transaction as dtm's `TransGlobalStore`. */
export function dtmTransaction(tx: TransactionRecord): Json {
  const o = tx.options;
  const headers = Object.keys(o.branchHeaders).length > 0 ? redactHeaders(o.branchHeaders) : undefined;
  // What dtm stores as `options`: its TransOptions as a JSON string.
  const options = compact({
    wait_result: o.waitResult || undefined,
    timeout_to_fail: seconds(o.timeoutToFailMs),
    request_timeout: seconds(o.requestTimeoutMs),
    retry_interval: seconds(o.retry.initialIntervalMs),
    branch_headers: headers,
    retry_limit: o.retryLimit,
  });
  return {
    ...compact({
      create_time: tx.createdAt.toISOString(),
      update_time: tx.updatedAt.toISOString(),
      gid: tx.gid,
      trans_type: tx.mode,
      status: dtmStatus(tx.status),
      query_prepared: stripJsonRpc(tx.spec.workflow?.resumeTarget ?? tx.spec.queryPrepared),
      protocol: protocolOf(tx),
      finish_time: tx.status === "succeeded" ? tx.finishedAt?.toISOString() : undefined,
      // A workflow's result, as its client gave it: base64.
      result: tx.result.byteLength > 0 ? Buffer.from(tx.result).toString("base64") : undefined,
      rollback_time: tx.status === "failed" ? tx.finishedAt?.toISOString() : undefined,
      rollback_reason: tx.rollbackReason,
      options: JSON.stringify({ ...options, concurrent: tx.spec.concurrent }),
      custom_data: tx.customData,
      next_cron_interval: tx.finishedAt ? undefined : seconds(o.retry.initialIntervalMs),
      next_cron_time: tx.finishedAt ? undefined : tx.nextAttemptAt?.toISOString(),
      // dtm gives each claim a fresh owner; an observer tells from it that a run started. Concord's
      // attempts count the runs, so this changes with every one.
      owner: `pass-${tx.attempts}`,
      ...options,
    }),
    concurrent: tx.spec.concurrent,
    // Concord's own fields, which dtm's clients ignore.
    lease_owner: tx.leaseOwner ?? "",
    attempts: tx.attempts,
  };
}

/** dtm's op order within one branch: the undo first, then the do, as dtm inserts them. */
const opRank: Readonly<Record<BranchOp, number>> = { compensate: 0, cancel: 0, rollback: 0, action: 1, try: 1, confirm: 1, commit: 1 };

/**
 * The branch rows in dtm's order: steps in the order of the spec (saga, msg), registered branches
 * in registration order (tcc, xa); within a branch the undo op before the do op.
 */
export function dtmBranches(tx: TransactionWithBranches): Json[] {
  const stepIndex = new Map(tx.spec.steps.map((s, i) => [s.branchId, i]));
  const sorted = [...tx.branches].sort(
    (a, b) =>
      (stepIndex.get(a.branchId) ?? 0) - (stepIndex.get(b.branchId) ?? 0) ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      (a.branchId < b.branchId ? -1 : a.branchId > b.branchId ? 1 : 0) ||
      opRank[a.op] - opRank[b.op],
  );
  return sorted.map((b) => dtmBranch(b, tx.mode === "workflow" ? dtmStepOp(b.op) : b.op));
}

/** A recorded workflow step as one of dtm's progresses (a branch row, as dtm answers prepareWorkflow). */
export function dtmProgress(b: BranchRecord): Json {
  return dtmBranch(b, dtmStepOp(b.op));
}

/**
 * A workflow step's op in dtm's words: the first phase of an XA step, which dtm's workflow client
 * records as `business`, is stored as `try` (dtmStoredStepOp).
 */
export function dtmStepOp(op: BranchOp): string {
  return op === "try" ? "business" : op;
}

/** The op a dtm workflow step is stored under (the inverse of dtmStepOp); undefined for one a workflow does not record. */
export function dtmStoredStepOp(op: string): BranchOp | undefined {
  const ops: Readonly<Record<string, BranchOp>> = { action: "action", commit: "commit", rollback: "rollback", confirm: "confirm", cancel: "cancel", business: "try" };
  return Object.hasOwn(ops, op) ? ops[op] : undefined;
}

function dtmBranch(b: BranchRecord, op: string): Json {
  return compact({
    create_time: b.createdAt.toISOString(),
    update_time: b.updatedAt.toISOString(),
    gid: b.gid,
    url: stripJsonRpc(b.target),
    bin_data: b.payload.byteLength > 0 ? Buffer.from(b.payload).toString("base64") : undefined,
    branch_id: b.branchId,
    op,
    status: dtmStatus(b.status),
    finish_time: b.finishedAt?.toISOString(),
  });
}

/** A topic as one of dtm's KV rows: category `topics`, the subscribers as a JSON string. */
export function dtmTopicKv(topic: TopicRecord): Json {
  return {
    create_time: topic.createdAt.toISOString(),
    update_time: topic.updatedAt.toISOString(),
    cat: "topics",
    k: topic.name,
    v: JSON.stringify(topic.subscribers.map((s) => ({ url: s.target, remark: s.remark }))),
    version: topic.version,
  };
}

/** The URL a dtm client gave: JSON-RPC targets are stored with Concord's scheme prefix. */
function stripJsonRpc(target: string): string {
  return target.startsWith(jsonRpcTargetPrefix) ? target.slice(jsonRpcTargetPrefix.length) : target;
}

/** dtm's `protocol`: json-rpc or http when a target says so, else grpc. */
function protocolOf(tx: TransactionWithBranches | TransactionRecord): string {
  const targets = [tx.spec.workflow?.resumeTarget ?? "", tx.spec.queryPrepared, ...tx.spec.steps.flatMap((s) => [s.action, s.compensate])];
  if ("branches" in tx) targets.push(...tx.branches.map((b) => b.target));
  const schemes = new Set(targets.map((t) => parseTarget(t)?.scheme));
  return schemes.has("jsonrpc") ? "json-rpc" : schemes.has("http") ? "http" : schemes.has("grpc") ? "grpc" : "";
}
