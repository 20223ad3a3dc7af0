/**
 * dtm's operations over Concord's core, shared by its three APIs (HTTP, JSON-RPC, `dtmgimp.Dtm`):
 * translate, call the same engine, answer in dtm's terms. No transaction logic lives here.
 * Internal module.
 */
import type { IncomingHttpHeaders } from "node:http";
import { Code, ConnectError } from "@connectrpc/connect";
import { mayRead, openAccess, transactionDenied, type Principal } from "../auth/index.js";
import type { BranchRecord, Mode, TransactionStatus, TransactionWithBranches } from "../model.js";
import { transactionStatuses } from "../model.js";
import type { Topics, Transactions, Workflows } from "../engine/index.js";
import { decodePageToken, encodePageToken, invalid, validateGid, validateSubscriber, validateTopicName } from "../api/index.js";
import { admitTargets, registrationTargets, specTargets, type TargetAdmission } from "../api/index.js";
import type { TransactionFilter } from "../store/index.js";
import { DtmFailure } from "./errors.js";
import { abortInput, finishInput, modeOf, registerInput, stepInput, transactionInput, workflowInput, type DtmDefaults } from "./translate.js";
import type { DtmBranch, DtmProtocol, DtmTrans } from "./wire.js";
import { dtmBranches, dtmProgress, dtmTopicKv, dtmTransaction } from "./view.js";
import { workflowSteps } from "../api/index.js";

export interface DtmServiceOptions {
  readonly transactions: Transactions;
  readonly workflows: Workflows;
  readonly topics: Topics;
  readonly defaults: DtmDefaults;
  /** The outbound policy every target is checked against before anything is stored. */
  readonly admission: TargetAdmission;
  /** What `/version` reports. */
  readonly version: string;
}

/** dtm's `version` answer: the dtm API this server speaks. */
export const dtmApiVersion = "v1.19.0";

const maxListLimit = 1000;
/** What dtm's answers say a run that did not succeed, with no reason recorded, came to. */
const notSucceeded = "wait result not return success";

/** What a dtm API call brings besides its body. */
export interface DtmCall {
  /** The request's deadline, ms from now (gRPC); undefined: none. */
  readonly deadlineMs?: number | undefined;
  /** The caller's W3C traceparent header. */
  readonly traceparent?: string | undefined;
  /** Who calls. Default: open access (authentication off). */
  readonly principal?: Principal | undefined;
}

/** What an HTTP or JSON-RPC request brings besides its body: the caller and its traceparent (no deadline). */
export function httpCall(req: { readonly headers: IncomingHttpHeaders; readonly principal: Principal }): DtmCall {
  const traceparent = req.headers.traceparent;
  return { principal: req.principal, ...(typeof traceparent === "string" ? { traceparent } : {}) };
}

/** dtm's prepareWorkflow answer: the workflow and its progresses (its recorded steps, in order). */
export interface DtmProgresses {
  readonly transaction: TransactionWithBranches;
  readonly progresses: readonly BranchRecord[];
}

/** The prepareWorkflow answer as dtm's HTTP API writes it (its clients read it with protojson). */
export function dtmProgressesJson(reply: DtmProgresses): { transaction: unknown; progresses: unknown[] } {
  return { transaction: dtmTransaction(reply.transaction), progresses: reply.progresses.map(dtmProgress) };
}

/** A page position as dtm passes it: empty for the first page. */
export interface DtmListQuery {
  readonly gid?: string;
  readonly status?: string;
  readonly transType?: string;
  /** ms since the epoch, as text. */
  readonly createTimeStart?: string;
  readonly createTimeEnd?: string;
  readonly position?: string;
  readonly limit?: string;
}

