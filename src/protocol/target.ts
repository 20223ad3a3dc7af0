/**
 * Parsing of branch targets. Internal module.
 *
 * The API layer rejects a malformed target with INVALID_ARGUMENT before anything is stored, the
 * dispatcher parses again at call time to pick the transport of the target's scheme, and the SDK
 * parses its first-phase targets; all use this one parser so they can never disagree.
 *
 * One grammar per scheme: gRPC (`host:port/package.Service/Method`, written without a scheme
 * prefix, as dtm writes it; `grpcs://` before it for TLS, `dns:///` before the address to balance
 * calls over every address the name resolves to, both as `grpcs://dns:///host:port/…`), HTTP
 * (an `http://` or `https://` URL, called with dtm's HTTP protocol) and JSON-RPC
 * (`json-rpc+http://…?method=<name>`, an HTTP URL called with dtm's JSON-RPC 2.0 protocol). A
 * scheme is added here together with the transport that serves it: a target nothing can call must
 * not pass validation.
 */
import { isIPv4, isIPv6 } from "node:net";
import { Code } from "@connectrpc/connect";
import type { BranchOutcome } from "./outcome.js";

/** The schemes a branch target can name; a dispatcher must have a transport for each. */
export const targetSchemes = ["grpc", "http", "jsonrpc"] as const;
export type TargetScheme = (typeof targetSchemes)[number];

/** A parsed branch target: one shape per scheme, each with the `address` its circuit is kept by. */
export type ParsedTarget = GrpcTarget | HttpTarget | JsonRpcTarget;

/** `[grpcs://][dns:///]host:port/package.Service/Method`. */
export interface GrpcTarget {
  readonly scheme: "grpc";
  /** `host:port` as grpc-js expects it; an IPv6 host keeps its brackets (`[::1]:50051`). */
  readonly address: string;
  /** The gRPC method path, `/package.Service/Method`. */
  readonly method: string;
  /** `grpcs://`: the call goes over TLS (verified against the trusted roots), else plaintext h2c. */
  readonly tls: boolean;
  /** `dns:///`: calls go round-robin over every address the host resolves to, else to one (pick first). */
  readonly roundRobin: boolean;
}

/** An `http://` or `https://` URL. */
export interface HttpTarget {
  readonly scheme: "http";
  /**
   * The origin's `host:port`, the port spelt out even when it is the scheme's default (so
   * `http://bank/` and `http://bank:80/` share one circuit); an IPv6 host keeps its brackets.
   */
  readonly address: string;
  /** The URL as the WHATWG parser normalises it, without its fragment (never sent). */
  readonly url: string;
}

/**
 * `json-rpc+http(s)://host/path?method=<name>`: the HTTP URL after the prefix, called with a
 * JSON-RPC 2.0 request for `method` (dtm's JSON-RPC branch protocol).
 */
export interface JsonRpcTarget {
  readonly scheme: "jsonrpc";
  /** As an HTTP target's: the origin's `host:port`. */
  readonly address: string;
  /** The HTTP URL posted to, without the prefix (its `method` parameter kept, as dtm sends it). */
  readonly url: string;
  /** The JSON-RPC method: the URL's `method` query parameter. */
  readonly method: string;
}

/** What turns an HTTP URL into a JSON-RPC target. */
export const jsonRpcTargetPrefix = "json-rpc+";

/** What makes a gRPC target a TLS one: `grpcs://host:port/pkg.Service/Method`. */
export const grpcTlsPrefix = "grpcs://";

/** What makes a gRPC target balance over every address of its host: `dns:///host:port/pkg.Service/Method` (after `grpcs://`, if any). */
export const grpcDnsPrefix = "dns:///";

/** Longer URLs are refused: targets are stored per branch and shown by the admin API. */
export const maxHttpTargetLength = 2048;

// host (bracketed IPv6 or anything up to the first ':'), ':' port, then the method path.
const grpcPattern = /^(\[[^\]/]+\]|[^:/[\]]+):([0-9]{1,5})(\/.+)$/;
const identifier = "[A-Za-z_][A-Za-z0-9_]*";
// `/pkg.sub.Service/Method`: the package is optional, so `/Service/Method` is valid too.
const methodPattern = new RegExp(`^/${identifier}(\\.${identifier})*/${identifier}$`);
const dnsLabel = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Each scheme's grammar; the first that accepts a target names its scheme. */
const grammars: readonly ((target: string) => ParsedTarget | undefined)[] = [parseGrpcTarget, parseHttpTarget, parseJsonRpcTarget];
// The URL parser forgives what a stored target must not hold: surrounding or inner whitespace and
// control characters (it strips or percent-encodes them), so they are refused before it sees them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unsafeUrlCharacter = /[\s\x00-\x1f\x7f]/;

