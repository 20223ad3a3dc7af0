import { describe, expect, it } from "vitest";
import { mergeTimeline } from "../src/engine/insights.js";
import type { BranchAttemptRecord } from "../src/model.js";

const call = (branchId: string, op: "action" | "compensate", ms: number, outcome: "success" | "unknown" = "success"): BranchAttemptRecord => ({
  branchId,
  op,
  at: new Date(1_700_000_000_000 + ms),
  outcome,
  error: "",
});
const told = (timeline: BranchAttemptRecord[]) => timeline.map((a) => `${a.branchId}:${a.op}@${a.at.getTime() - 1_700_000_000_000}`);

describe("the inspected timeline", () => {
  it("keeps the recorded calls in their order and puts a success told by its row before a call of the same millisecond", () => {
    // 01 succeeded and its row was written; 02 then failed within the same millisecond.
    const recorded = [call("02", "action", 5, "unknown"), call("02", "compensate", 7), call("01", "compensate", 7)];
    expect(told(mergeTimeline(recorded, [call("01", "action", 5)]))).toEqual(["01:action@5", "02:action@5", "02:compensate@7", "01:compensate@7"]);
  });

  it("places row successes between, before and after recorded calls by time", () => {
    const recorded = [call("02", "action", 10, "unknown"), call("02", "action", 30)];
    const rows = [call("03", "action", 40), call("01", "action", 2), call("04", "action", 20)];
    expect(told(mergeTimeline(recorded, rows))).toEqual(["01:action@2", "02:action@10", "04:action@20", "02:action@30", "03:action@40"]);
    expect(told(mergeTimeline([], rows))).toEqual(["01:action@2", "04:action@20", "03:action@40"]);
    expect(told(mergeTimeline(recorded, []))).toEqual(["02:action@10", "02:action@30"]);
  });
});
