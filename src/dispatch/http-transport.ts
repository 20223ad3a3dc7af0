/**
 * The HTTP transport: branch calls to `http://` and `https://` targets with dtm's HTTP protocol
 * (method, JSON body, `gid`/`trans_type`/`branch_id`/`op` query parameters, headers, and the
 * 200 / 409 / 425 result table), and to `json-rpc+http(s)://` targets with dtm's JSON-RPC
 * protocol. Internal module.
 */
import { Code } from "@connectrpc/connect";
import { createHttpCaller, type HttpCallerOptions } from "../protocol/index.js";
import type { BranchTransport } from "./types.js";

export type HttpTransportOptions = HttpCallerOptions;

/** Create the transport of `http` targets; one keep-alive pool per origin for its whole life. */
export function createHttpTransport(options: HttpTransportOptions = {}): BranchTransport {
  const caller = createHttpCaller(options);
  return {
    // JSON-RPC targets are HTTP endpoints too: one pool per origin serves both.
    schemes: ["http", "jsonrpc"],
    // An HTTP call has no connection to wait for on the half-open probe: each call connects
    // afresh when its pool is empty, so `probe` changes nothing here.
    call(target, call) {
      if (target.scheme === "grpc") {
        return Promise.resolve({ kind: "unknown", code: Code.Internal, message: `the HTTP transport cannot call a ${target.scheme} target` });
      }
      return caller.call({
        url: target.url,
        payload: call.payload,
        metadata: call.metadata,
        timeoutMs: call.timeoutMs,
        ...(target.scheme === "jsonrpc" ? { jsonRpcMethod: target.method } : {}),
      });
    },
    close: () => caller.close(),
  };
}
