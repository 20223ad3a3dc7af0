/**
 * The gRPC port's fast path: unary RPCs sent as plain gRPC over HTTP/2, served on the HTTP/2
 * stream itself. Internal module.
 *
 * Why: connect-node serves a unary call through web `Headers`, a `URL`, chains of async
 * generators (split, decompress, parse, invoke, serialize, compress, join, catch) and Node's
 * HTTP/2 compatibility response; profiling put that at 270–310 µs of CPU per Submit, the hottest
 * part of the coordinator. This module reads the body from the stream, decodes the one envelope,
 * and calls the implementation through connect-es's own `invokeUnaryImplementation`, with the
 * same interceptors in the same order and a `HandlerContext` made by `createHandlerContext`.
 *
 * What it serves (`match`): HTTP/2, POST, content-type `application/grpc` or
 * `application/grpc+proto`, `grpc-encoding` absent or `identity`, a request with an authority,
 * and a unary method registered through `capture()` without per-service options (options may set
 * other limits or interceptors). Everything else keeps going through connect-es
 * (request-handler.ts), because it is rare or not unary and connect-es already answers it right:
 * streaming methods (health Watch, reflection), the Connect protocol, gRPC-Web, HTTP/1.1,
 * compressed requests (no decompressor here, and unknown encodings keep connect-es's answer),
 * the JSON codec (`application/grpc+json`), other methods than POST (405) and requests without
 * an authority (400).
 *
 * What it answers is what connect-es answers, built from connect-es's own pieces where they are
 * exported (`parseTimeout`, `compressionNegotiate`, `createMethodSerializationLookup`,
 * `envelopeCompress`, `setTrailerStatus`): the same response headers (content-type
 * `application/grpc+proto`, `grpc-encoding` when the client accepts gzip or br, what the handler
 * set), a body compressed from 1 KiB when so negotiated, the same trailers, the same errors and
 * in the same order (a bad grpc-timeout before the body is read; a too-large envelope as soon as
 * its header arrives, the rest of the body then left unread; a compressed envelope; a body that
 * does not parse, as request-handler.ts corrects it; none, two or an incomplete envelope), and
 * the signal aborted by the deadline, by the client's RST_STREAM (with connect-node's reasons)
 * and once the answer is made (there with one shared AbortError, see `abortedReason`).
 * test/grpc-unary.test.ts compares both paths request by request.
 */
