/**
 * Branch protocol: what Concord and a branch agree on over the wire, shared by the coordinator
 * and the SDK: target parsing, the gRPC status ↔ outcome table and dtm's HTTP result table, the
 * `dtm-*` metadata, raw-bytes codecs, the grpc-js raw-bytes caller and the undici HTTP caller,
 * the outbound policy they check connections against and the fixed texts of transport failures.
 * Internal module; this file is the folder's one entry.
 * It imports nothing from the rest of src/.
 */
export {
  callableTarget,
  grpcDnsPrefix,
  grpcTlsPrefix,
  isValidTarget,
  jsonRpcTargetPrefix,
  parseTarget,
  splitAddress,
  targetSchemes,
  type GrpcTarget,
  type HttpTarget,
  type JsonRpcTarget,
  type ParsedTarget,
  type TargetScheme,
} from "./target.js";
export {
  branchMetadata,
  branchMetadataKeys,
  branchQueryParameters,
  readBranchInfo,
  reservedMetadataPrefix,
  type BranchInfo,
} from "./metadata.js";
export {
  describeOutcome,
  isServiceAlive,
  outcomeFromStatus,
  outcomeStatus,
  statusOfOutcome,
  type BranchOutcome,
} from "./outcome.js";
export { rawBytesService } from "./raw-bytes.js";
export { createGrpcCaller, type GrpcCaller, type GrpcCallerOptions, type GrpcUnaryCall } from "./grpc-caller.js";
export { dtmResult, httpOutcomeStatus, jsonRpcErrorCode, outcomeFromHttp, outcomeFromJsonRpc } from "./http-outcome.js";
export { createHttpCaller, type HttpBranchCall, type HttpCaller, type HttpCallerOptions } from "./http-caller.js";
export { trustedRoots, type BranchTls } from "./branch-tls.js";
export {
  allowTargetsSetting,
  createOutboundPolicy,
  lookupHost,
  normalizeHost,
  protectedKind,
  type OutboundGuard,
  type OutboundPolicy,
  type Refusal,
  type ResolvedAddress,
  type ResolveHost,
} from "./outbound-policy.js";
export { transportErrors } from "./transport-errors.js";
