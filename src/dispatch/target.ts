/**
 * Parsing of branch targets (`host:port/package.Service/Method`). Internal module.
 *
 * The API layer rejects a malformed target with INVALID_ARGUMENT before anything is stored, and
 * the dispatcher parses again at call time; both use this one parser so they can never disagree.
 */
import { isIPv4, isIPv6 } from "node:net";

/** A parsed branch target. */
export interface ParsedTarget {
  /** `host:port` as grpc-js expects it; an IPv6 host keeps its brackets (`[::1]:50051`). */
  readonly address: string;
  /** The gRPC method path, `/package.Service/Method`. */
  readonly method: string;
}

// host (bracketed IPv6 or anything up to the first ':'), ':' port, then the method path.
const targetPattern = /^(\[[^\]/]+\]|[^:/[\]]+):([0-9]{1,5})(\/.+)$/;
const identifier = "[A-Za-z_][A-Za-z0-9_]*";
// `/pkg.sub.Service/Method`: the package is optional, so `/Service/Method` is valid too.
const methodPattern = new RegExp(`^/${identifier}(\\.${identifier})*/${identifier}$`);
const dnsLabel = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Parse `host:port/package.Service/Method`. The host may be a DNS name, an IPv4 address or a
 * bracketed IPv6 address; the port is 1-65535. Returns `undefined` for anything else, including
 * the empty target (which is valid, but has nothing to parse: see {@link isValidTarget}).
 */
export function parseTarget(target: string): ParsedTarget | undefined {
  const match = targetPattern.exec(target);
  if (match === null) return undefined;
  const [, host = "", port = "", method = ""] = match;
  if (!isValidHost(host) || !isValidPort(port) || !methodPattern.test(method)) return undefined;
  return { address: `${host}:${port}`, method };
}

/** Whether `target` is acceptable for a branch: empty (a no-op that succeeds) or parseable. */
export function isValidTarget(target: string): boolean {
  return target === "" || parseTarget(target) !== undefined;
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