import { Code, ConnectError, createHandlerContext, createServiceImplSpec, type ConnectRouter, type ContextValues, type Interceptor, type MethodImplSpec } from "@connectrpc/connect";
import {
  compressedFlag,
  compressionNegotiate,
  createMethodSerializationLookup,
  encodeEnvelope,
  envelopeCompress,
  invokeUnaryImplementation,
  validateReadWriteMaxBytes,
  type Compression,
  type EnvelopedMessage,
  type Serialization,
} from "@connectrpc/connect/protocol";
import { parseTimeout, setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import type { DescMessage, DescMethod, MessageShape } from "@bufbuild/protobuf";
import * as http2 from "node:http2";
import type { IncomingHttpHeaders } from "node:http";
import type { Logger } from "../logger.js";
import { correctGrpcStatus } from "./grpc-status.js";

export interface GrpcUnaryOptions {
  /** The router's interceptors, outermost first. */
  interceptors: Interceptor[];
  /** Largest request message, bytes (the router's `readMaxBytes`). */
  readMaxBytes: number;
  /** The router's compressions: the fast path uses them for responses only. */
  acceptCompression: Compression[];
  logger: Logger;
}

/** A unary method the fast path serves. */
interface UnaryMethod {
  readonly spec: MethodImplSpec & { kind: "unary" };
  readonly input: Serialization<MessageShape<DescMessage>>;
  readonly output: Serialization<MessageShape<DescMessage>>;
  /** `package.Service/Method`, for the log. */
  readonly name: string;
}

export interface GrpcUnary {
  /**
   * The router to register services on: it registers them on `router` as well, and records the
   * unary methods registered without options (options may change limits or interceptors).
   */
  capture(router: ConnectRouter): ConnectRouter;
  /** The method to serve `req` with on the fast path, or undefined when connect-es serves it. */
  match(path: string, req: NodeRequest): UnaryMethod | undefined;
  /** Serve `req` (matched) on its HTTP/2 stream; `contextValues` carry the caller. */
  serve(method: UnaryMethod, req: http2.Http2ServerRequest, contextValues: ContextValues | undefined): void;
}

type NodeRequest = { readonly headers: IncomingHttpHeaders; readonly method?: string | undefined };

/** connect-es's gRPC content types for the binary codec (its regular expression is case-insensitive). */
const binaryGrpcType = /^application\/grpc(?:\+proto)?$/i;
/** connect-es's default: no request timeout is too long. */
const maxTimeoutMs = Number.MAX_SAFE_INTEGER;
/** RST_STREAM codes connect-node maps to a status (node-error.js), for the signal's reason. */
const resetCodes: Readonly<Record<number, readonly [string, Code]>> = {
  1: ["PROTOCOL_ERROR", Code.Internal],
  2: ["INTERNAL_ERROR", Code.Internal],
  3: ["FLOW_CONTROL_ERROR", Code.Internal],
  4: ["SETTINGS_TIMEOUT", Code.Internal],
  6: ["FRAME_SIZE_ERROR", Code.Internal],
  7: ["REFUSED_STREAM", Code.Unavailable],
  8: ["CANCEL", Code.Canceled],
  9: ["COMPRESSION_ERROR", Code.Internal],
  10: ["CONNECT_ERROR", Code.Internal],
  11: ["ENHANCE_YOUR_CALM", Code.ResourceExhausted],
  12: ["INADEQUATE_SECURITY", Code.PermissionDenied],
  13: ["HTTP_1_1_REQUIRED", Code.PermissionDenied],
};

/**
 * The reason a signal aborted without one gets: the AbortError Node would make, made once. A
 * fresh DOMException per call (connect-es aborts every context once its answer is made, and
 * connect-node every request signal when the stream closes) was a tenth of the path's CPU.
 */
const abortedReason = new DOMException("This operation was aborted", "AbortError");

export function createGrpcUnary(options: GrpcUnaryOptions): GrpcUnary {
  const { interceptors, acceptCompression, logger } = options;
  const limits = validateReadWriteMaxBytes(options.readMaxBytes, undefined, undefined);
  const { readMaxBytes, compressMinBytes } = limits;
  const methods = new Map<string, UnaryMethod>();
  // The router's JSON options do not matter here: only the binary codec is served.
  const record = (spec: MethodImplSpec) => {
    if (spec.kind !== "unary") return;
    const serialization = createMethodSerializationLookup(spec.method, undefined, undefined, limits);
    const name = `${spec.method.parent.typeName}/${spec.method.name}`;
    methods.set(`/${name}`, { spec, input: serialization.getI(true), output: serialization.getO(true), name });
  };

  return {
    capture(router) {
      const captured: ConnectRouter = {
        get handlers() {
          return router.handlers;
        },
        service(service, implementation, serviceOptions) {
          router.service(service, implementation, serviceOptions);
          if (serviceOptions === undefined) for (const spec of Object.values(createServiceImplSpec(service, implementation).methods)) record(spec);
          return captured;
        },
        rpc(method: DescMethod, impl: unknown, rpcOptions?: unknown) {
          (router.rpc as (m: DescMethod, i: unknown, o?: unknown) => void)(method, impl, rpcOptions);
          // A method registered twice is served by its first registration, as the router does.
          if (rpcOptions === undefined && !methods.has(`/${method.parent.typeName}/${method.name}`)) {
            record({ kind: method.methodKind, method, impl } as MethodImplSpec);
          }
          return captured;
        },
      } as ConnectRouter;
      return captured;
    },

    match(path, req) {
      const method = methods.get(path);
      if (method === undefined || req.method !== "POST" || !("stream" in req) || (req as http2.Http2ServerRequest).authority === undefined) return undefined;
      const { headers } = req;
      const encoding = headers["grpc-encoding"];
      if (encoding !== undefined && encoding !== "identity") return undefined;
      return binaryGrpcType.test(headers["content-type"] ?? "") ? method : undefined;
    },

    serve(method, req, contextValues) {
      const { stream, headers } = req;
      const requestAbort = new AbortController();
      stream.once("close", () => requestAbort.abort(resetError(stream.rstCode) ?? abortedReason));
      const timeout = parseTimeout(single(headers["grpc-timeout"]), maxTimeoutMs);
      const encrypted = "encrypted" in req.socket && req.socket.encrypted;
      const context = createHandlerContext({
        // connect-es spreads its method spec (kind, method, impl) into the context too.
        ...method.spec,
        service: method.spec.method.parent,
        requestMethod: "POST",
        protocolName: "grpc",
        timeoutMs: timeout.timeoutMs,
        shutdownSignal: undefined,
        requestSignal: requestAbort.signal,
        requestHeader: headerPairs(headers),
        url: new URL(req.url, `${encrypted ? "https" : "http"}://${req.authority}`).toString(),
        responseHeader: { "content-type": "application/grpc+proto" },
        responseTrailer: { "grpc-status": "0" },
        contextValues,
      });
      const compression = compressionNegotiate(acceptCompression, null, single(headers["grpc-accept-encoding"]), "grpc-accept-encoding").response;
      if (compression) context.responseHeader.set("grpc-encoding", compression.name);

      let done = false;
      /** Answer `error` (any throw; connect-es calls what is not a ConnectError "internal error"). */
      const fail = (error: unknown) => {
        if (done) return;
        done = true;
        stopReading();
        context.abort(error);
        const status = error instanceof ConnectError ? error : new ConnectError("internal error", Code.Internal, undefined, undefined, error);
        setTrailerStatus(context.responseTrailer, status);
        correctGrpcStatus(context.responseTrailer);
        respond(stream, context, undefined, method, logger);
      };
      const succeed = async (message: MessageShape<DescMessage>) => {
        let envelope: EnvelopedMessage = { flags: 0, data: method.output.serialize(message) };
        if (compression) envelope = await envelopeCompress(envelope, compression, compressMinBytes);
        if (done) return;
        done = true;
        context.abort(abortedReason);
        respond(stream, context, encodeEnvelope(envelope.flags, envelope.data), method, logger);
      };
      const invoke = (input: MessageShape<DescMessage>) => {
        invokeUnaryImplementation(method.spec, context, input, interceptors).then(succeed).catch(fail);
      };

      // The body: envelopes of a 5-byte header (flags, length) and the message. The first one
      // is decoded as soon as it is complete; the call runs once the client ends its stream.
      const chunks: Buffer[] = [];
      let buffered = 0;
      let pending: { flags: number; length: number } | undefined;
      let count = 0;
      let input: MessageShape<DescMessage> | undefined;
      const take = (n: number): Buffer => {
        const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
        chunks.length = 0;
        if (all.byteLength > n) chunks.push(all.subarray(n));
        buffered -= n;
        return all.subarray(0, n);
      };
      const envelope = (flags: number, data: Uint8Array) => {
        count++;
        if ((flags & compressedFlag) === compressedFlag) {
          // No encoding was negotiated: connect-es's envelopeDecompress() answers this.
          throw new ConnectError("received compressed envelope, but do not know how to decompress", Code.Internal);
        }
        const message = method.input.parse(data);
        if (count === 1) input = message;
        else throw new ConnectError("protocol error: received extra input message for unary method", Code.Unimplemented);
      };
      const onData = (chunk: Buffer) => {
        if (done) return;
        chunks.push(chunk);
        buffered += chunk.byteLength;
        try {
          for (;;) {
            if (pending === undefined) {
              if (buffered < 5) return;
              const header = take(5);
              pending = { flags: header[0]!, length: header.readUInt32BE(1) };
              if (pending.length > readMaxBytes) {
                throw new ConnectError(`message size ${pending.length} is larger than configured readMaxBytes ${readMaxBytes}`, Code.ResourceExhausted);
              }
            }
            if (buffered < pending.length) return;
            const { flags, length } = pending;
            pending = undefined;
            // A plain Uint8Array copy, as connect-es makes: bytes fields are views into it, so
            // they must be neither Buffers nor pins on the stream's chunks.
            const data = new Uint8Array(length);
            data.set(take(length));
            envelope(flags, data);
            if (done) return;
          }
        } catch (err) {
          fail(err);
        }
      };
      let ended = false;
      const onEnd = () => {
        ended = true;
        if (done) return;
        if (buffered > 0 || pending !== undefined) fail(new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument));
        else if (input === undefined) fail(new ConnectError("protocol error: missing input message for unary method", Code.Unimplemented));
        else invoke(input);
      };
      // Closed (reset) before the request ended: connect-node reads that as the body's end, so
      // a complete message is still handed to the handler, its signal already aborted.
      const onClose = () => {
        if (!ended) onEnd();
      };
      const stopReading = () => {
        stream.off("data", onData);
        stream.off("end", onEnd);
        stream.off("close", onClose);
        // What is still on its way stays unread, as with connect-es; HTTP/2 flow control holds the client.
        if (!stream.destroyed) stream.pause();
      };
      // A bad grpc-timeout is answered before any of the body is read, as connect-es does.
      if (timeout.error) {
        fail(timeout.error);
        return;
      }
      stream.on("data", onData);
      stream.on("end", onEnd);
      stream.on("close", onClose);
    },
  };
}

