/**
 * dtm's JSON-RPC 2.0 API (`POST /api/json-rpc`, dtm-compat.md §7): methods newGid, prepare,
 * submit, abort and registerBranch, with the HTTP API's bodies as `params`. Always HTTP 200;
 * errors are JSON-RPC error objects: -32700 unparsable, -32600 not a JSON-RPC 2.0 request with
 * an id, -32601 unknown method, -32901 dtm's FAILURE, -32603 anything else. Internal module.
 */
import type { HttpRouteRequest, HttpRouteResponse } from "../server/index.js";
import { hasScope } from "../auth/index.js";
import type { Logger } from "../logger.js";
import { dtmJsonRpcError, isExpected } from "./errors.js";
import { httpCall, type DtmService } from "./service.js";
import { branchFromJson, transFromJson, type DtmTrans } from "./wire.js";

type Method = (params: unknown) => Promise<unknown>;

export async function serveJsonRpc(service: DtmService, req: HttpRouteRequest, logger: Logger): Promise<HttpRouteResponse> {
  // Requests through this endpoint come from JSON-RPC clients: their transactions are json-rpc.
  const trans = (params: unknown): DtmTrans => {
    const t = transFromJson(params);
    return typeof params === "object" && params !== null && "protocol" in params ? t : { ...t, protocol: "json-rpc" };
  };
  const methods: Readonly<Record<string, Method>> = {
    newGid: async () => ({ gid: service.newGid() }),
    prepare: async (params) => service.prepare(trans(params), httpCall(req)).then(() => null),
    submit: async (params) => service.submit(trans(params), httpCall(req)).then(() => null),
    abort: async (params) => service.abort(trans(params), httpCall(req)).then(() => null),
    registerBranch: async (params) => service.registerBranch(branchFromJson(params), "json-rpc", httpCall(req)).then(() => null),
  };
  const reply = (id: unknown, error: { code: number; message: string } | null, result: unknown = null): HttpRouteResponse => ({
    json: { jsonrpc: "2.0", id: id ?? null, error, result },
  });

  let request: unknown;
  try {
    request = JSON.parse(new TextDecoder().decode(await req.body()));
  } catch (error) {
    return reply(null, { code: -32700, message: `Parse error: ${(error as Error).message}` });
  }
  if (typeof request !== "object" || request === null || Array.isArray(request)) return reply(null, { code: -32600, message: "Invalid Request: not a JSON object" });
  const { jsonrpc, id, method, params } = request as Record<string, unknown>;
  if (jsonrpc !== "2.0" || (typeof id !== "string" && typeof id !== "number") || id === "") {
    return reply(id, { code: -32600, message: 'Invalid Request: "jsonrpc" must be "2.0" and "id" a non-empty string or a number' });
  }
  const handler = typeof method === "string" ? methods[method] : undefined;
  if (!handler) return reply(id, { code: -32601, message: `Method not found: ${String(method)}` });
  // Every method creates or drives transactions. Refused with HTTP 403, as the HTTP API refuses.
  if (!hasScope(req.principal, "submit")) return { ...reply(id, { code: -32603, message: "permission denied: needs the submit scope" }), status: 403 };
  try {
    return reply(id, null, await handler(params));
  } catch (error) {
    if (!isExpected(error)) logger.error("dtm JSON-RPC request failed", { method, error });
    return reply(id, dtmJsonRpcError(error));
  }
}
