/**
 * The branch side over HTTP: read which call is being served from the query string Concord (or
 * dtm) adds to a branch URL, and answer SUCCESS, FAILURE or ONGOING with dtm's HTTP result
 * protocol (200, 409, 425 with a `dtm_result` body). Plain data and one writer for node:http, so
 * any framework can send an answer. Part of `concord/client`.
 */
import type { ServerResponse } from "node:http";
import { Code, ConnectError } from "@connectrpc/connect";
import { branchQueryParameters, dtmResult, httpOutcomeStatus, type BranchInfo } from "../protocol/index.js";

/** An answer to an HTTP branch call: send `status` with `body` as `application/json`. */
export interface HttpBranchAnswer {
  readonly status: number;
  /** A JSON object: `dtm_result`, plus `message` on FAILURE and ONGOING. */
  readonly body: string;
}

// A base for request targets such as `/api/TransOut?gid=…` (node:http's `req.url`), which are
// not URLs on their own; only the query is read.
const relativeBase = "http://branch.invalid";

/**
 * Branch info from an HTTP branch call's query string: `gid`, `trans_type`, `branch_id` and `op`.
 * Takes node:http's `req.url` (`/path?query`), a full URL, or the parsed parameters (express's
 * `new URLSearchParams(req.query)`, or `url.searchParams`). `dtm` is "": an HTTP call does not
 * carry the coordinator's address. Throws INVALID_ARGUMENT when there is no `gid`: then it is
 * not a branch call.
 *
 * The result is what the barrier takes: `createBarrier(branchInfoFromUrl(req.url!))`.
 */
export function branchInfoFromUrl(url: string | URL | URLSearchParams): BranchInfo {
  const query = url instanceof URLSearchParams ? url : new URL(url, relativeBase).searchParams;
  const read = (field: keyof typeof branchQueryParameters): string => query.get(branchQueryParameters[field]) ?? "";
  const gid = read("gid");
  if (gid === "") throw new ConnectError("not a Concord branch call: no gid query parameter", Code.InvalidArgument);
  return { gid, transType: read("transType"), branchId: read("branchId"), op: read("op"), dtm: "" };
}

/** 200 `{"dtm_result":"SUCCESS"}`: the branch did its work (or had done it already). */
export function httpBranchSuccess(): HttpBranchAnswer {
  return { status: httpOutcomeStatus.success, body: JSON.stringify({ dtm_result: dtmResult.success }) };
}

/** 409 `{"dtm_result":"FAILURE","message":…}`: the business says no; a saga action rolls back. */
export function httpBranchFailure(message: string = dtmResult.failure): HttpBranchAnswer {
  return { status: httpOutcomeStatus.failure, body: JSON.stringify({ dtm_result: dtmResult.failure, message }) };
}

/** 425 `{"dtm_result":"ONGOING","message":…}`: not decided yet; Concord asks again later without counting an error. */
export function httpBranchOngoing(message: string = dtmResult.ongoing): HttpBranchAnswer {
  return { status: httpOutcomeStatus.ongoing, body: JSON.stringify({ dtm_result: dtmResult.ongoing, message }) };
}

/** Send an answer from a node:http handler (express's `res` is one too) and end the response. */
export function sendHttpBranchAnswer(res: ServerResponse, answer: HttpBranchAnswer): void {
  res.writeHead(answer.status, { "content-type": "application/json", "content-length": Buffer.byteLength(answer.body) });
  res.end(answer.body);
}
