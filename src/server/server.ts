/**
 * The coordinator's two listeners. Internal module.
 *
 * - gRPC port: HTTP/2 without TLS (h2c) serving gRPC, Connect and gRPC-Web.
 * - HTTP port: HTTP/1.1 serving Connect (JSON, so `curl` works) and gRPC-Web, plus `/api/ping`.
 *
 * Both serve one handler built from one router, so every method is on both ports, alongside
 * `grpc.health.v1.Health` and server reflection (v1 and v1alpha).
 */
import * as http from "node:http";
import * as http2 from "node:http2";
import type { AddressInfo, Socket } from "node:net";
import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { limits, type Config } from "../config.js";
import type { Logger } from "../logger.js";
import { createHealth, type HealthState } from "./health.js";
import { createRpcInterceptor } from "./interceptors.js";
import { registerReflection } from "./reflection.js";

export interface ServerOptions {
  /** Resolved configuration: `host`, `grpcPort` and `httpPort` are used. */
  config: Config;
  /** Registers the application's services; health and reflection are added by the server. */
  routes: (router: ConnectRouter) => void;
  logger: Logger;
  /**
   * How long `close()` lets open connections finish their requests before destroying them, ms.
   * Default 5000.
   */
  closeTimeoutMs?: number;
}

export interface Server {
  /** Bind both ports (port 0 picks a free one) and report the ports actually bound. */
  listen(): Promise<{ grpcPort: number; httpPort: number }>;
  /** Health (gRPC and `/api/ping`) reports SERVING, or NOT_SERVING once set false. Starts serving. */
  setServing(serving: boolean): void;
  /**
   * Stop accepting connections, let in-flight requests finish, close idle connections and
   * end health Watch streams; resolves once both listeners are closed. Connections still open
   * after `closeTimeoutMs` are destroyed. Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

const defaultCloseTimeoutMs = 5000;

/** Create (but do not bind) the gRPC and HTTP listeners. */
export function createServer(options: ServerOptions): Server {
  const { config, logger } = options;
  const health = createHealth(true);
  const handler = connectNodeAdapter({
    routes(router) {
      options.routes(router);
      health.register(router);
      registerReflection(router);
    },
    grpc: true,
    connect: true,
    grpcWeb: true,
    readMaxBytes: limits.maxRequestBytes,
    interceptors: [createRpcInterceptor(logger)],
    fallback: (req, res) => serveNonRpc(req, res as unknown as PlainResponse, health),
  });

  const h2 = http2.createServer({}, handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  // session.destroy() alone does not always free a session whose GOAWAY is pending (a client
  // that stopped reading keeps it open), so the force path destroys the sockets themselves.
  const sockets = new Set<Socket>();
  h2.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // A broken client connection is the client's problem; log it instead of letting the error
  // event go unhandled.
  h2.on("sessionError", (err) => logger.debug("http2 session error", { error: err }));
  const h1 = http.createServer(handler);

  let closing: Promise<void> | undefined;
  return {
    async listen() {
      const results = await Promise.allSettled([
        listenOn(h2, config.host, config.grpcPort, "gRPC port (--grpc-port)"),
        listenOn(h1, config.host, config.httpPort, "HTTP port (--http-port)"),
      ]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) {
        // Leave nothing bound: the caller exits, and a half-open server would hold a port.
        await Promise.all([closeQuietly(h2), closeQuietly(h1)]);
        throw failed.reason;
      }
      return { grpcPort: (h2.address() as AddressInfo).port, httpPort: (h1.address() as AddressInfo).port };
    },
    setServing(serving) {
      health.setServing(serving);
    },
    close() {
      closing ??= (async () => {
        health.shutdown();
        const closed = Promise.all([closeQuietly(h2), closeQuietly(h1)]);
        // GOAWAY to every session: in-flight streams finish, no new ones start.
        for (const session of sessions) session.close();
        h1.closeIdleConnections();
        const force = setTimeout(() => {
          logger.warn("connections still open at shutdown; destroying them", { http2Sessions: sessions.size });
          for (const session of sessions) session.destroy();
          for (const socket of sockets) socket.destroy();
          h1.closeAllConnections();
        }, options.closeTimeoutMs ?? defaultCloseTimeoutMs);
        force.unref();
        try {
          await closed;
        } finally {
          clearTimeout(force);
        }
      })();
      return closing;
    },
  };
}

function listenOn(server: http.Server | http2.Http2Server, host: string, port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const hint = err.code === "EADDRINUSE" ? "address already in use" : err.message;
      reject(new Error(`cannot listen on ${host}:${port}, the ${what}: ${hint}`, { cause: err }));
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

/** Close a server; resolves when its connections are gone (at once when it never listened). */
function closeQuietly(server: http.Server | http2.Http2Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The part of http and http2 responses both share and that plain JSON answers need. */
interface PlainResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: string): unknown;
}

/** `/api/ping` for load balancers that speak plain HTTP; a JSON 404 for anything else. */
function serveNonRpc(req: { method?: string; url?: string }, res: PlainResponse, health: HealthState): void {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (path === "/api/ping" && (req.method === "GET" || req.method === "HEAD")) {
    const serving = health.serving();
    sendJson(res, serving ? 200 : 503, { status: serving ? "ok" : "not_serving" });
    return;
  }
  sendJson(res, 404, { code: "not_found", message: `no route for ${req.method ?? "?"} ${path}` });
}

function sendJson(res: PlainResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}
