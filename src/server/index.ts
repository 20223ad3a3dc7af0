/**
 * The server folder's one entry: listeners, plain HTTP routes, health, reflection and the web console's files. Internal module.
 */
export { createServer } from "./server.js";
export type { CloseOptions, Server, ServerOptions } from "./server.js";
export { HttpError } from "./http-routes.js";
export type { HttpRoute, HttpRouteRequest, HttpRouteResponse } from "./http-routes.js";
export { consoleRoutes } from "./console-routes.js";
export type { ConsoleRoutesOptions } from "./console-routes.js";