/**
 * What calling `target` comes to before any network: the parsed target to call, or the outcome
 * without a call — success for the empty target (a no-op), unknown INVALID_ARGUMENT for a
 * malformed one. The coordinator's dispatcher and the SDK's first-phase calls both start here.
 */
export function callableTarget(target: string): ParsedTarget | BranchOutcome {
  if (target === "") return { kind: "success", response: new Uint8Array(0) };
  return parseTarget(target) ?? { kind: "unknown", code: Code.InvalidArgument, message: `malformed branch target "${target}"` };
}

/**
 * Parse a branch target into its scheme and parts. Returns `undefined` for anything no scheme
 * accepts, including the empty target (which is valid, but has nothing to parse: see
 * {@link isValidTarget}).
 */
export function parseTarget(target: string): ParsedTarget | undefined {
  for (const grammar of grammars) {
    const parsed = grammar(target);
    if (parsed !== undefined) return parsed;
  }
  return undefined;
}

/** Whether `target` is acceptable for a branch: empty (a no-op that succeeds) or parseable. */
export function isValidTarget(target: string): boolean {
  return target === "" || parseTarget(target) !== undefined;
}

/**
 * The host and port of a parsed target's `address` (`host:port`, `[v6]:port`): the host without
 * brackets, the port as a number.
 */
export function splitAddress(address: string): { readonly host: string; readonly port: number } {
  const at = address.lastIndexOf(":");
  const host = address.slice(0, at);
  return { host: host.startsWith("[") ? host.slice(1, -1) : host, port: Number(address.slice(at + 1)) };
}

/**
 * `[grpcs://][dns:///]host:port/package.Service/Method`. The host may be a DNS name, an IPv4
 * address or a bracketed IPv6 address; the port is 1-65535.
 */
function parseGrpcTarget(target: string): ParsedTarget | undefined {
  const tls = target.startsWith(grpcTlsPrefix);
  const afterTls = tls ? target.slice(grpcTlsPrefix.length) : target;
  const roundRobin = afterTls.startsWith(grpcDnsPrefix);
  const match = grpcPattern.exec(roundRobin ? afterTls.slice(grpcDnsPrefix.length) : afterTls);
  if (match === null) return undefined;
  const [, host = "", port = "", method = ""] = match;
  if (!isValidHost(host) || !isValidPort(port) || !methodPattern.test(method)) return undefined;
  return { scheme: "grpc", address: `${host}:${port}`, method, tls, roundRobin };
}

/**
 * An `http://` or `https://` URL with a host and no credentials: targets are stored and shown,
 * and a password in one would leak through both.
 */
function parseHttpTarget(target: string): ParsedTarget | undefined {
  // The prefix test first: a gRPC target never pays for URL parsing.
  if (!target.startsWith("http://") && !target.startsWith("https://")) return undefined;
  if (target.length > maxHttpTargetLength || unsafeUrlCharacter.test(target)) return undefined;
  const url = urlOf(target);
  if (url === undefined) return undefined;
  // Read from the text, not the URL: the parser skips extra slashes (`http:///bank` has host
  // `bank`), and `http://@bank/` parses with an empty user name, yet holds a credential slot.
  const authority = target.slice(target.indexOf("//") + 2).split(/[/?#]/, 1)[0] ?? "";
  if (authority === "" || authority.includes("@") || url.username !== "" || url.password !== "") return undefined;
  const port = url.port === "" ? (url.protocol === "https:" ? "443" : "80") : url.port;
  url.hash = "";
  return { scheme: "http", address: `${url.hostname}:${port}`, url: url.href };
}

/** `json-rpc+` and an HTTP target whose URL has a non-empty `method` query parameter. */
function parseJsonRpcTarget(target: string): ParsedTarget | undefined {
  if (!target.startsWith(jsonRpcTargetPrefix)) return undefined;
  const http = parseHttpTarget(target.slice(jsonRpcTargetPrefix.length));
  if (http?.scheme !== "http") return undefined;
  const method = new URL(http.url).searchParams.get("method") ?? "";
  if (method === "") return undefined;
  return { scheme: "jsonrpc", address: http.address, url: http.url, method };
}

function urlOf(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function isValidHost(host: string): boolean {
  if (host.startsWith("[")) return isIPv6(host.slice(1, -1));
  if (host.length > 253) return false;
  const labels = host.split(".");
  // All-numeric labels read as an IPv4 address, so `999.1.1.1` must not pass as a DNS name.
  if (labels.every((l) => /^[0-9]+$/.test(l))) return isIPv4(host);
  return labels.every((l) => dnsLabel.test(l));
}

function isValidPort(port: string): boolean {
  // No leading zeros: one spelling per port keeps the per-address channel cache and breaker exact.
  if (port.length > 1 && port.startsWith("0")) return false;
  const n = Number(port);
  return n >= 1 && n <= 65535;
}
