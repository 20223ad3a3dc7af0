/**
 * The server folder's one entry: listeners, health and reflection. Internal module.
 */
export { createServer } from "./server.js";
export type { Server, ServerOptions } from "./server.js";
