/**
 * Branch dispatch: calling branches through the transport of their target's scheme, within the
 * limits of their branch service and behind a circuit breaker per address. Internal module; this file is the folder's one entry.
 */
export type { BranchCall, BranchTransport, Dispatcher } from "./types.js";
export { createDispatcher, type DispatcherOptions } from "./dispatcher.js";
export { loadBranchTls } from "./branch-tls.js";
export { createGrpcTransport, type GrpcTransportOptions } from "./grpc-transport.js";
export { createHttpTransport, type HttpTransportOptions } from "./http-transport.js";
export { retryDelayMs } from "./backoff.js";
export {
  createServiceGovernor,
  type Admission,
  type GovernanceSettings,
  type GovernedService,
  type GovernorOptions,
  type GovernorTimers,
  type ServiceGovernor,
  type ServiceLimits,
  type ServiceSlot,
} from "./governor.js";
export {
  createCircuitBreaker,
  type CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitPermit,
  type CircuitSnapshot,
  type CircuitState,
} from "./circuit-breaker.js";
