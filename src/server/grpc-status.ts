/**
 * The gRPC status corrections both RPC paths apply: connect-es's (request-handler.ts) and the
 * unary fast path's (grpc-unary.ts), so that a client gets the same grpc-status and grpc-message
 * whichever path served it. Internal module.
 */
import { Code } from "@connectrpc/connect";

/** The message connect-es gives a request body `fromBinary` rejects (serialization.js). */
export const parseBinaryPrefix = "parse binary:";

/** What a protobuf body that does not parse is told (INVALID_ARGUMENT, not connect-es's INTERNAL). */
export function invalidBodyMessage(parseMessage: string): string {
  // Keep connect-es's wording after the field name: it says where the bytes went wrong.
  return `body: not a valid protobuf message (${parseMessage})`;
}

/**
 * gRPC trailers (or trailers-only headers) as connect-es set them: an INTERNAL "parse binary: …"
 * becomes INVALID_ARGUMENT naming the body. Other statuses are left as they are.
 */
export function correctGrpcStatus(trailer: Headers): void {
  const message = decodeGrpcMessage(trailer.get("grpc-status") === String(Code.Internal) ? trailer.get("grpc-message") : null);
  if (message?.startsWith(parseBinaryPrefix)) {
    trailer.set("grpc-status", String(Code.InvalidArgument));
    trailer.set("grpc-message", encodeGrpcMessage(invalidBodyMessage(message)));
  }
}

/**
 * Percent-encode a grpc-message the way the gRPC spec asks (only bytes outside printable ASCII,
 * and "%"): grpc-js decodes with decodeURI, which leaves encodeURIComponent's "%3A" as it is.
 */
export function encodeGrpcMessage(message: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(message)) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export function decodeGrpcMessage(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
