/**
 * HTTP branch calls with dtm's protocol (dtm-compat.md §4), answered as a branch outcome: the one
 * way Concord calls an HTTP branch, used by the coordinator's HTTP transport and by the SDK's
 * first-phase calls. Internal module.
 *
 * One undici `Agent` keeps a pool of keep-alive connections per origin for the life of the
 * caller, since a connection per call would cost a handshake each. Nothing here retries or fails
 * fast: that is the caller's policy (the dispatcher's circuit breaker, or none).
 *
 * With an outbound guard, every new connection resolves its host itself, checks every address
 * against the policy before connecting (Node's `lookup` hook, so the address checked is the
 * address connected to), and starts at the next address each time, so connections spread over
 * all the addresses of a name. A new policy gets a new agent: connections made under the old one
 * are not reused.
 */
import { Code } from "@connectrpc/connect";
import { Agent, buildConnector, type Dispatcher } from "undici";
import { randomUUID } from "node:crypto";
import type { LookupAddress, LookupOptions } from "node:dns";
import { isIP } from "node:net";
import { trustedRoots, type BranchTls } from "./branch-tls.js";
import { outcomeFromHttp, outcomeFromJsonRpc } from "./http-outcome.js";
import { branchMetadataKeys, branchQueryParameters, reservedMetadataPrefix } from "./metadata.js";
import type { BranchOutcome } from "./outcome.js";
import type { OutboundGuard, OutboundPolicy, ResolveHost } from "./outbound-policy.js";
import { describeError, errorCode, isTlsErrorCode, OutboundRefusedError, refusalOf, transportFailure } from "./transport-errors.js";

export interface HttpCallerOptions {
  /**
   * How long an idle keep-alive connection is kept, in milliseconds, unless the server's
   * `Keep-Alive: timeout=` asks for less. Default: 4000 (undici's).
   */
  readonly keepAliveTimeoutMs?: number;
  /** Connections per origin at most; further calls queue for one. Default: unlimited. */
  readonly connectionsPerOrigin?: number;
  /**
   * Bytes of a response body read at most; the rest is discarded. dtm only looks for words in
   * the body, and a branch's body is a short JSON object. Default: 65536.
   */
  readonly maxResponseBytes?: number;
  /** CA certificates trusted beside Node's roots, and the client certificate presented, on `https://` calls. Default: the roots, no client certificate. */
  readonly tls?: BranchTls;
  /** Check every connection's addresses against an outbound policy, after DNS. Default: no check (the SDK's first-phase calls). */
  readonly outbound?: OutboundGuard;
}

/** One call. */
export interface HttpBranchCall {
  /** The target's URL, as a parsed HTTP target's `url`. */
  readonly url: string;
  /** The body, sent as is; a non-empty one makes the call a POST. */
  readonly payload: Uint8Array;
  /**
   * The `dtm-*` keys become the `gid`, `trans_type`, `branch_id` and `op` query parameters (and
   * are not sent as headers); every other entry is sent as a header.
   */
  readonly metadata: Readonly<Record<string, string>>;
  /** Deadline of the whole call (connect, answer and body), in milliseconds from now. */
  readonly timeoutMs: number;
  /**
   * Call with dtm's JSON-RPC protocol instead: a POST of `{"jsonrpc":"2.0","method",
   * "params":{…payload, gid, trans_type, branch_id, op},"id"}` (the payload must be a JSON
   * object, or empty), answered by its `error` code.
   */
  readonly jsonRpcMethod?: string;
}

export interface HttpCaller {
  /** Never throws: every failure is an outcome. */
  call(call: HttpBranchCall): Promise<BranchOutcome>;
  /** Cancel the calls in flight and close every connection. Idempotent; later calls answer unknown UNAVAILABLE. */
  close(): void;
}

