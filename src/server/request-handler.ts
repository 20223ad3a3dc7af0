/**
 * The Node request handler both listeners share: Connect's router for the RPCs, plain HTTP
 * routes, and real answers where connect-es gives none or the wrong one. Internal module.
 *
 * It replaces connect-node's `connectNodeAdapter` (about 30 lines) so that we own the edges:
 *
 * - unknown JSON fields are rejected (`invalid_argument` naming the field) instead of ignored,
 *   so a typo such as `maxAttempt` cannot silently mean "unlimited retries";
 * - a protobuf body that does not parse is `invalid_argument`, not the `internal` connect-es
 *   answers ("parse binary: …" is thrown before any interceptor runs, so only the response
 *   can be corrected);
 * - a 415 carries a JSON body naming the content types the method accepts;
 * - a gRPC request for an unknown method gets a real gRPC status (UNIMPLEMENTED), not an
 *   HTTP 404 that gRPC clients can only guess from.
 *
 * The corrections read connect-es's responses (status, trailers, JSON error bodies), which
 * depend on its internals; the versions are pinned in package.json and test/wire.test.ts
 * covers each one.
 *
 * Unary RPCs sent as plain gRPC over HTTP/2 (the hot path: Submit, NewGid, …) skip connect-node's
 * request/response machinery and are served on the HTTP/2 stream by grpc-unary.ts, with the same
 * authentication, interceptors, implementations and answers; see that module for what falls back.
 */
import { Code, ConnectError, createConnectRouter, createContextValues, type ConnectRouter, type Interceptor } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerResponse } from "@connectrpc/connect/protocol";
import {
  compressionBrotli,
  compressionGzip,
  universalRequestFromNodeRequest,
  universalResponseToNodeResponse,
} from "@connectrpc/connect-node";
import type * as http from "node:http";
import type * as http2 from "node:http2";
import type { TLSSocket } from "node:tls";
import { accessOfRpc, callerKey, type Authenticator, type Caller, type PeerCertificate } from "../auth/index.js";
import type { Logger } from "../logger.js";
import { correctGrpcStatus, decodeGrpcMessage, encodeGrpcMessage, invalidBodyMessage, parseBinaryPrefix } from "./grpc-status.js";
import { createGrpcUnary } from "./grpc-unary.js";
import { matchHttpRoute, sendJson, serveHttpRoute, type HttpRoute } from "./http-routes.js";
import { findJsonProblem } from "./json-problems.js";

export interface RequestHandlerOptions {
  /** Registers every service (the application's, health, reflection). */
  routes: (router: ConnectRouter) => void;
  /** Plain HTTP routes, matched when no RPC path does. */
  httpRoutes: readonly HttpRoute[];
  interceptors: Interceptor[];
  /** Largest request body read, bytes (RPCs and HTTP routes alike). */
  readMaxBytes: number;
  logger: Logger;
  /**
   * Who may call: each request but open ones (health, `/api/ping`, the console's files) is
   * authenticated first, and the caller handed to the RPC (context value) or route. Default: open access.
   */
  authenticator?: Authenticator;
  /**
   * Serve unary RPCs sent as plain gRPC over HTTP/2 on the stream (grpc-unary.ts) rather than
   * through connect-node. Default true; false serves every RPC through connect-es, the answers
   * the fast path is compared with.
   */
  grpcUnaryFastPath?: boolean;
}

export type NodeHandler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void;

