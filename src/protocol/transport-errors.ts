/**
 * What a branch call that failed below the branch's own protocol is recorded as. Internal module.
 *
 * A transaction's `last_error` and `rollback_reason` are shown to whoever can read the
 * transaction, so they must not describe the network behind the coordinator: "ECONNREFUSED
 * 10.0.0.5:9" beside "Protocol error" beside a success would make branch targets a port scanner.
 * Every failure of the transport is one of a few fixed texts; the real error travels in the
 * outcome's `detail`, which the coordinator logs at debug and never stores. What the branch
 * service itself answered (a FAILURE, an HTTP status and its body, a gRPC status it sent) is
 * kept as it is.
 */
import { Code } from "@connectrpc/connect";
import type { BranchOutcome } from "./outcome.js";
import type { Refusal } from "./outbound-policy.js";

/** The fixed texts of transport failures. */
export const transportErrors = {
  /** Not connected, or the connection broke: refused, reset, DNS failure, no route, not speaking the protocol. */
  unreachable: "branch service unreachable",
  /** No answer within the call's deadline. */
  timedOut: "branch call timed out",
  /** The TLS handshake failed: an untrusted or mismatched certificate, or a client certificate the service refused. */
  tls: "TLS handshake with the branch service failed",
  /** The outbound policy refused the address the target resolved to (see outbound-policy.ts). */
  refused: "destination refused by the outbound policy",
  /** A failure nothing above explains. */
  failed: "branch connection failed",
} as const;

/** The outcome of a transport failure: a fixed text, with the real error as `detail`. */
export function transportFailure(kind: keyof typeof transportErrors, detail: string, refusedAddress?: string): BranchOutcome {
  return {
    kind: "unknown",
    code: kind === "timedOut" ? Code.DeadlineExceeded : kind === "failed" ? Code.Internal : Code.Unavailable,
    message: transportErrors[kind],
    detail,
    ...(refusedAddress === undefined ? {} : { refusedAddress }),
  };
}

/** Thrown (or handed to a socket) when the outbound policy refuses an address, before any connection is made. */
export class OutboundRefusedError extends Error {
  readonly code = "ERR_CONCORD_OUTBOUND_REFUSED";
  constructor(readonly refusal: Refusal) {
    super(refusal.reason);
    this.name = "OutboundRefusedError";
  }
}

/** The refusal behind an error, looking through `cause`s (undici and Node wrap socket errors). */
export function refusalOf(error: unknown): Refusal | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof OutboundRefusedError) return e.refusal;
  }
  return undefined;
}

/** The first Node/undici error code along an error and its causes. */
export function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; typeof e === "object" && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** An error and its causes on one line, for the debug log. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (!(e instanceof Error)) {
      parts.push(typeof e === "object" ? JSON.stringify(e) : String(e as string | number | boolean | bigint | symbol));
      break;
    }
    const code = (e as { code?: unknown }).code;
    parts.push(typeof code === "string" && !e.message.includes(code) ? `${code}: ${e.message}` : e.message);
  }
  return parts.join(" ← ");
}

// OpenSSL's verification codes (UNABLE_TO_VERIFY_LEAF_SIGNATURE, DEPTH_ZERO_SELF_SIGNED_CERT,
// CERT_HAS_EXPIRED, …), Node's (ERR_TLS_CERT_ALTNAME_INVALID) and handshake alerts (ERR_SSL_…).
const tlsErrorCode = /^ERR_(TLS|SSL)_|CERT|SIGNATURE|^EPROTO$/;
// grpc-js reports a failed handshake inside "No connection established. Last error: …".
const tlsErrorText = /certificate|\bSSL\b|\bTLS\b|handshake|self[- ]signed|altname|Hostname\/IP does not match|alert/i;

/** Whether a Node error code is a failed TLS handshake. */
export function isTlsErrorCode(code: string): boolean {
  return tlsErrorCode.test(code);
}

/** Whether a grpc-js status text tells of a failed TLS handshake (grpc-js keeps no code). */
export function isTlsErrorText(text: string): boolean {
  return tlsErrorText.test(text);
}
