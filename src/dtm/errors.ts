/**
 * Concord's errors in dtm's conventions (dtm-compat.md §2, §3, §7): what was refused because of
 * the transaction's state is dtm's FAILURE (HTTP 409, gRPC ABORTED, JSON-RPC -32901); anything
 * else keeps its meaning (HTTP 500 with the code named, 503 when the store or the coordinator
 * cannot serve; the same gRPC code; JSON-RPC -32603). Internal module.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { toConnectError } from "../errors.js";
import { dtmResult, httpOutcomeStatus, jsonRpcErrorCode } from "../protocol/index.js";

/** The codes that mean "the transaction's state refuses this": dtm's ErrFailure. */
const failureCodes: ReadonlySet<Code> = new Set([Code.FailedPrecondition, Code.AlreadyExists, Code.Aborted]);

/** dtm's ErrFailure, for answers the dtm layer decides itself (a wait_result that did not succeed). */
export class DtmFailure extends Error {
  override readonly name = "DtmFailure";
}

/** `connect` code names, as Concord's JSON errors spell them (`invalid_argument`). */
function codeName(code: Code): string {
  return (Code[code] ?? "unknown").replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c.toLowerCase() : `_${c.toLowerCase()}`));
}

/** An error as a dtm HTTP answer: status and JSON body. */
export function dtmHttpError(error: unknown): { status: number; json: Record<string, string> } {
  if (error instanceof DtmFailure) return { status: httpOutcomeStatus.failure, json: { dtm_result: dtmResult.failure, message: error.message } };
  const e = toConnectError(error);
  if (failureCodes.has(e.code)) return { status: httpOutcomeStatus.failure, json: { dtm_result: dtmResult.failure, message: e.rawMessage } };
  const status = e.code === Code.Unavailable ? 503 : e.code === Code.PermissionDenied ? 403 : e.code === Code.Unauthenticated ? 401 : 500;
  return { status, json: { message: e.rawMessage, code: codeName(e.code) } };
}

/** An error as `dtmgimp.Dtm` answers it: FAILURE as ABORTED, the rest with its own code. */
export function dtmGrpcError(error: unknown): ConnectError {
  if (error instanceof DtmFailure) return new ConnectError(error.message, Code.Aborted);
  const e = toConnectError(error);
  return failureCodes.has(e.code) ? new ConnectError(e.rawMessage, Code.Aborted, undefined, undefined, e) : e;
}

/** An error as a JSON-RPC error object: FAILURE -32901, anything else -32603 (dtm's "internal"). */
export function dtmJsonRpcError(error: unknown): { code: number; message: string } {
  if (error instanceof DtmFailure) return { code: jsonRpcErrorCode.failure, message: error.message };
  const e = toConnectError(error);
  return { code: failureCodes.has(e.code) ? jsonRpcErrorCode.failure : -32603, message: e.rawMessage };
}

/** Whether an error is one the client caused or the state explains (not worth an error log). */
export function isExpected(error: unknown): boolean {
  return error instanceof DtmFailure || (error instanceof ConnectError && error.code !== Code.Internal);
}