/** Errors of undici's own clocks, which can only fire at our deadline or after it. */
const timeoutErrorCodes = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/** Create a caller. Close it to release its connections and cancel calls in flight. */
export function createHttpCaller(options: HttpCallerOptions = {}): HttpCaller {
  const maxResponseBytes = options.maxResponseBytes ?? 65_536;
  const ca = trustedRoots(options.tls);
  const tlsOptions = {
    ...(ca === undefined ? {} : { ca }),
    ...(options.tls?.cert === undefined ? {} : { cert: options.tls.cert }),
    ...(options.tls?.key === undefined ? {} : { key: options.tls.key }),
  };
  const { outbound } = options;
  function newAgent(policy: OutboundPolicy | undefined): Agent {
    return new Agent({
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 4000,
      ...(options.connectionsPerOrigin === undefined ? {} : { connections: options.connectionsPerOrigin }),
      connect: policy === undefined || outbound === undefined ? tlsOptions : checkedConnector(policy, outbound.resolve, tlsOptions),
    });
  }
  let agentPolicy = outbound?.policy();
  let agent = newAgent(agentPolicy);
  /** The agent of the policy in force: a changed policy retires the old agent (its calls in flight finish). */
  function currentAgent(): Agent {
    const policy = outbound?.policy();
    if (policy !== agentPolicy) {
      const retired = agent;
      agentPolicy = policy;
      agent = newAgent(policy);
      retired.close().catch(() => undefined);
    }
    return agent;
  }
  const inFlight = new Set<AbortController>();
  let closed = false;

  async function invoke(call: HttpBranchCall, deadline: AbortController): Promise<BranchOutcome> {
    const url = new URL(call.url);
    const branchFields = Object.entries(branchQueryParameters).map(
      ([field, name]) => [name, call.metadata[branchMetadataKeys[field as keyof typeof branchQueryParameters]] ?? ""] as const,
    );
    const headers: Record<string, string> = { "content-type": "application/json" };
    for (const [key, value] of Object.entries(call.metadata)) {
      if (!key.startsWith(reservedMetadataPrefix)) headers[key] = value;
    }
    let body: Uint8Array | null;
    if (call.jsonRpcMethod !== undefined) {
      // JSON-RPC: the branch fields travel in `params`, next to the payload's own.
      const params = jsonRpcParams(call.payload);
      if (params === undefined) return { kind: "unknown", code: Code.InvalidArgument, message: "a JSON-RPC branch payload must be a JSON object" };
      body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", method: call.jsonRpcMethod, params: { ...params, ...Object.fromEntries(branchFields) }, id: randomUUID() }));
    } else {
      // `set`, as dtm's client does: the coordinator's values win over same-named ones of the URL.
      for (const [name, value] of branchFields) url.searchParams.set(name, value);
      // dtm's rule: XA's commit and rollback carry no payload yet must not be GETs.
      const post = call.payload.byteLength > 0 || call.metadata[branchMetadataKeys.transType] === "xa";
      body = post ? call.payload : null;
    }
    const response = await currentAgent().request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: body === null ? "GET" : "POST",
      headers,
      body,
      signal: deadline.signal,
      // undici's own per-phase clocks (300 s by default) must never outlast the deadline.
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
    });
    const answer = await readBounded(response.body, maxResponseBytes);
    return call.jsonRpcMethod === undefined ? outcomeFromHttp(response.statusCode, answer) : outcomeFromJsonRpc(response.statusCode, answer);
  }

  /** A thrown call as an outcome: a transport failure is one of the fixed texts (transport-errors.ts), the error itself its detail. */
  function outcomeOfError(error: unknown, timeoutMs: number, deadlinePassed: boolean): BranchOutcome {
    if (closed) return { kind: "unknown", code: Code.Canceled, message: "HTTP caller closed" };
    const refusal = refusalOf(error);
    if (refusal !== undefined) return transportFailure("refused", refusal.reason, refusal.address);
    const code = errorCode(error);
    const detail = describeError(error);
    if (deadlinePassed || (code !== undefined && timeoutErrorCodes.has(code))) return transportFailure("timedOut", `no answer within the ${timeoutMs} ms deadline: ${detail}`);
    // Our own request was malformed (a header undici refuses): about the call, not the service.
    if (code === "UND_ERR_INVALID_ARG") return { kind: "unknown", code: Code.InvalidArgument, message: `invalid branch call: ${error instanceof Error ? error.message : detail}` };
    if (code !== undefined && isTlsErrorCode(code)) return transportFailure("tls", detail);
    // Everything else with a code is the network's (ECONNREFUSED, ECONNRESET, ENOTFOUND, a closed socket, a parser error).
    return transportFailure(code === undefined ? "failed" : "unreachable", detail);
  }

  return {
    async call(call) {
      if (closed) return { kind: "unknown", code: Code.Unavailable, message: "HTTP caller closed" };
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), call.timeoutMs);
      inFlight.add(deadline);
      try {
        return await invoke(call, deadline);
      } catch (error) {
        return outcomeOfError(error, call.timeoutMs, deadline.signal.aborted);
      } finally {
        clearTimeout(timer);
        inFlight.delete(deadline);
      }
    },
    close() {
      if (closed) return;
      closed = true;
      for (const controller of inFlight) controller.abort();
      inFlight.clear();
      // destroy, not close: close would wait for calls in flight, which were just cancelled.
      agent.destroy().catch(() => undefined);
    },
  };
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * undici's connector, with every connection's addresses checked against `policy` first: a
 * literal address before connecting, a name in the `lookup` hook Node calls with it. One
 * connector per origin, so the hook knows the port (an entry may name one) and keeps the turn.
 */