/**
 * Headers, then the message (if any), then trailers, as connect-node writes them (no
 * trailers-only answer). Node's compatibility response listens for `wantTrailers` to send its own
 * (empty) trailers; this answer replaces it on the stream.
 */
function respond(stream: http2.ServerHttp2Stream, context: { responseHeader: Headers; responseTrailer: Headers }, body: Uint8Array | undefined, method: UnaryMethod, logger: Logger): void {
  if (stream.destroyed || stream.closed || stream.headersSent) return;
  try {
    const headers = nodeHeaders(context.responseHeader);
    headers[":status"] = 200;
    const trailers = nodeHeaders(context.responseTrailer);
    stream.removeAllListeners("wantTrailers");
    stream.once("wantTrailers", () => {
      try {
        stream.sendTrailers(trailers);
      } catch (err) {
        logger.warn("writing an rpc answer failed", { method: method.name, error: err });
        stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      }
    });
    stream.respond(headers, { waitForTrailers: true });
    stream.end(body);
  } catch (err) {
    // A header value Node refuses (set by a handler): nothing valid can be sent any more.
    logger.warn("writing an rpc answer failed", { method: method.name, error: err });
    if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  }
}

/** The signal's reason for a stream closed with `rstCode`, as connect-node gives it. */
function resetError(rstCode: number): ConnectError | undefined {
  const reset = resetCodes[rstCode];
  if (reset === undefined) return undefined;
  return new ConnectError(`http/2 stream closed with error code ${reset[0]} (0x${rstCode.toString(16)})`, reset[1]);
}

function single(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return typeof value === "string" ? value : value.join(", ");
}

/** Request headers as connect-node hands them to handlers (pseudo-headers left out). */
function headerPairs(headers: IncomingHttpHeaders): [string, string][] {
  const pairs: [string, string][] = [];
  for (const key in headers) {
    if (key.startsWith(":")) continue;
    const value = headers[key];
    if (value === undefined) continue;
    if (typeof value === "string") pairs.push([key, value]);
    else if (typeof value === "number") pairs.push([key, String(value)]);
    else for (const v of value) pairs.push([key, v]);
  }
  return pairs;
}

/** Web headers as connect-node writes them to Node (webHeaderToNodeHeaders). */
function nodeHeaders(headers: Headers): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = Object.create(null) as http2.OutgoingHttpHeaders;
  headers.forEach((value, key) => {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[key] = [String(existing), value];
  });
  return out;
}
