/**
 * The branch side: read the `dtm-*` metadata of a call, and answer FAILURE / ONGOING with the
 * gRPC status Concord reads as such. Part of `concord/client`.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type * as grpc from "@grpc/grpc-js";
import { branchMetadataKeys, outcomeStatus, readBranchInfo, type BranchInfo } from "../protocol/index.js";

function infoFrom(get: (key: string) => string | undefined): BranchInfo {
  const info = readBranchInfo(get);
  if (info === undefined) throw new ConnectError(`not a Concord branch call: no ${branchMetadataKeys.gid} metadata`, Code.InvalidArgument);
  return info;
}

/** Branch info from a grpc-js handler's `call.metadata`. */
export function branchInfoFromGrpc(metadata: grpc.Metadata): BranchInfo {
  return infoFrom((k) => {
    const v = metadata.get(k)[0];
    return v === undefined ? undefined : v.toString();
  });
}

/** Branch info from a Connect handler's `ctx.requestHeader`. */
export function branchInfoFromHeaders(headers: Headers): BranchInfo {
  return infoFrom((k) => headers.get(k) ?? undefined);
}

/** Connect handlers: throw this to answer FAILURE (ABORTED): a saga action rolls back. */
export function branchFailure(message = "FAILURE"): ConnectError {
  return new ConnectError(message, outcomeStatus.failure);
}

/** Connect handlers: throw this to answer ONGOING (FAILED_PRECONDITION): ask again later. */
export function branchOngoing(message = "ONGOING"): ConnectError {
  return new ConnectError(message, outcomeStatus.ongoing);
}

// grpc-js status numbers equal Connect `Code` numbers (see protocol/outcome.ts).

/** grpc-js handlers: pass this to the callback to answer FAILURE (ABORTED). */
export function grpcBranchFailure(message = "FAILURE"): Partial<grpc.StatusObject> {
  return { code: outcomeStatus.failure as number as grpc.status, details: message };
}

/** grpc-js handlers: pass this to the callback to answer ONGOING (FAILED_PRECONDITION). */
export function grpcBranchOngoing(message = "ONGOING"): Partial<grpc.StatusObject> {
  return { code: outcomeStatus.ongoing as number as grpc.status, details: message };
}
