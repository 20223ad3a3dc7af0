/**
 * Branch protocol: what Concord and a branch agree on over the wire, shared by the coordinator
 * and the SDK: target parsing, the gRPC status ↔ outcome table, the `dtm-*` metadata, raw-bytes
 * codecs and the grpc-js raw-bytes caller. Internal module; this file is the folder's one entry.
 * It imports nothing from the rest of src/.
 */
export { parseTarget, isValidTarget, targetSchemes, type ParsedTarget, type TargetScheme } from "./target.js";
export {
  branchMetadata,
  branchMetadataKeys,
  readBranchInfo,
  reservedMetadataPrefix,
  type BranchInfo,
} from "./metadata.js";
export {
  describeOutcome,
  grpcStatusOk,
  isServiceAlive,
  outcomeFromStatus,
  outcomeStatus,
  statusOfOutcome,
  type BranchOutcome,
} from "./outcome.js";
export { deserializeBytes, rawBytesService, serializeBytes } from "./raw-bytes.js";
export { createGrpcCaller, type GrpcCaller, type GrpcCallerOptions, type GrpcUnaryCall } from "./grpc-caller.js";
