/**
 * dtm's request shapes as its clients send them (dtm-compat.md §2, §3), read into one form whatever
 * the API they came through: the TransBase JSON of the HTTP and JSON-RPC APIs, the `DtmRequest`
 * of `dtmgimp.Dtm`, and the flat registerBranch map. Type errors are INVALID_ARGUMENT naming
 * dtm's field; unknown fields are ignored, as dtm ignores them (SDKs of other versions send
 * more). Internal module.
 */
import type { DtmBranchRequest, DtmRequest } from "../../gen/ts/dtmgimp/dtmgimp_pb.js";
import { invalid } from "../api/index.js";

/** The protocols a dtm transaction names: how its branch URLs are called. */
export type DtmProtocol = "http" | "grpc" | "json-rpc";

/** A global transaction as a dtm client describes it; times in whole seconds, 0 = the server's default. */
export interface DtmTrans {
  readonly gid: string;
  readonly transType: string;
  readonly customData: string;
  readonly waitResult: boolean;
  readonly timeoutToFail: number;
  readonly requestTimeout: number;
  readonly retryInterval: number;
  readonly retryLimit: number;
  readonly branchHeaders: Readonly<Record<string, string>>;
  /** dtm's `concurrent` option (msg); a saga reads its own from custom_data. */
  readonly concurrent: boolean;
  /** `{action, compensate}` per step. */
  readonly steps: readonly DtmStep[];
  /** One per step. */
  readonly payloads: readonly Uint8Array[];
  readonly queryPrepared: string;
  readonly protocol: DtmProtocol;
  readonly rollbackReason: string;
  /** A workflow's submit: `status`, `rollback_reason`, `result` (base64). */
  readonly reqExtra: Readonly<Record<string, string>>;
}

export interface DtmStep {
  readonly action: string;
  readonly compensate: string;
}

/** A registerBranch: the flat string map of the HTTP/JSON-RPC APIs, or a `DtmBranchRequest`'s fields. */
export interface DtmBranch {
  readonly gid: string;
  readonly transType: string;
  readonly branchId: string;
  /** tcc: confirm, cancel; xa: url; workflow: op, status. */
  readonly data: Readonly<Record<string, string>>;
  readonly payload: Uint8Array;
}

const protocols: readonly DtmProtocol[] = ["http", "grpc", "json-rpc"];
const encoder = new TextEncoder();

/** The TransBase JSON body of the HTTP API (and the `params` of the JSON-RPC API). */
export function transFromJson(body: unknown): DtmTrans {
  const o = object(body, "body");
  const rawSteps = o.steps === undefined || o.steps === null ? [] : array(o.steps, "steps");
  const steps = rawSteps.map((s, i) => object(s, `steps[${i}]`));
  // Old clients put each payload in steps[i].data instead of payloads (dtm's setupPayloads).
  const payloads = [
    ...(o.payloads === undefined || o.payloads === null ? [] : array(o.payloads, "payloads")).map((p, i) => encoder.encode(text(p, `payloads[${i}]`))),
    ...steps.flatMap((s, i) => (s.data === undefined || s.data === "" ? [] : [encoder.encode(text(s.data, `steps[${i}].data`))])),
  ];
  const protocol = string(o.protocol, "protocol") || "http";
  if (!(protocols as readonly string[]).includes(protocol)) throw invalid("protocol", `unknown "${protocol}"; expected ${protocols.join(", ")}`);
  return {
    gid: string(o.gid, "gid"),
    transType: string(o.trans_type, "trans_type"),
    customData: string(o.custom_data, "custom_data"),
    waitResult: boolean(o.wait_result, "wait_result"),
    timeoutToFail: seconds(o.timeout_to_fail, "timeout_to_fail"),
    requestTimeout: seconds(o.request_timeout, "request_timeout"),
    retryInterval: seconds(o.retry_interval, "retry_interval"),
    retryLimit: seconds(o.retry_limit, "retry_limit"),
    branchHeaders: stringMap(o.branch_headers, "branch_headers"),
    concurrent: boolean(o.concurrent, "concurrent"),
    steps: steps.map((s, i) => ({ action: string(s.action, `steps[${i}].action`), compensate: string(s.compensate, `steps[${i}].compensate`) })),
    payloads,
    queryPrepared: string(o.query_prepared, "query_prepared"),
    protocol: protocol as DtmProtocol,
    rollbackReason: string(o.rollback_reason, "rollback_reason"),
    reqExtra: stringMap(o.req_extra, "req_extra"),
  };
}

