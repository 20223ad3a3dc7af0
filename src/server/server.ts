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
import * as https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { ConnectRouter } from "@connectrpc/connect";
import { createAccessInterceptor, type Authenticator } from "../auth/index.js";
import { limits, shutdownDeadlineMs, type Config } from "../config.js";
import type { Logger } from "../logger.js";
import { createHealth, type HealthState } from "./health.js";
import type { HttpRoute } from "./http-routes.js";
import { manageHttp2Sessions } from "./http2-sessions.js";
import { createRpcInterceptor } from "./interceptors.js";
import { registerReflection } from "./reflection.js";
import { createRequestHandler } from "./request-handler.js";
import { loadListenerTls, watchListenerTls, type ListenerTls } from "./tls.js";

export interface ServerOptions {
  /**
   * Resolved configuration: `host`, `grpcPort`, `httpPort`, `shutdownGraceMs` and the
   * connection settings (`handshakeTimeoutMs`, `idleTimeoutMs`, `keepaliveIntervalMs`,
   * `keepaliveTimeoutMs`) are used.
   */
  config: Config;
  /**
   * Registers the application's services; health and reflection are added by the server, and
   * health answers for every service registered here.
   */
  routes: (router: ConnectRouter) => void;
  /**
   * Plain HTTP routes (non-RPC paths, JSON in and out) served on both ports, e.g. dtm's
   * `/api/dtmsvr/*` as one prefix route. Default none; `/api/ping` is always served.
   */
  httpRoutes?: readonly HttpRoute[];
  logger: Logger;
  /** Who may call (tokens, JWTs, client certificates). Default: everyone, with every scope. */
  authenticator?: Authenticator;
  /**
   * How often the TLS files (`--tls-cert`, `--tls-key`, `--tls-client-ca`) are checked for
   * changes, ms. Default 5000.
   */
  tlsWatchIntervalMs?: number;
  /**
   * How long `close()` lets open connections finish their requests before destroying them, ms.
   * Default: the coordinator's shutdown deadline (`shutdownDeadlineMs`) + 5000. A request waiting on
   * a transaction must outlive the coordinator's stop, or its client sees a reset connection.
   */
  closeTimeoutMs?: number;
  /**
   * Serve unary RPCs sent as plain gRPC over HTTP/2 on a fast path (grpc-unary.ts) instead of
   * through connect-node; the answers are the same. Default true; false is for comparing the two.
   */
  grpcUnaryFastPath?: boolean;
}

export interface CloseOptions {
  /**
   * Destroy connections still open this long from now, ms, when that is sooner than the
   * deadline already set. Default: the server's `closeTimeoutMs` from the first call.
   */
  forceAfterMs?: number;
}

export interface Server {
  /** Bind both ports (port 0 picks a free one) and report the ports actually bound. */
  listen(): Promise<{ grpcPort: number; httpPort: number }>;
  /** Health (gRPC and `/api/ping`) reports SERVING, or NOT_SERVING once set false. Starts serving. */
  setServing(serving: boolean): void;
  /**
   * Read the TLS files again and serve new connections with them (also done by itself when the
   * files change). A file that cannot be read or does not make a valid key pair leaves the
   * current ones in place: the promise rejects with why. Resolves at once without TLS.
   */
  reloadTls(): Promise<void>;
  /** Whether the listeners serve TLS. */
  readonly tls: boolean;
  /**
   * Stop accepting connections, send GOAWAY to HTTP/2 sessions, close idle HTTP/1.1
   * connections and end health Watch streams; in-flight requests go on. Resolves once both
   * listeners are closed. Connections still open after `closeTimeoutMs` are destroyed. Calling
   * it again returns the same promise, closes connections that have gone idle since, and may
   * bring the deadline forward (`forceAfterMs`). From the first call on, an unexpected error in
   * a handler answers UNAVAILABLE rather than INTERNAL.
   */
  close(options?: CloseOptions): Promise<void>;
}

/** Beyond the coordinator's shutdown deadline: time for the last answers to reach their clients. */
const closeMarginMs = 5000;

/**
 * HTTP/1.1 keep-alive is capped at this, ms. An idle HTTP/1.1 connection holds a socket for one
 * client request at a time, so the HTTP/2 idle timeout (5 minutes by default) would be wasteful;
 * 65 s stays above the 60 s idle timeout of common proxies and load balancers (AWS ALB, nginx
 * upstream pools), so the proxy, not Concord, closes first and never reuses a dying connection.
 */
const maxHttp1KeepAliveMs = 65_000;

/**
 * Create (but do not bind) the gRPC and HTTP listeners. With `tlsCert` in the config both serve
 * TLS; with `tlsClientCa` too they ask for client certificates (a call without one can still
 * authenticate with a token). Throws when the TLS files cannot be read.
 */
