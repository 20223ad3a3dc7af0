/**
 * Branch dispatch: calling branches through the transport of their target's scheme, behind a
 * circuit breaker per address. Internal module; this file is the folder's one entry.
 */
export type { BranchCall, BranchTransport, Dispatcher } from "./types.js";
export { createDispatcher, type DispatcherOptions } from "./dispatcher.js";
export { createGrpcTransport, type GrpcTransportOptions } from "./grpc-transport.js";
export { createHttpTransport, type HttpTransportOptions } from "./http-transport.js";
export { retryDelayMs } from "./backoff.js";
export {
  createCircuitBreaker,
  type CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitPermit,
  type CircuitSnapshot,
  type CircuitState,
} from "./circuit-breaker.js";
