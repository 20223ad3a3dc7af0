/**
 * concord.v1.AdminService handlers: decode → core → answer. Internal module.
 */
import type { ConnectRouter } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { durationFromMs, timestampDate, timestampFromDate, type Duration } from "@bufbuild/protobuf/wkt";
import { AdminService, BranchAttemptSchema, BranchOutcome, CircuitState } from "../../gen/ts/concord/v1/admin_service_pb.js";
import type { TransactionFilter as ProtoFilter } from "../../gen/ts/concord/v1/admin_service_pb.js";
import type { TransactionStatus as ProtoStatus } from "../../gen/ts/concord/v1/transaction_pb.js";
import type { Config, LogLevel } from "../config.js";
import type { Insights, Transactions } from "../engine/index.js";
import type { Logger } from "../logger.js";
import type { Mode, TransactionStatus } from "../model.js";
import type { TransactionFilter } from "../store/index.js";
import { decodePageToken, encodePageToken } from "./page-token.js";
import { protoModes, protoOps, protoStatuses, toProtoTransaction } from "./to-proto.js";
import { invalid, validateGid, validateMode } from "./validate.js";

export interface AdminServiceOptions {
  readonly transactions: Transactions;
  readonly insights: Insights;
  readonly logger: Logger;
  readonly defaults: Pick<Config, "stuckAfterMs">;
}

const defaultPageSize = 50;
const maxPageSize = 1000;
const defaultRetryLimit = 1000;
const maxRetryLimit = 10_000;
const defaultWindowMs = 5 * 60_000;
const maxWindowMs = 24 * 60 * 60_000;
const maxTextFilter = 2048;
const logLevels: readonly LogLevel[] = ["debug", "info", "warn", "error"];

const outcomes = { success: BranchOutcome.SUCCESS, failure: BranchOutcome.FAILURE, ongoing: BranchOutcome.ONGOING, unknown: BranchOutcome.UNKNOWN } as const;
const circuitStates = { closed: CircuitState.CLOSED, open: CircuitState.OPEN, "half-open": CircuitState.HALF_OPEN } as const;

export function registerAdminService(router: ConnectRouter, options: AdminServiceOptions): void {
  const { transactions, insights, logger, defaults } = options;
  router.service(AdminService, {
    async listTransactions(req) {
      if (req.pageSize > maxPageSize) throw invalid("page_size", `at most ${maxPageSize}`);
      const after = req.pageToken === "" ? undefined : decodePageToken(req.pageToken, "page_token");
      const page = await transactions.list(filterOf(req.filter), req.pageSize || defaultPageSize, after);
      return {
        transactions: page.transactions.map((tx) => toProtoTransaction({ ...tx, branches: [] })),
        nextPageToken: page.next ? encodePageToken(page.next) : "",
      };
    },

    async inspectTransaction(req) {
      const { transaction, timeline } = await insights.inspect(validateGid(req.gid));
      return {
        transaction: toProtoTransaction(transaction),
        timeline: timeline.map((a) =>
          create(BranchAttemptSchema, { branchId: a.branchId, op: protoOps[a.op], time: timestampFromDate(a.at), outcome: outcomes[a.outcome], error: a.error }),
        ),
      };
    },

    async retryNow(req) {
      return { transaction: toProtoTransaction(await transactions.retryNow(validateGid(req.gid))) };
    },

    async retryAllNow(req) {
      if (req.limit > maxRetryLimit) throw invalid("limit", `at most ${maxRetryLimit}`);
      const laterThanMs = durationMs(req.dueLaterThan, "due_later_than", maxWindowMs) ?? 0;
      const result = await transactions.makeDueNow(laterThanMs, req.limit || defaultRetryLimit);
      return { count: result.count, remaining: result.remaining };
    },

    async forceStop(req) {
      const gid = validateGid(req.gid);
      const reason = required(req.reason, "reason");
      const operator = required(req.operator, "operator");
      logger.warn("force-stopping a transaction", { gid, operator, reason });
      return { transaction: toProtoTransaction(await transactions.forceStop(gid, `force-stopped by ${operator}: ${reason}`)) };
    },

    async countTransactions() {
      const counts = await insights.counts();
      return { counts: counts.map((c) => ({ status: protoStatuses[c.status], mode: protoModes[c.mode], count: BigInt(c.count) })) };
    },

    async getOverview(req) {
      const windowMs = durationMs(req.window, "window", maxWindowMs) ?? defaultWindowMs;
      const stuckAfterMs = durationMs(req.stuckAfter, "stuck_after", 365 * maxWindowMs) ?? defaults.stuckAfterMs;
      const o = await insights.overview(windowMs, stuckAfterMs);
      return {
        window: durationFromMs(windowMs),
        created: BigInt(o.created),
        succeeded: BigInt(o.succeeded),
        failed: BigInt(o.failed),
        stuck: BigInt(o.stuck),
        unfinished: BigInt(o.unfinished),
        inFlight: o.inFlight,
        circuits: o.circuits.map((c) => ({ address: c.address, state: circuitStates[c.state], consecutiveFailures: c.consecutiveUnknown })),
        governedServices: o.services.map((s) => ({
          address: s.address,
          // uint32 on the wire; a cap above it is no cap in practice.
          maxConcurrency: Math.min(s.maxConcurrency, 0xffff_ffff),
          ratePerSecond: s.ratePerSecond,
          burst: s.burst,
          inFlight: s.inFlight,
          waiting: s.waiting,
        })),
      };
    },

    setLogLevel(req) {
      if (!(logLevels as readonly string[]).includes(req.level)) throw invalid("level", `one of ${logLevels.join(", ")}`);
      const previous = logger.setLevel(req.level as LogLevel);
      logger.info("log level changed", { from: previous, to: req.level });
      return { previous };
    },
  });
}

