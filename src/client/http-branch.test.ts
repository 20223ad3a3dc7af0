import { describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { outcomeFromHttp } from "../protocol/index.js";
import { branchInfoFromUrl, httpBranchFailure, httpBranchOngoing, httpBranchSuccess } from "./http-branch.js";

describe("branchInfoFromUrl", () => {
  const info = { gid: "g-1", transType: "saga", branchId: "02", op: "compensate", dtm: "" };

  it.each([
    ["a request target", "/api/TransOut?gid=g-1&trans_type=saga&branch_id=02&op=compensate"],
    ["a full URL", new URL("http://bank:8081/api/TransOut?op=compensate&branch_id=02&trans_type=saga&gid=g-1")],
    ["parsed parameters", new URLSearchParams({ gid: "g-1", trans_type: "saga", branch_id: "02", op: "compensate" })],
  ])("reads the branch info from %s", (_name, url) => {
    expect(branchInfoFromUrl(url)).toEqual(info);
  });

  it("refuses a request without a gid as INVALID_ARGUMENT", () => {
    const error = (() => {
      try {
        return branchInfoFromUrl("/api/TransOut?op=action");
      } catch (e) {
        return e;
      }
    })();
    expect(ConnectError.from(error).code).toBe(Code.InvalidArgument);
  });
});

describe("HTTP branch answers", () => {
  it("speak dtm's result protocol: 200 SUCCESS, 409 FAILURE, 425 ONGOING", () => {
    expect(httpBranchSuccess()).toEqual({ status: 200, body: '{"dtm_result":"SUCCESS"}' });
    expect(httpBranchFailure("insufficient balance")).toEqual({ status: 409, body: '{"dtm_result":"FAILURE","message":"insufficient balance"}' });
    expect(httpBranchOngoing()).toEqual({ status: 425, body: '{"dtm_result":"ONGOING","message":"ONGOING"}' });
  });

  it("read back as the outcome they name", () => {
    const read = (a: { status: number; body: string }) => outcomeFromHttp(a.status, new TextEncoder().encode(a.body)).kind;
    expect([httpBranchSuccess(), httpBranchFailure("no"), httpBranchOngoing()].map(read)).toEqual(["success", "failure", "ongoing"]);
  });
});
