/**
 * Branch dispatch: calling branches over gRPC with opaque payloads. Internal module; this file
 * is the folder's one entry.
 */
export type { BranchCall, BranchOutcome, Dispatcher } from "./types.js";
export { createDispatcher, type DispatcherOptions } from "./dispatcher.js";
export { parseTarget, isValidTarget, type ParsedTarget } from "./target.js";
export { outcomeFromStatus, isServiceAlive, describeOutcome } from "./outcome.js";
export { retryDelayMs } from "./backoff.js";
export {
  createCircuitBreaker,
  type CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitPermit,
  type CircuitState,
} from "./circuit-breaker.js";
