/**
 * Plain HTTP routes served beside the RPCs on both ports: `/api/ping` today, dtm's
 * `/api/dtmsvr/*` and `/metrics` later. Whoever owns a route registers it through
 * `ServerOptions.httpRoutes`; the server only matches and answers. Internal module.
 */
import type { IncomingHttpHeaders } from "node:http";
import { Code, ConnectError } from "@connectrpc/connect";
import { openAccess, type Principal } from "../auth/index.js";
import type { Logger } from "../logger.js";

export interface HttpRoute {
  /** Methods served, upper case (`["GET", "HEAD"]`). Another method on this path answers 405. */
  readonly methods: readonly string[];
  /** The path served, e.g. `/api/ping`; with `prefix`, every path starting with it (`/api/dtmsvr/`). */
  readonly path: string;
  /** Match `path` as a prefix. Default false. The longest matching prefix wins; an exact route beats any prefix. */
  readonly prefix?: boolean;
  /**
   * `open`: served without credentials (`/api/ping`, the console's files). Default
   * `authenticated`: with authentication on, a caller without valid credentials gets 401 and the
   * route never runs; the route checks scopes itself (`request.principal`).
   */
  readonly access?: "open" | "authenticated";
  /**
   * Answer one request. Throw an `HttpError` for a deliberate error answer; any other throw
   * answers 500 `internal` and is logged.
   */
  handle(request: HttpRouteRequest): HttpRouteResponse | Promise<HttpRouteResponse>;
}

export interface HttpRouteRequest {
  /** Upper case. */
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Node's lower-cased request headers. */
  readonly headers: IncomingHttpHeaders;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  /** Who is calling ({@link openAccess} when authentication is off). */
  readonly principal: Principal;
  /** The whole body; a body over the server's request limit throws `HttpError` 413. */
  body(): Promise<Uint8Array>;
  /** The body parsed as JSON; malformed JSON throws `HttpError` 400 `invalid_argument`. */
  json(): Promise<unknown>;
}

export interface HttpRouteResponse {
  /** Default 200. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON body, sent with `content-type: application/json`. */
  readonly json?: unknown;
  /** A raw body (set `content-type` in `headers`); ignored when `json` is set. */
  readonly body?: string | Uint8Array;
}

/** A deliberate error answer: status plus a Connect-style `{code, message}` JSON body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** The node request and response shapes http and http2 compat share, as far as routes need them. */
export interface NodeRequest extends AsyncIterable<Buffer | string> {
  readonly method?: string;
  readonly url?: string;
  readonly headers: IncomingHttpHeaders;
  once(event: "close", listener: () => void): unknown;
}
export interface NodeResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: string | Uint8Array): unknown;
  readonly headersSent: boolean;
  once(event: "close", listener: () => void): unknown;
}

/** Find the route for `path`: an exact route first, else the longest matching prefix route. */
export function matchHttpRoute(routes: readonly HttpRoute[], path: string): HttpRoute | undefined {
  let best: HttpRoute | undefined;
  for (const route of routes) {
    if (!route.prefix) {
      if (route.path === path) return route;
    } else if (path.startsWith(route.path) && (best === undefined || route.path.length > best.path.length)) {
      best = route;
    }
  }
  return best;
}

/** Answer `req` with `route`; never throws (errors become JSON answers). */
export async function serveHttpRoute(
  route: HttpRoute,
  req: NodeRequest,
  res: NodeResponse,
  options: { maxBodyBytes: number; logger: Logger; principal?: Principal },
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const method = (req.method ?? "GET").toUpperCase();
  const head = method === "HEAD";
  if (!route.methods.includes(method)) {
    sendJson(res, 405, { code: "unimplemented", message: `${method} is not allowed on ${url.pathname}; use ${route.methods.join(", ")}` }, head, {
      allow: route.methods.join(", "),
    });
    return;
  }
  const abort = new AbortController();
  res.once("close", () => abort.abort());
  let body: Promise<Uint8Array> | undefined;
  const request: HttpRouteRequest = {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    signal: abort.signal,
    principal: options.principal ?? openAccess,
    body: () => (body ??= readBody(req, options.maxBodyBytes)),
    async json() {
      const bytes = await request.body();
      try {
        return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
      } catch (err) {
        throw new HttpError(400, "invalid_argument", `body: malformed JSON: ${(err as Error).message}`);
      }
    },
  };
  try {
    const answer = await route.handle(request);
    const status = answer.status ?? 200;
    if (answer.json !== undefined) {
      sendJson(res, status, answer.json, head, answer.headers);
    } else {
      const bytes = typeof answer.body === "string" ? Buffer.from(answer.body) : (answer.body ?? new Uint8Array());
      res.writeHead(status, { ...answer.headers, "content-length": String(bytes.byteLength) });
      res.end(head ? undefined : bytes);
    }
  } catch (err) {
    if (res.headersSent) return;
    if (err instanceof HttpError) {
      sendJson(res, err.status, { code: err.code, message: err.message }, head);
      return;
    }
    if (err instanceof ConnectError && err.code === Code.PermissionDenied) {
      sendJson(res, 403, { code: "permission_denied", message: err.rawMessage }, head);
      return;
    }
    options.logger.error("unexpected error in http route", { path: url.pathname, error: err, stack: err instanceof Error ? err.stack : undefined });
    sendJson(res, 500, { code: "internal", message: "internal error" }, head);
  }
}

async function readBody(req: NodeRequest, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += buf.byteLength;
    if (size > maxBytes) throw new HttpError(413, "resource_exhausted", `body: larger than ${maxBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Write a JSON answer (headers only for HEAD). */
export function sendJson(res: NodeResponse, status: number, body: unknown, head = false, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(head ? undefined : text);
}