/** A `dtmgimp.Dtm` request. The gRPC API is always protocol grpc; its steps are a JSON string. */
export function transFromGrpc(req: DtmRequest): DtmTrans {
  let steps: DtmStep[] = [];
  // dtmgrpc marshals a tcc's or xa's absent steps as "null".
  if (req.Steps !== "" && req.Steps !== "null") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.Steps);
    } catch {
      throw invalid("Steps", 'not JSON; expected [{"action":…,"compensate":…}, …]');
    }
    steps = array(parsed, "Steps").map((s, i) => {
      const step = object(s, `Steps[${i}]`);
      return { action: string(step.action, `Steps[${i}].action`), compensate: string(step.compensate, `Steps[${i}].compensate`) };
    });
  }
  const o = req.TransOptions;
  return {
    gid: req.Gid,
    transType: req.TransType,
    customData: req.CustomedData,
    waitResult: o?.WaitResult ?? false,
    timeoutToFail: bigSeconds(o?.TimeoutToFail, "TransOptions.TimeoutToFail"),
    requestTimeout: bigSeconds(o?.RequestTimeout, "TransOptions.RequestTimeout"),
    retryInterval: bigSeconds(o?.RetryInterval, "TransOptions.RetryInterval"),
    retryLimit: bigSeconds(o?.RetryLimit, "TransOptions.RetryLimit"),
    branchHeaders: o?.BranchHeaders ?? {},
    concurrent: false,
    steps,
    payloads: req.BinPayloads,
    queryPrepared: req.QueryPrepared,
    protocol: "grpc",
    rollbackReason: req.RollbackReason,
    reqExtra: req.ReqExtra,
  };
}

/** The flat registerBranch map of the HTTP and JSON-RPC APIs; `data` is the payload. */
export function branchFromJson(body: unknown): DtmBranch {
  const data = stringMap(body, "body");
  return {
    gid: data.gid ?? "",
    transType: data.trans_type ?? "",
    branchId: data.branch_id ?? "",
    data,
    payload: encoder.encode(data.data ?? ""),
  };
}

export function branchFromGrpc(req: DtmBranchRequest): DtmBranch {
  return { gid: req.Gid, transType: req.TransType, branchId: req.BranchID, data: { ...req.Data, ...(req.Op ? { op: req.Op } : {}) }, payload: req.BusiPayload };
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid(field, "expected a JSON object");
  return value as Record<string, unknown>;
}

function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(field, "expected a JSON array");
  return value;
}

function string(value: unknown, field: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw invalid(field, "expected a string");
  return value;
}

/** A payload: a string as dtm's Go client sends it; other SDKs' JSON values are taken as their JSON text. */
function text(value: unknown, field: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  throw invalid(field, "expected a string (the JSON body)");
}

function boolean(value: unknown, field: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  if (value === 0 || value === 1) return value === 1;
  throw invalid(field, "expected true or false");
}

/** A whole number of seconds (or a count): a JSON number or numeric string, 0 or more. */
function seconds(value: unknown, field: string): number {
  if (value === undefined || value === null || value === "") return 0;
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw invalid(field, "expected a whole number, 0 or more");
  return n;
}

function bigSeconds(value: bigint | undefined, field: string): number {
  if (value === undefined) return 0;
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(field, "expected a whole number, 0 or more");
  return Number(value);
}

function stringMap(value: unknown, field: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  const o = object(value, field);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === "string") out[k] = v;
    else if (typeof v === "number" || typeof v === "boolean") out[k] = String(v);
    else throw invalid(`${field}.${k}`, "expected a string");
  }
  return out;
}