/** Build the handler; `options.routes` runs once, here. */
export function createRequestHandler(options: RequestHandlerOptions): NodeHandler {
  const { logger } = options;
  const acceptCompression = [compressionGzip, compressionBrotli];
  const router = createConnectRouter({
    grpc: true,
    connect: true,
    grpcWeb: true,
    readMaxBytes: options.readMaxBytes,
    acceptCompression,
    interceptors: options.interceptors,
    // Protobuf's JSON mapping rejects unknown fields; connect-es relaxes that by default.
    jsonOptions: { ignoreUnknownFields: false },
  });
  const unary =
    options.grpcUnaryFastPath === false
      ? undefined
      : createGrpcUnary({ interceptors: options.interceptors, readMaxBytes: options.readMaxBytes, acceptCompression, logger });
  options.routes(unary ? unary.capture(router) : router);
  const rpcs = new Map<string, UniversalHandler>();
  for (const handler of router.handlers) rpcs.set(handler.requestPath, handler);

  const { authenticator } = options;
  /** Who the caller is; undefined when authentication is off (every caller then has open access). */
  async function authenticate(req: Parameters<NodeHandler>[0]): Promise<Caller | undefined> {
    if (authenticator === undefined || !authenticator.enabled) return undefined;
    const authorization = req.headers.authorization;
    const result = await authenticator.authenticate({ authorization, peer: authorization ? undefined : peerCertificate(req) });
    if ("principal" in result) return result;
    logger.debug("call refused: unauthenticated", { path: req.url, remote: req.socket?.remoteAddress, reason: result.refused });
    return { refused: true };
  }

  return (req, res) => {
    const path = (req.url ?? "").split("?", 1)[0] ?? "";
    const rpc = rpcs.get(path);
    if (rpc) {
      const fast = unary?.match(path, req);
      const serve = (caller: Caller | undefined) => {
        if (fast === undefined) serveRpc(rpc, req, res, logger, caller);
        else unary!.serve(fast, req as http2.Http2ServerRequest, caller === undefined ? undefined : createContextValues().set(callerKey, caller));
      };
      if (authenticator === undefined || !authenticator.enabled || accessOfRpc(path) === "open") {
        serve(undefined);
        return;
      }
      authenticate(req).then(
        (caller) => serve(caller),
        (error: unknown) => {
          logger.error("authentication failed unexpectedly", { error, path });
          sendJson(res, 500, { code: "internal", message: "internal error" });
        },
      );
      return;
    }
    const contentType = req.headers["content-type"] ?? "";
    if (/^application\/grpc(-web)?([+;]|$)/i.test(contentType)) {
      answerGrpcUnimplemented(req, res, path, contentType);
      return;
    }
    const route = matchHttpRoute(options.httpRoutes, path);
    if (route) {
      if (route.access === "open" || authenticator === undefined || !authenticator.enabled) {
        void serveHttpRoute(route, req, res, { maxBodyBytes: options.readMaxBytes, logger });
        return;
      }
      authenticate(req).then(
        (caller) => {
          if (caller !== undefined && "refused" in caller) {
            req.resume();
            sendJson(res, 401, { code: "unauthenticated", message: "unauthenticated" }, req.method === "HEAD", { "www-authenticate": "Bearer" });
            return;
          }
          void serveHttpRoute(route, req, res, { maxBodyBytes: options.readMaxBytes, logger, ...(caller ? { principal: caller.principal } : {}) });
        },
        (error: unknown) => {
          logger.error("authentication failed unexpectedly", { error, path });
          sendJson(res, 500, { code: "internal", message: "internal error" });
        },
      );
      return;
    }
    sendJson(res, 404, { code: "not_found", message: `no route for ${req.method ?? "?"} ${path}` }, req.method === "HEAD");
  };
}

/** The TLS client certificate of the request's connection, if it presented one. */
function peerCertificate(req: Parameters<NodeHandler>[0]): PeerCertificate | undefined {
  const socket = req.socket as Partial<TLSSocket> | undefined;
  if (typeof socket?.getPeerCertificate !== "function") return undefined;
  const cert = socket.getPeerCertificate();
  if (cert === null || Object.keys(cert).length === 0) return undefined;
  const cn = cert.subject?.CN;
  return { authorized: socket.authorized === true, subjectCN: typeof cn === "string" ? cn : Array.isArray(cn) ? cn[0] : undefined };
}

function serveRpc(rpc: UniversalHandler, req: Parameters<NodeHandler>[0], res: Parameters<NodeHandler>[1], logger: Logger, caller: Caller | undefined): void {
  let uReq;
  try {
    uReq = universalRequestFromNodeRequest(req, res, undefined, caller === undefined ? undefined : createContextValues().set(callerKey, caller));
  } catch (err) {
    // No authority (an HTTP/1.0 request without Host): nothing to route on.
    sendJson(res, 400, { code: "invalid_argument", message: ConnectError.from(err).rawMessage });
    return;
  }
  // A Connect JSON body is kept as it streams by, so a decode error can be traced to its field.
  const jsonBody: Uint8Array[] | undefined = isPlainJsonRequest(req.headers) ? [] : undefined;
  const body = uReq.body;
  if (jsonBody && typeof body === "object" && body !== null && Symbol.asyncIterator in body) {
    uReq = {
      ...uReq,
      body: (async function* () {
        for await (const chunk of body) {
          jsonBody.push(chunk);
          yield chunk;
        }
      })(),
    };
  }
  rpc(uReq)
    .then((uRes) => correctResponse(uRes, rpc, jsonBody))
    .then((uRes) => universalResponseToNodeResponse(uRes, res))
    .catch((reason: unknown) => {
      // Aborted: the client went away mid-answer, nothing left to tell anyone.
      if (ConnectError.from(reason).code === Code.Aborted) return;
      logger.warn("writing an rpc answer failed", { method: `${rpc.service.typeName}/${rpc.method.name}`, error: reason });
    });
}

