/**
 * Concord's public API for running a coordinator inside your own process (tests, embedding).
 * Clients and branch services use `concord/client` instead.
 */
export { resolveConfig, configHelp, limits } from "./config.js";
export type { Config, LogLevel } from "./config.js";
export { createCoordinator } from "./coordinator.js";
export type { Coordinator, CoordinatorDeps } from "./coordinator.js";
export { createServer } from "./server/index.js";
export type { Server, ServerOptions } from "./server/index.js";
export { openStore } from "./store/index.js";
export type { Store, OpenStoreOptions } from "./store/index.js";
export { createLogger, silentLogger } from "./logger.js";
export type { Logger } from "./logger.js";
export type { CoordinatorEventMap, CoordinatorEventName } from "./engine/index.js";
