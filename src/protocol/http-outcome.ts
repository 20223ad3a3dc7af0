/**
 * dtm's HTTP result protocol (dtm-compat.md §4): how an HTTP branch's answer reads as a branch
 * outcome, and the answers a branch gives to say SUCCESS, FAILURE or ONGOING. The coordinator
 * reads with it, the SDK's HTTP branch helpers answer with it. Internal module.
 */
import { Code } from "@connectrpc/connect";
import type { BranchOutcome } from "./outcome.js";

/** The HTTP status of each answer a branch gives deliberately. */
export const httpOutcomeStatus = {
  success: 200,
  failure: 409,
  ongoing: 425,
} as const;

/** dtm's `dtm_result` words; a body containing one of the last two means that outcome. */
export const dtmResult = {
  success: "SUCCESS",
  failure: "FAILURE",
  ongoing: "ONGOING",
} as const;

/** How much of a body goes into an outcome's message: enough to say why, little enough for a log line. */
const messageChars = 256;

const ongoingBytes = Buffer.from(dtmResult.ongoing);
const failureBytes = Buffer.from(dtmResult.failure);

/**
 * Read an HTTP answer in dtm's order (`dtmcli.HTTPResp2DtmError`): 425 or a body containing
 * `ONGOING` → ongoing; 409 or a body containing `FAILURE` → failure (so a `200 {"dtm_result":"FAILURE"}`
 * is a failure); any other status but 200 → unknown, retried; 200 → success with the body as
 * `response`. The body checks are substring checks, as dtm's are.
 */
export function outcomeFromHttp(status: number, body: Uint8Array): BranchOutcome {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (status === httpOutcomeStatus.ongoing || bytes.includes(ongoingBytes)) {
    return { kind: "ongoing", message: describeBody(status, bytes) };
  }
  if (status === httpOutcomeStatus.failure || bytes.includes(failureBytes)) {
    return { kind: "failure", message: describeBody(status, bytes) };
  }
  if (status === httpOutcomeStatus.success) return { kind: "success", response: body };
  return { kind: "unknown", code: codeOfHttpStatus(status), message: describeBody(status, bytes) };
}

/**
 * The Connect code an unexpected HTTP status is reported with: the gateway statuses say the
 * service is not there (Unavailable), 408 that it ran out of time; the rest say nothing more
 * than Unknown.
 */
function codeOfHttpStatus(status: number): Code {
  switch (status) {
    case 502:
    case 503:
    case 504:
      return Code.Unavailable;
    case 408:
      return Code.DeadlineExceeded;
    default:
      return Code.Unknown;
  }
}

/** `HTTP 409: {"error":"…"}`, the body cut to a log line. */
function describeBody(status: number, body: Buffer): string {
  const text = body.subarray(0, messageChars * 4).toString("utf8").replace(/\s+/g, " ").trim();
  const start = text.length > messageChars ? `${text.slice(0, messageChars)}…` : text;
  return start === "" ? `HTTP ${status}` : `HTTP ${status}: ${start}`;
}

/** dtm's JSON-RPC error codes for the two deliberate answers a branch gives. */
export const jsonRpcErrorCode = {
  failure: -32901,
  ongoing: -32902,
} as const;

/**
 * Read a JSON-RPC branch's answer as dtm does: the HTTP rules first (a 409, a `FAILURE` body, …),
 * then, for a 200, its `error`: code -32901 → failure, -32902 → ongoing, any other error →
 * unknown (retried); no error → success with the body as `response`.
 */
export function outcomeFromJsonRpc(status: number, body: Uint8Array): BranchOutcome {
  const http = outcomeFromHttp(status, body);
  if (http.kind !== "success") return http;
  let error: unknown;
  try {
    error = (JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8")) as { error?: unknown } | null)?.error;
  } catch {
    return { kind: "unknown", code: Code.Unknown, message: describeBody(status, Buffer.from(body)).replace(/^HTTP 200/, "HTTP 200, not a JSON-RPC answer") };
  }
  if (error === undefined || error === null) return http;
  const code = typeof error === "object" && "code" in error ? (error as { code: unknown }).code : undefined;
  const message = describeBody(status, Buffer.from(body));
  if (code === jsonRpcErrorCode.failure) return { kind: "failure", message };
  if (code === jsonRpcErrorCode.ongoing) return { kind: "ongoing", message };
  return { kind: "unknown", code: Code.Unknown, message };
}