/** Connect unary JSON, uncompressed: the body is the message as JSON text. */
function isPlainJsonRequest(headers: Parameters<NodeHandler>[0]["headers"]): boolean {
  const type = (headers["content-type"] ?? "").toLowerCase();
  return /^application\/json(;|$)/.test(type) && (headers["content-encoding"] ?? "identity") === "identity";
}

/** Fix the answers connect-es gets wrong; see the module comment. */
async function correctResponse(uRes: UniversalServerResponse, rpc: UniversalHandler, jsonBody: Uint8Array[] | undefined): Promise<UniversalServerResponse> {
  if (uRes.status === 415) return unsupportedMediaType(uRes, rpc);
  const contentType = uRes.header?.get("content-type") ?? "";
  if (contentType.startsWith("application/grpc-web")) return correctGrpcWebTrailer(uRes);
  if (contentType.startsWith("application/grpc")) return correctGrpcTrailer(uRes);
  if ((uRes.status === 500 || (uRes.status === 400 && jsonBody)) && contentType.startsWith("application/json")) {
    return correctConnectError(uRes, rpc, jsonBody);
  }
  return uRes;
}

/** gRPC: the status travels in trailers, which connect-node writes after the body ends. */
function correctGrpcTrailer(uRes: UniversalServerResponse): UniversalServerResponse {
  const { body, trailer } = uRes;
  if (!trailer) return uRes;
  const correct = () => correctGrpcStatus(trailer);
  if (!body || body instanceof Uint8Array) {
    correct();
    return uRes;
  }
  async function* corrected() {
    yield* body as AsyncIterable<Uint8Array>;
    correct();
  }
  return { ...uRes, body: corrected() };
}

/** gRPC-Web: the trailers are the body's last envelope (flag 0x80, HTTP/1-style header lines). */
function correctGrpcWebTrailer(uRes: UniversalServerResponse): UniversalServerResponse {
  const { body } = uRes;
  if (!body || body instanceof Uint8Array) return uRes;
  async function* corrected() {
    for await (const chunk of body as AsyncIterable<Uint8Array>) yield rewriteTrailerEnvelope(chunk);
  }
  return { ...uRes, body: corrected() };
}

function rewriteTrailerEnvelope(chunk: Uint8Array): Uint8Array {
  // Only a chunk that is exactly one trailer envelope: connect-es writes the trailers alone.
  if (chunk.byteLength < 5 || chunk[0] !== 0x80) return chunk;
  const length = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength).getUint32(1);
  if (length !== chunk.byteLength - 5) return chunk;
  const lines = new TextDecoder().decode(chunk.subarray(5)).split("\r\n");
  const status = lines.find((l) => l.toLowerCase().startsWith("grpc-status:"))?.slice(12).trim();
  const rawMessage = lines.find((l) => l.toLowerCase().startsWith("grpc-message:"))?.slice(13).trim();
  const message = decodeGrpcMessage(status === String(Code.Internal) ? (rawMessage ?? null) : null);
  if (!message?.startsWith(parseBinaryPrefix)) return chunk;
  const rest = lines.filter((l) => l !== "" && !/^grpc-(status|message):/i.test(l));
  const text = [`grpc-status: ${Code.InvalidArgument}`, `grpc-message: ${encodeGrpcMessage(invalidBodyMessage(message))}`, ...rest, ""].join("\r\n");
  const payload = new TextEncoder().encode(text);
  const out = new Uint8Array(5 + payload.byteLength);
  out[0] = 0x80;
  new DataView(out.buffer).setUint32(1, payload.byteLength);
  out.set(payload, 5);
  return out;
}