export function createServer(options: ServerOptions): Server {
  const { config, logger } = options;
  const tls: ListenerTls | undefined = config.tlsCert === undefined ? undefined : loadListenerTls(config);
  const closeTimeoutMs = options.closeTimeoutMs ?? shutdownDeadlineMs(config) + closeMarginMs;
  const health = createHealth(true);
  let closing: Promise<void> | undefined;
  const handler = createRequestHandler({
    routes(router) {
      options.routes(router);
      health.register(router);
      registerReflection(router);
    },
    httpRoutes: [pingRoute(health), ...(options.httpRoutes ?? [])],
    interceptors: [createRpcInterceptor({ logger, shuttingDown: () => closing !== undefined }), createAccessInterceptor()],
    readMaxBytes: limits.maxRequestBytes,
    logger,
    ...(options.authenticator ? { authenticator: options.authenticator } : {}),
    ...(options.grpcUnaryFastPath === undefined ? {} : { grpcUnaryFastPath: options.grpcUnaryFastPath }),
  });

  // A TLS handshake that never completes is held to the same deadline as a silent connection.
  const tlsOptions = tls === undefined ? undefined : { ...tls.options, handshakeTimeout: config.handshakeTimeoutMs };
  const h2 = tlsOptions === undefined ? http2.createServer({}, handler) : http2.createSecureServer(tlsOptions, handler);
  const sessions = manageHttp2Sessions(h2, {
    handshakeTimeoutMs: config.handshakeTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
    keepaliveIntervalMs: config.keepaliveIntervalMs,
    keepaliveTimeoutMs: config.keepaliveTimeoutMs,
    logger,
  });
  // A broken client connection is the client's problem; log it instead of letting the error
  // event go unhandled.
  h2.on("sessionError", (err) => logger.debug("http2 session error", { error: err }));
  const h1Options = {
    // The HTTP/1.1 "handshake" is a request's headers. Node times them only once a request
    // has begun; a socket that sends nothing at all is timed by awaitingHeaders below.
    headersTimeout: config.handshakeTimeoutMs,
    // Receiving the whole request (not answering it: wait_result may take long). Node's default,
    // raised when the handshake allowance is longer, since Node requires headers ≤ request.
    requestTimeout: Math.max(300_000, config.handshakeTimeoutMs),
    keepAliveTimeout: config.idleTimeoutMs === 0 ? 0 : Math.min(config.idleTimeoutMs, maxHttp1KeepAliveMs),
    // How often Node checks those two deadlines (default 30 s, far coarser than a short handshake).
    connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(config.handshakeTimeoutMs / 4))),
  };
  const h1: http.Server = tlsOptions === undefined ? http.createServer(h1Options, handler) : https.createServer({ ...h1Options, ...tlsOptions }, handler);
  const stopWatchingTls = tls === undefined ? undefined : watchListenerTls(config, [h2 as http2.Http2SecureServer, h1 as https.Server], { logger, intervalMs: options.tlsWatchIntervalMs ?? 5000 });

  // Sockets that have not yet sent a complete request head, with their deadline. Over TLS the
  // socket requests arrive on is the TLS one, once its handshake (under its own deadline) is done.
  const awaitingHeaders = new Map<Socket, NodeJS.Timeout>();
  h1.on(tlsOptions === undefined ? "connection" : "secureConnection", (socket: Socket) => {
    const timer = setTimeout(() => {
      logger.debug("http connection sent no request headers in time; closing it", { remote: socket.remoteAddress });
      socket.destroy();
    }, config.handshakeTimeoutMs);
    timer.unref();
    awaitingHeaders.set(socket, timer);
    socket.once("close", () => {
      clearTimeout(timer);
      awaitingHeaders.delete(socket);
    });
  });
  h1.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    // While closing, a connection whose answer has gone out is idle: let it go at once rather
    // than at the keep-alive timeout or the force deadline.
    res.once("finish", () => {
      if (closing !== undefined) setImmediate(() => h1.closeIdleConnections());
    });
    const timer = awaitingHeaders.get(req.socket);
    if (timer === undefined) return;
    clearTimeout(timer);
    awaitingHeaders.delete(req.socket);
  });

  let force: NodeJS.Timeout | undefined;
  let forceAt = Infinity;
  const scheduleForce = (ms: number) => {
    if (Date.now() + ms >= forceAt) return;
    forceAt = Date.now() + ms;
    clearTimeout(force);
    force = setTimeout(() => {
      logger.warn("connections still open at shutdown; destroying them", { http2Sessions: sessions.size });
      sessions.destroyAll();
      h1.closeAllConnections();
    }, ms);
    force.unref();
  };

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
    tls: tls !== undefined,
    async reloadTls() {
      await stopWatchingTls?.reload();
    },
    close(closeOptions = {}) {
      if (closing === undefined) {
        stopWatchingTls?.stop();
        health.shutdown();
        const closed = Promise.all([closeQuietly(h2), closeQuietly(h1)]);
        sessions.closeAll();
        h1.closeIdleConnections();
        scheduleForce(closeTimeoutMs);
        closing = closed.then(
          () => clearTimeout(force),
          (err: unknown) => {
            clearTimeout(force);
            throw err;
          },
        );
      } else {
        // Answers finished since the first call left keep-alive connections idle: close them now.
        h1.closeIdleConnections();
      }
      if (closeOptions.forceAfterMs !== undefined) scheduleForce(closeOptions.forceAfterMs);
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

/**
 * `/api/ping` for load balancers that speak plain HTTP: 200 while serving, else 503. The body
 * answers both Concord's check (`status`) and dtm's (`msg: pong`).
 */
function pingRoute(health: HealthState): HttpRoute {
  return {
    methods: ["GET", "HEAD"],
    path: "/api/ping",
    access: "open",
    handle() {
      const serving = health.serving();
      return { status: serving ? 200 : 503, json: serving ? { status: "ok", msg: "pong" } : { status: "not_serving" } };
    },
  };
}
