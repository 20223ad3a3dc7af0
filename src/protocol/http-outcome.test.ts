import { describe, expect, it } from "vitest";
import { Code } from "@connectrpc/connect";
import { outcomeFromHttp, outcomeFromJsonRpc } from "./http-outcome.js";

const body = (text: string) => new TextEncoder().encode(text);

describe("outcomeFromHttp", () => {
  it.each([
    [200, "", "success"],
    [200, '{"amount":30}', "success"],
    [409, "", "failure"],
    [409, '{"error":"reason:Insufficient balance. FAILURE"}', "failure"],
    [200, '{"dtm_result":"FAILURE"}', "failure"],
    [500, "FAILURE", "failure"],
    [425, "", "ongoing"],
    [200, '{"dtm_result":"ONGOING"}', "ongoing"],
    [409, "ONGOING", "ongoing"],
    [500, "boom", "unknown"],
    [204, "", "unknown"],
  ] as const)("reads %i %j as %s, in dtm's order", (status, text, kind) => {
    expect(outcomeFromHttp(status, body(text)).kind).toBe(kind);
  });

  it.each([
    [502, Code.Unavailable],
    [503, Code.Unavailable],
    [504, Code.Unavailable],
    [408, Code.DeadlineExceeded],
    [500, Code.Unknown],
    [404, Code.Unknown],
  ])("reports an unexpected %i with a Connect code that says why", (status, code) => {
    expect(outcomeFromHttp(status, body(""))).toEqual({ kind: "unknown", code, message: `HTTP ${status}` });
  });

  it("names the status and the start of the body in its message, on one line", () => {
    const outcome = outcomeFromHttp(500, body(`line one\nline two ${"x".repeat(1000)}`));
    expect(outcome.kind === "unknown" ? outcome.message : "").toMatch(/^HTTP 500: line one line two x+…$/);
    expect(outcome.kind === "unknown" ? outcome.message.length : 0).toBeLessThan(300);
  });
});

describe("outcomeFromJsonRpc", () => {
  it.each([
    [200, '{"jsonrpc":"2.0","id":"1","result":{}}', "success"],
    [200, '{"jsonrpc":"2.0","id":"1","error":null}', "success"],
    [200, '{"jsonrpc":"2.0","id":"1","error":{"code":-32901,"message":"no"}}', "failure"],
    [200, '{"jsonrpc":"2.0","id":"1","error":{"code":-32902}}', "ongoing"],
    [200, '{"jsonrpc":"2.0","id":"1","error":{"code":-32000}}', "unknown"],
    [200, "not json", "unknown"],
    [409, "", "failure"],
    [425, "", "ongoing"],
    [500, "", "unknown"],
  ] as const)("reads %i %j as %s: dtm's HTTP rules first, then the JSON-RPC error code", (status, text, kind) => {
    expect(outcomeFromJsonRpc(status, body(text)).kind).toBe(kind);
  });
});