function checkedConnector(policy: OutboundPolicy, resolve: ResolveHost, tlsOptions: buildConnector.BuildOptions): buildConnector.connector {
  const connectors = new Map<string, buildConnector.connector>();
  return (options, callback) => {
    const port = Number(options.port) || (options.protocol === "https:" ? 443 : 80);
    // Node connects to a literal address without a lookup: it is checked here instead.
    if (isIP(options.hostname) !== 0) {
      const refusal = policy.checkAddresses(options.hostname, port, [options.hostname]);
      if (refusal !== undefined) {
        callback(new OutboundRefusedError(refusal), null);
        return;
      }
    }
    const origin = `${options.protocol}//${options.hostname}:${port}`;
    let connector = connectors.get(origin);
    if (connector === undefined) {
      connector = buildConnector({ ...tlsOptions, lookup: checkedLookup(policy, resolve, port) });
      connectors.set(origin, connector);
    }
    connector(options, callback);
  };
}

/**
 * A `lookup` for `net.connect` that resolves with `resolve`, refuses the connection when any
 * address is refused, and otherwise answers every address starting one further each time.
 */
function checkedLookup(policy: OutboundPolicy, resolve: ResolveHost, port: number) {
  let turn = 0;
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (found) => {
        const refusal = policy.checkAddresses(hostname, port, found.map((a) => a.address));
        if (refusal !== undefined) return callback(new OutboundRefusedError(refusal), "");
        const family = options.family === 4 || options.family === "IPv4" ? 4 : options.family === 6 || options.family === "IPv6" ? 6 : undefined;
        const usable = family === undefined ? found : found.filter((a) => a.family === family);
        if (usable.length === 0) return callback(Object.assign(new Error(`${hostname} has no address to connect to`), { code: "ENOTFOUND" }), "");
        const start = turn++ % usable.length;
        const ordered = [...usable.slice(start), ...usable.slice(0, start)];
        if (options.all === true) return callback(null, ordered.map((a) => ({ address: a.address, family: a.family })));
        return callback(null, ordered[0]!.address, ordered[0]!.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, ""),
    );
  };
}

/** A JSON-RPC payload's fields: a JSON object's, none for an empty payload; undefined for anything else. */
function jsonRpcParams(payload: Uint8Array): Record<string, unknown> | undefined {
  if (payload.byteLength === 0) return {};
  try {
    const value: unknown = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** At most `limit` bytes of a body; stopping early destroys the rest (and its connection). */
async function readBounded(body: Dispatcher.ResponseData["body"], limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = limit - size;
    chunks.push(chunk.byteLength > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.byteLength, room);
    if (size >= limit) break;
  }
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  // A plain view, as the gRPC caller answers: a success's response is bytes, not a Buffer.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
