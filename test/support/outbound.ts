/**
 * The outbound policy of tests whose branch services listen on loopback, which the production
 * default refuses.
 */
import { createOutboundPolicy, type OutboundPolicy, type ResolvedAddress, type ResolveHost } from "../../src/protocol/index.js";

/** Any host, and every loopback address and name. A test of the default sets `allowTargets: undefined`. */
export const loopbackAllowTargets: readonly string[] = ["*", "localhost", "127.0.0.0/8", "::1/128"];

/** The policy of {@link loopbackAllowTargets}, for dispatchers built outside a coordinator. */
export function loopbackPolicy(): OutboundPolicy {
  return createOutboundPolicy(loopbackAllowTargets);
}

/**
 * A resolver answering from a table the test changes as it goes (there is no DNS server to
 * change); a name not in it is ENOTFOUND. Counts the lookups of each name.
 */
export function tableResolver(initial: Record<string, readonly string[]> = {}): ResolveHost & {
  set(name: string, addresses: readonly string[]): void;
  lookups(name: string): number;
} {
  const table = new Map(Object.entries(initial));
  const counts = new Map<string, number>();
  const resolve = async (name: string): Promise<readonly ResolvedAddress[]> => {
    counts.set(name, (counts.get(name) ?? 0) + 1);
    const addresses = table.get(name);
    if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: "ENOTFOUND", hostname: name });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return Object.assign(resolve, {
    set: (name: string, addresses: readonly string[]) => void table.set(name, addresses),
    lookups: (name: string) => counts.get(name) ?? 0,
  });
}
