import { describe, expect, it } from "vitest";
import type { BranchOp, BranchRecord, TransactionWithBranches } from "../model.js";
import { dtmBranches, dtmStatus, dtmTopicKv, dtmTransaction } from "./view.js";

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);
const branch = (branchId: string, op: BranchOp, createdMs = 0, target = ""): BranchRecord => ({
  gid: "g",
  branchId,
  op,
  target,
  payload: new Uint8Array(0),
  status: op === "action" || op === "confirm" ? "succeeded" : "prepared",
  attempts: 0,
  lastError: "",
  createdAt: at(createdMs),
  updatedAt: at(createdMs),
  finishedAt: null,
});
const tx = (overrides: Partial<TransactionWithBranches>): TransactionWithBranches => ({
  gid: "g",
  mode: "saga",
  status: "succeeded",
  spec: { steps: [], concurrent: false, queryPrepared: "" },
  options: { waitResult: false, timeoutToFailMs: 0, requestTimeoutMs: 3000, retry: { initialIntervalMs: 10_000, maxIntervalMs: 3_600_000, backoffMultiplier: 2, maxAttempts: 0 }, branchHeaders: {} },
  customData: "",
  requestHash: "",
  rollbackReason: "",
  createdBy: "",
  attempts: 3,
  nextAttemptAt: null,
  failAt: null,
  leaseOwner: null,
  createdAt: at(0),
  updatedAt: at(5),
  finishedAt: at(5),
  traceContext: null,
  input: new Uint8Array(0),
  result: new Uint8Array(0),
  branches: [],
  ...overrides,
});
const step = (branchId: string) => ({ branchId, action: "", compensate: "", after: [], headers: {}, requestTimeoutMs: 0 });

describe("dtm's view of a transaction", () => {
  it("orders a saga's rows by step, the compensation before the action, past 99 steps too", () => {
    const ids = Array.from({ length: 101 }, (_, i) => String(i + 1).padStart(2, "0"));
    const branches = ids.flatMap((id) => [branch(id, "action"), branch(id, "compensate")]).reverse();
    const rows = dtmBranches(tx({ spec: { steps: ids.map(step), concurrent: false, queryPrepared: "" }, branches }));
    expect(rows.slice(0, 4).map((r) => `${r.branch_id as string}:${r.op as string}`)).toEqual(["01:compensate", "01:action", "02:compensate", "02:action"]);
    expect(rows.slice(-4).map((r) => `${r.branch_id as string}:${r.op as string}`)).toEqual(["100:compensate", "100:action", "101:compensate", "101:action"]);
  });

  it("orders registered branches by registration, cancel before confirm, nested ones after their parent", () => {
    const branches = [branch("0201", "confirm", 20), branch("01", "confirm", 0), branch("02", "cancel", 10), branch("01", "cancel", 0), branch("02", "confirm", 10), branch("0201", "cancel", 20)];
    const rows = dtmBranches(tx({ mode: "tcc", branches }));
    expect(rows.map((r) => `${r.branch_id as string}:${r.op as string}:${r.status as string}`)).toEqual([
      "01:cancel:prepared",
      "01:confirm:succeed",
      "02:cancel:prepared",
      "02:confirm:succeed",
      "0201:cancel:prepared",
      "0201:confirm:succeed",
    ]);
  });

  it("writes dtm's fields: lowercase statuses, options inlined in seconds, an owner that changes with each run, a JSON-RPC URL as given", () => {
    const view = dtmTransaction(tx({ status: "succeeded", options: { ...tx({}).options, waitResult: true, retryLimit: 2, branchHeaders: { a: "b" } } }));
    expect(view).toMatchObject({ gid: "g", trans_type: "saga", status: "succeed", retry_interval: 10, request_timeout: 3, retry_limit: 2, wait_result: true, branch_headers: { a: "b" }, owner: "pass-3", concurrent: false });
    expect(JSON.parse(view.options as string)).toMatchObject({ retry_interval: 10, retry_limit: 2, concurrent: false });
    expect(view.rollback_reason).toBeUndefined();
    expect(dtmTransaction(tx({ attempts: 4 })).owner).not.toBe(view.owner);
    const rpc = dtmBranches(tx({ mode: "msg", branches: [branch("01", "action", 0, "json-rpc+http://busi/rpc?method=M")] }));
    expect(rpc[0]?.url).toBe("http://busi/rpc?method=M");
    expect(dtmStatus("succeeded")).toBe("succeed");
  });

  it("writes a topic as dtm's KV row, subscribers as a JSON string of url and remark", () => {
    expect(dtmTopicKv({ name: "t", subscribers: [{ target: "http://a/b", remark: "r" }], version: 2, createdAt: at(0), updatedAt: at(1) })).toEqual({
      create_time: at(0).toISOString(),
      update_time: at(1).toISOString(),
      cat: "topics",
      k: "t",
      v: '[{"url":"http://a/b","remark":"r"}]',
      version: 2,
    });
  });
});
