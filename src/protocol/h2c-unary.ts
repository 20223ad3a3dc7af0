/**
 * Unary gRPC calls over cleartext HTTP/2 straight on node:http2: the coordinator's branch calls to
 * `grpc://` targets whose addresses it has resolved and checked itself. Internal module of
 * grpc-caller.ts, which keeps grpc-js for everything else (TLS, `dns:///` round robin, the SDK).
 *
 * Why: a branch call through grpc-js passes its channel, load balancer, subchannel, filter stack
 * and call objects, and was the largest share of the coordinator's CPU per saga after the
 * incoming Submit. This sends the same bytes (HEADERS with `te: trailers`, `grpc-timeout` and the
 * metadata, one length-prefixed message) on one HTTP/2 session per address, and reads the answer
 * the same way grpc-js does: a status the service sent is its answer; anything the transport made
 * up (refused, reset, no status, not gRPC, the deadline) is a transport failure with a fixed text.
 * Nothing here retries: the dispatcher's breaker and backoff decide.
 */
import * as http2 from "node:http2";
import { Code } from "@connectrpc/connect";
import { outcomeFromStatus, type BranchOutcome } from "./outcome.js";
import { describeError, transportFailure } from "./transport-errors.js";

/** An idle session (no stream for this long) is closed, ms; the next call opens another. */
const sessionIdleMs = 300_000;
/** Largest answer read, as grpc-js's default receive limit. */
const maxResponseBytes = 4 * 1024 * 1024;

export interface H2cCall {
  /** `ip:port` (IPv6 in brackets) to connect to: an address the outbound policy checked. */
  readonly connectTo: string;
  /** `:authority`: the target's `host:port` as written. */
  readonly authority: string;
  /** `/package.Service/Method`. */
  readonly method: string;
  readonly payload: Uint8Array;
  /** Validated gRPC metadata as HTTP/2 headers (grpc-js's `Metadata.toHttp2Headers()`). */
  readonly headers: http2.OutgoingHttpHeaders;
  readonly timeoutMs: number;
}

export interface H2cUnaryCaller {
  call(call: H2cCall): Promise<BranchOutcome>;
  close(): void;
}

const { NGHTTP2_CANCEL } = http2.constants;

