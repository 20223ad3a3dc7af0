/**
 * The server folder's one entry: listeners, plain HTTP routes, health and reflection. Internal module.
 */
export { createServer } from "./server.js";
export type { CloseOptions, Server, ServerOptions } from "./server.js";
export { HttpError } from "./http-routes.js";
export type { HttpRoute, HttpRouteRequest, HttpRouteResponse } from "./http-routes.js";
