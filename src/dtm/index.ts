/**
 * dtm compatibility (dtm-compat.md): dtm v1.19's HTTP, JSON-RPC and gRPC (`dtmgimp.Dtm`) APIs as a
 * translation layer over Concord's engine and store, so dtm's clients work unchanged. Internal
 * module; this file is the folder's one entry.
 */
export { createDtmService, dtmApiVersion } from "./service.js";
export type { DtmService, DtmServiceOptions } from "./service.js";
export type { DtmDefaults } from "./translate.js";
export { dtmHttpRoutes, dtmHttpPrefix, dtmJsonRpcPath } from "./http-api.js";
export { registerDtmGrpcService } from "./grpc-service.js";