export function createH2cUnaryCaller(): H2cUnaryCaller {
  const sessions = new Map<string, http2.ClientHttp2Session>();
  const inFlight = new Set<http2.ClientHttp2Stream>();
  let closed = false;

  function sessionFor(connectTo: string): http2.ClientHttp2Session {
    const existing = sessions.get(connectTo);
    if (existing !== undefined && !existing.closed && !existing.destroyed) return existing;
    const session = http2.connect(`http://${connectTo}`);
    sessions.set(connectTo, session);
    const forget = () => {
      if (sessions.get(connectTo) === session) sessions.delete(connectTo);
    };
    // The streams on it report the error; the session's own is only logged by them.
    session.on("error", forget);
    session.on("goaway", forget);
    session.on("close", forget);
    session.setTimeout(sessionIdleMs, () => session.close());
    return session;
  }

  function open(call: H2cCall): http2.ClientHttp2Stream {
    const headers: http2.OutgoingHttpHeaders = {
      ...call.headers,
      ":method": "POST",
      ":scheme": "http",
      ":path": call.method,
      ":authority": call.authority,
      "content-type": "application/grpc",
      te: "trailers",
      "grpc-timeout": `${Math.max(1, Math.min(Math.ceil(call.timeoutMs), 99_999_999))}m`,
      "user-agent": "concord",
    };
    try {
      return sessionFor(call.connectTo).request(headers, { endStream: false });
    } catch {
      // A session that cannot take another stream (out of stream ids, closing): start a new one.
      sessions.get(call.connectTo)?.close();
      sessions.delete(call.connectTo);
      return sessionFor(call.connectTo).request(headers, { endStream: false });
    }
  }

  return {
    call(call) {
      if (closed) return Promise.resolve({ kind: "unknown", code: Code.Unavailable, message: "gRPC caller closed" });
      return new Promise<BranchOutcome>((resolve) => {
        let stream: http2.ClientHttp2Stream;
        try {
          stream = open(call);
        } catch (error) {
          resolve(transportFailure("unreachable", `UNAVAILABLE: ${describeError(error)}`));
          return;
        }
        inFlight.add(stream);
        let settled = false;
        let status: number | undefined;
        let grpcStatus: string | undefined;
        let grpcMessage: string | undefined;
        let contentType: string | undefined;
        let streamError: unknown;
        const chunks: Buffer[] = [];
        let received = 0;
        const done = (outcome: BranchOutcome) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          inFlight.delete(stream);
          resolve(outcome);
        };
        const timer = setTimeout(() => {
          done(transportFailure("timedOut", "Deadline exceeded"));
          stream.close(NGHTTP2_CANCEL);
        }, call.timeoutMs);
        const readStatus = (headers: http2.IncomingHttpHeaders) => {
          const s = headers["grpc-status"];
          if (typeof s === "string") grpcStatus = s;
          const m = headers["grpc-message"];
          if (typeof m === "string") grpcMessage = m;
        };
        stream.on("response", (headers) => {
          status = Number(headers[":status"]);
          contentType = headers["content-type"];
          readStatus(headers);
        });
        stream.on("trailers", readStatus);
        stream.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > maxResponseBytes + 5) {
            done({ kind: "unknown", code: Code.ResourceExhausted, message: `Received message larger than max (${received} vs ${maxResponseBytes})` });
            stream.close(NGHTTP2_CANCEL);
            return;
          }
          chunks.push(chunk);
        });
        stream.on("error", (error) => {
          streamError = error;
        });
        stream.on("close", () => {
          if (settled) return;
          done(answer(status, contentType, grpcStatus, grpcMessage, chunks, streamError, stream.rstCode));
        });
        const frame = Buffer.allocUnsafe(5 + call.payload.byteLength);
        frame[0] = 0;
        frame.writeUInt32BE(call.payload.byteLength, 1);
        frame.set(call.payload, 5);
        stream.end(frame);
      });
    },
    close() {
      if (closed) return;
      closed = true;
      for (const stream of inFlight) stream.close(NGHTTP2_CANCEL);
      inFlight.clear();
      for (const session of sessions.values()) session.destroy();
      sessions.clear();
    },
  };
}

/** What a finished stream says: the service's status and message, or how the transport failed. */
function answer(
  status: number | undefined,
  contentType: string | undefined,
  grpcStatus: string | undefined,
  grpcMessage: string | undefined,
  chunks: readonly Buffer[],
  streamError: unknown,
  rstCode: number | undefined,
): BranchOutcome {
  if (status === undefined) {
    // Never answered: not connected, or the connection went before the response headers.
    return transportFailure("unreachable", `UNAVAILABLE: ${streamError === undefined ? `stream closed (RST_STREAM ${rstCode ?? "?"})` : describeError(streamError)}`);
  }
  if (status !== 200 || contentType === undefined || !contentType.startsWith("application/grpc")) {
    return transportFailure("unreachable", `Received HTTP status code ${status} (content-type ${contentType ?? "none"})`);
  }
  if (grpcStatus === undefined) {
    return transportFailure("unreachable", streamError === undefined ? `No status information received (RST_STREAM ${rstCode ?? "?"})` : `Connection dropped: ${describeError(streamError)}`);
  }
  const code = Number(grpcStatus);
  const message = decodeMessage(grpcMessage ?? "");
  if (code !== 0) return outcomeFromStatus(Number.isInteger(code) ? code : Code.Unknown, message);
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  if (body.length < 5) return transportFailure("unreachable", "No message received");
  if (body[0] !== 0) return { kind: "unknown", code: Code.Internal, message: "Received a compressed message the call did not ask for" };
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) return transportFailure("unreachable", "Response message parsing error: a cut message");
  return outcomeFromStatus(0, "", new Uint8Array(body.buffer, body.byteOffset + 5, length));
}

/** `grpc-message` is percent-encoded (gRPC over HTTP/2); a malformed one is kept as sent. */
function decodeMessage(raw: string): string {
  if (!raw.includes("%")) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