/** The store's filter from the request's, every field checked. */
function filterOf(f: ProtoFilter | undefined): TransactionFilter {
  if (!f) return {};
  const statuses = f.statuses.map((s, i) => statusOf(s, `filter.statuses[${i}]`));
  const modes: Mode[] = f.modes.map((m) => validateMode(m));
  if (f.gidPrefix.length > 64) throw invalid("filter.gid_prefix", "at most 64 characters");
  if (f.targetContains.length > maxTextFilter) throw invalid("filter.target_contains", `at most ${maxTextFilter} characters`);
  const olderThanMs = durationMs(f.stuckOlderThan, "filter.stuck_older_than", 365 * maxWindowMs);
  const stuck = olderThanMs !== undefined || f.stuckMinAttempts > 0;
  return {
    ...(statuses.length > 0 ? { statuses } : {}),
    ...(modes.length > 0 ? { modes } : {}),
    ...(f.gidPrefix !== "" ? { gidPrefix: f.gidPrefix } : {}),
    ...(f.createdAfter ? { createdFrom: timestampDate(f.createdAfter) } : {}),
    ...(f.createdBefore ? { createdTo: timestampDate(f.createdBefore) } : {}),
    ...(stuck
      ? { stuck: { ...(olderThanMs !== undefined ? { olderThanMs } : {}), ...(f.stuckMinAttempts > 0 ? { minAttempts: f.stuckMinAttempts } : {}) } }
      : {}),
    ...(f.targetContains !== "" ? { targetContains: f.targetContains } : {}),
  };
}

const statusesByProto = new Map<ProtoStatus, TransactionStatus>(Object.entries(protoStatuses).map(([k, v]) => [v, k as TransactionStatus]));

function statusOf(status: ProtoStatus, field: string): TransactionStatus {
  const known = statusesByProto.get(status);
  if (known) return known;
  throw invalid(field, `unknown value ${status} (TRANSACTION_STATUS_PREPARED, _SUBMITTED, _ABORTING, _SUCCEEDED or _FAILED)`);
}

/** A set duration in whole ms (at least 1 ms, at most `maxMs`), undefined when unset. */
function durationMs(d: Duration | undefined, field: string, maxMs: number): number | undefined {
  if (!d) return undefined;
  const ms = Number(d.seconds) * 1000 + d.nanos / 1e6;
  if (!(ms >= 1)) throw invalid(field, "must be at least 1ms (leave it unset for the default)");
  if (ms > maxMs) throw invalid(field, `must be at most ${maxMs / 3_600_000}h`);
  return Math.floor(ms);
}

function required(text: string, field: string): string {
  if (text.trim() === "") throw invalid(field, "required");
  if (text.length > 1024) throw invalid(field, "at most 1024 characters");
  return text;
}