export function createDtmService(options: DtmServiceOptions) {
  const { transactions, workflows, topics, defaults, admission } = options;

  return {
    newGid: (): string => transactions.newGid(),

    async prepare(trans: DtmTrans, call: DtmCall = {}): Promise<void> {
      const input = transactionInput(trans, defaults, { preparing: true });
      await admitTargets(admission, specTargets(input.spec, ""));
      await transactions.prepare(input, { traceparent: call.traceparent, principal: call.principal });
    },

    /**
     * Store and start, or submit what was prepared. With wait_result, answer when this run has
     * ended: anything but SUCCEEDED is dtm's FAILURE, with the rollback reason when there is one.
     */
    async submit(trans: DtmTrans, call: DtmCall = {}): Promise<void> {
      // A workflow's submit ends it as its client says (req_extra): nothing is processed.
      if (trans.transType === "workflow") {
        await workflows.finish(finishInput(trans), call.principal);
        return;
      }
      const input = transactionInput(trans, defaults, { preparing: false });
      await admitTargets(admission, specTargets(input.spec, ""));
      const tx = await transactions.submit(input, { deadlineMs: call.deadlineMs, traceparent: call.traceparent, waitUntil: "run", principal: call.principal });
      if (input.options.waitResult && tx.status !== "succeeded") throw new DtmFailure(tx.rollbackReason || notSucceeded);
    },

    async abort(trans: DtmTrans, call: DtmCall = {}): Promise<void> {
      await transactions.abort(abortInput(trans), { deadlineMs: call.deadlineMs, waitUntil: "run", principal: call.principal });
    },

    /**
     * `prepareWorkflow`: store a PREPARED workflow, or answer with the stored one and its recorded
     * steps (dtm's "progresses", in the order they were recorded).
     */
    async prepareWorkflow(trans: DtmTrans, call: DtmCall = {}): Promise<DtmProgresses> {
      const input = workflowInput(trans, defaults);
      await admitTargets(admission, [{ field: "query_prepared", target: input.workflow.resumeTarget }]);
      const { transaction } = await workflows.prepare(input, call.principal);
      return { transaction, progresses: workflowSteps(transaction) };
    },

    async registerBranch(branch: DtmBranch, protocol: DtmProtocol, call: DtmCall = {}): Promise<void> {
      // A workflow step is recorded at once, whatever `sync` says: it is answered once committed.
      if (branch.transType === "workflow") {
        await workflows.recordStep(stepInput(branch), call.principal);
        return;
      }
      const input = registerInput(branch, protocol);
      await admitTargets(admission, registrationTargets(input.registration, { confirm: "confirm", cancel: "cancel", target: "url" }));
      try {
        await transactions.registerBranch(input);
      } catch (error) {
        // dtm: no PREPARED transaction with this gid is a FAILURE, whether it never existed or moved on.
        if (error instanceof ConnectError && error.code === Code.NotFound) throw new ConnectError(error.rawMessage, Code.FailedPrecondition);
        throw error;
      }
    },

    /** `GET /query`: the transaction and its branch rows, or null and [] for an unknown gid. */
    async query(gid: string, principal: Principal = openAccess): Promise<{ transaction: unknown; branches: unknown[] }> {
      if (gid === "") throw invalid("gid", "required");
      try {
        const tx = await transactions.get(validateGid(gid));
        if (!mayRead(principal, tx.createdBy)) throw transactionDenied("read");
        return { transaction: dtmTransaction(tx), branches: dtmBranches(tx) };
      } catch (error) {
        if (error instanceof ConnectError && error.code === Code.NotFound) return { transaction: null, branches: [] };
        throw error;
      }
    },

    /** `GET /all`: newest first, filtered; `next_position` is "" on the last page. */
    async all(q: DtmListQuery): Promise<{ transactions: unknown[]; next_position: string }> {
      const limit = count(q.limit, "limit", 100);
      const filter: TransactionFilter = {
        ...(q.gid ? { gid: validateGid(q.gid) } : {}),
        ...(q.status ? { status: statusOf(q.status) } : {}),
        ...(q.transType ? { mode: modeOf(q.transType, "transType") as Mode } : {}),
        ...(q.createTimeStart ? { createdFrom: timeOf(q.createTimeStart, "createTimeStart") } : {}),
        ...(q.createTimeEnd ? { createdTo: timeOf(q.createTimeEnd, "createTimeEnd") } : {}),
      };
      const after = q.position ? decodePageToken(q.position, "position") : undefined;
      const page = await transactions.list(filter, limit, after);
      return { transactions: page.transactions.map(dtmTransaction), next_position: page.next ? encodePageToken(page.next) : "" };
    },

    async forceStop(gid: string): Promise<void> {
      await transactions.forceStop(validateGid(gid), "force-stopped through dtm's API (forceStop)");
    },

    /** `POST /resetNextCronTime`: run the transaction's next pass now. */
    async resetNextCronTime(gid: string): Promise<void> {
      await transactions.retryNow(validateGid(gid));
    },

    /** `GET /resetCronTime`: make transactions due more than `timeout` seconds from now due now. */
    async resetCronTime(timeout: string | undefined, limit: string | undefined): Promise<{ has_remaining: boolean; succeed_count: number }> {
      const seconds = count(timeout, "timeout", Math.round((3 * defaults.timeoutToFailMs) / 1000), Number.MAX_SAFE_INTEGER / 1000);
      const result = await transactions.makeDueNow(seconds * 1000, count(limit, "limit", 100));
      return { has_remaining: result.remaining, succeed_count: result.count };
    },

    async subscribe(topic: string, url: string, remark: string): Promise<void> {
      const name = validateTopicName(topic, "topic");
      const target = validateSubscriber(url, "url");
      await admitTargets(admission, [{ field: "url", target }]);
      await topics.subscribe(name, target, remark);
    },

    async unsubscribe(topic: string, url: string): Promise<void> {
      if (url === "") throw invalid("url", "required");
      await topics.unsubscribe(validateTopicName(topic, "topic"), url);
    },

    async deleteTopic(topic: string): Promise<void> {
      await topics.deleteTopic(validateTopicName(topic, "topic"));
    },

    /** `GET /scanKV`: dtm's KV rows of a category (only `topics` exists), a page at a time. */
    async scanKV(cat: string, position: string | undefined, limit: string | undefined): Promise<{ kv: unknown[]; next_position: string }> {
      const n = count(limit, "limit", 100);
      if (cat !== "topics") return { kv: [], next_position: "" };
      const after = position ? topicPosition(position) : undefined;
      const page = await topics.list(n, after);
      return { kv: page.topics.map(dtmTopicKv), next_position: page.more ? Buffer.from(page.topics.at(-1)!.name).toString("base64url") : "" };
    },

    /** `GET /queryKV`: one topic's KV row (or every topic's, without a key); [] for an unknown one. */
    async queryKV(cat: string, key: string): Promise<{ kv: unknown[] }> {
      if (cat !== "topics") return { kv: [] };
      if (key === "") return { kv: (await topics.list(maxListLimit)).topics.map(dtmTopicKv) };
      try {
        return { kv: [dtmTopicKv(await topics.get(validateTopicName(key, "key")))] };
      } catch (error) {
        if (error instanceof ConnectError && error.code === Code.NotFound) return { kv: [] };
        throw error;
      }
    },

    version: (): { version: string; concord: string } => ({ version: dtmApiVersion, concord: options.version }),
  };
}

export type DtmService = ReturnType<typeof createDtmService>;

/** A whole number query parameter, 1 to `max`, `dflt` when absent. */
function count(text: string | undefined, field: string, dflt: number, max = maxListLimit): number {
  if (text === undefined || text === "") return dflt;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw invalid(field, "expected a whole number, 1 or more");
  if (n > max) throw invalid(field, `at most ${max}`);
  return n;
}

/** dtm's status words (`succeed`) or Concord's. */
function statusOf(text: string): TransactionStatus {
  const status = text === "succeed" ? "succeeded" : text;
  if (!(transactionStatuses as readonly string[]).includes(status)) throw invalid("status", `unknown "${text}"; expected prepared, submitted, aborting, succeed or failed`);
  return status as TransactionStatus;
}

/** ms since the epoch. */
function timeOf(text: string, field: string): Date {
  const ms = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(ms)) throw invalid(field, "expected milliseconds since 1970");
  return new Date(ms);
}

function topicPosition(position: string): string {
  const name = Buffer.from(position, "base64url").toString("utf8");
  if (Buffer.from(name).toString("base64url") !== position) throw invalid("position", "malformed; pass the position the previous page gave");
  return validateTopicName(name, "position");
}
