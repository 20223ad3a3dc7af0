import { describe, it, expect } from "vitest";
import { branchMetadata, readBranchInfo, reservedMetadataPrefix, type BranchInfo } from "./metadata.js";

const info: BranchInfo = { gid: "g-1", transType: "tcc", branchId: "0102", op: "try", dtm: "coordinator:36790" };

describe("branch metadata", () => {
  it("spells the keys as dtm does", () => {
    expect(branchMetadata(info)).toEqual({
      "dtm-gid": "g-1",
      "dtm-trans_type": "tcc",
      "dtm-branch_id": "0102",
      "dtm-op": "try",
      "dtm-dtm": "coordinator:36790",
    });
  });

  it("keeps every key it writes under the reserved prefix", () => {
    expect(Object.keys(branchMetadata(info)).every((k) => k.startsWith(reservedMetadataPrefix))).toBe(true);
  });

  it("reads back what it wrote", () => {
    const headers = branchMetadata(info);
    expect(readBranchInfo((k) => headers[k])).toEqual(info);
  });

  it("reads absent fields as empty", () => {
    expect(readBranchInfo((k) => (k === "dtm-gid" ? "g-2" : undefined))).toEqual({ gid: "g-2", transType: "", branchId: "", op: "", dtm: "" });
  });

  it("reads a call without dtm-gid as no branch call at all", () => {
    expect(readBranchInfo(() => undefined)).toBeUndefined();
    expect(readBranchInfo((k) => (k === "dtm-gid" ? "" : "x"))).toBeUndefined();
  });
});