/**
 * Connect unary: the error is a small JSON body (`{code, message}`). A protobuf body that did
 * not parse becomes `invalid_argument` (HTTP 400); a JSON body protobuf-es rejected gets the
 * path of the field at fault.
 */
async function correctConnectError(uRes: UniversalServerResponse, rpc: UniversalHandler, jsonBody: Uint8Array[] | undefined): Promise<UniversalServerResponse> {
  if (!uRes.body || uRes.header?.get("content-encoding")) return uRes;
  const chunks: Uint8Array[] = [];
  if (uRes.body instanceof Uint8Array) chunks.push(uRes.body);
  else for await (const chunk of uRes.body) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  const unchanged = { ...uRes, body: oneChunk(bytes) };
  let error: { code?: unknown; message?: unknown };
  try {
    error = JSON.parse(bytes.toString("utf8")) as typeof error;
  } catch {
    return unchanged;
  }
  if (typeof error.message !== "string") return unchanged;
  let message: string | undefined;
  if (error.code === "internal" && error.message.startsWith(parseBinaryPrefix)) {
    message = invalidBodyMessage(error.message);
  } else if (error.code === "invalid_argument" && jsonBody && error.message.startsWith("cannot decode")) {
    message = jsonProblem(rpc, jsonBody);
  }
  if (message === undefined) return unchanged;
  const text = Buffer.from(JSON.stringify({ ...error, code: "invalid_argument", message }));
  const header = new Headers(uRes.header);
  header.set("content-length", String(text.byteLength));
  return { ...uRes, status: 400, header, body: oneChunk(text) };
}

function jsonProblem(rpc: UniversalHandler, body: Uint8Array[]): string | undefined {
  try {
    return findJsonProblem(rpc.method.input, JSON.parse(Buffer.concat(body).toString("utf8")));
  } catch {
    return undefined; // not JSON at all: connect-es's own message says so
  }
}

/** 415: connect-es sends no body; say what the method accepts, Connect-style. */
function unsupportedMediaType(uRes: UniversalServerResponse, rpc: UniversalHandler): UniversalServerResponse {
  const streaming = rpc.method.methodKind !== "unary";
  const accepted = rpc.protocolNames.flatMap((protocol) => {
    switch (protocol) {
      case "connect":
        return streaming ? ["application/connect+json", "application/connect+proto"] : ["application/json", "application/proto"];
      case "grpc":
        return ["application/grpc", "application/grpc+proto", "application/grpc+json"];
      case "grpc-web":
        return ["application/grpc-web", "application/grpc-web+proto", "application/grpc-web+json"];
      default:
        return [];
    }
  });
  const text = Buffer.from(
    JSON.stringify({
      code: "invalid_argument",
      message: `content-type: not supported by ${rpc.requestPath}; use one of ${accepted.join(", ")}`,
    }),
  );
  const header = new Headers(uRes.header);
  header.set("content-type", "application/json");
  header.set("content-length", String(text.byteLength));
  header.set("accept-post", accepted.join(", "));
  return { ...uRes, header, body: oneChunk(text) };
}

/**
 * A gRPC call to a method nobody serves: trailers-only UNIMPLEMENTED (HTTP 200, status in the
 * headers), as the gRPC spec answers it, so every client reports the real code and the method.
 */
function answerGrpcUnimplemented(req: Parameters<NodeHandler>[0], res: Parameters<NodeHandler>[1], path: string, contentType: string): void {
  const web = contentType.toLowerCase().startsWith("application/grpc-web");
  const headers = {
    "content-type": web ? "application/grpc-web+proto" : "application/grpc",
    "grpc-status": String(Code.Unimplemented),
    "grpc-message": encodeGrpcMessage(`unknown method ${path}`),
  };
  // Read (and drop) the request, so the client's half of the stream ends normally instead of
  // being reset.
  req.resume();
  if ("stream" in res) {
    // HTTP/2: one HEADERS frame with END_STREAM. The compat writeHead() + end() sends the status
    // in plain response headers, which gRPC clients do not read as trailers.
    res.stream.respond({ ":status": 200, ...headers }, { endStream: true });
    return;
  }
  res.writeHead(200, headers);
  res.end();
}

async function* oneChunk(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
