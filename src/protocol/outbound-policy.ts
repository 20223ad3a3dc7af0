/**
 * The outbound policy: which destinations a branch call may reach, so that a transaction cannot
 * make the coordinator call its own host, the cloud metadata service or an internal address it
 * was not meant to (SSRF). Internal module.
 *
 * It is checked twice. When a target enters (Submit, Prepare, RegisterBranch, a topic
 * subscription), on static facts: literal addresses, names, ports, and DNS only when a name that
 * no name entry matches must be matched against address entries. And at call time, against every
 * address the target's name resolves to then, so a DNS change cannot get round it.
 *
 * The rules:
 * - A *protected* address is loopback (127.0.0.0/8, ::1), link-local (169.254.0.0/16, fe80::/10,
 *   home of the cloud metadata services), unspecified (0.0.0.0/8, ::), a known metadata address
 *   (169.254.169.254, fd00:ec2::254, 100.100.100.200), or the IPv4-mapped IPv6 form of any of
 *   them (`::ffff:127.0.0.1`). The names `localhost`, `*.localhost` and
 *   `metadata.google.internal` count as protected without asking DNS.
 * - No list (the production default): any destination but a protected one.
 * - A list: only the destinations it names. An entry is `*` (any host), `host` (that name
 *   exactly), `*.domain` (any name under the domain), an IP address or a CIDR; each but a CIDR
 *   may end in `:port` (`[v6]:port` for IPv6). A name passes when a name entry matches it, or,
 *   matching none, when every address it resolves to is covered by an address entry. A protected
 *   address still needs an address entry that covers it, or the name listed exactly (`localhost`).
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/** One address a name resolved to. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to every address it has, as the system resolver answers. */
export type ResolveHost = (host: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver (`getaddrinfo` through `dns.lookup`), every address in its order. */
export const lookupHost: ResolveHost = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** What a caller checks its connections with. */
export interface OutboundGuard {
  /** The policy in force, read for every connection (a config reload replaces it). */
  readonly policy: () => OutboundPolicy;
  /** How names are resolved before their addresses are checked. */
  readonly resolve: ResolveHost;
}

/** Why a destination is refused. */
export interface Refusal {
  /** One sentence for whoever sent the target: what was refused, by which rule, and which setting to change. */
  readonly reason: string;
  /** The address refused, when the refusal is about one (a literal or a resolved address). */
  readonly address?: string;
  /** Set when the destination could not be checked now (DNS did not answer): not a verdict, ask again later. */
  readonly transient?: boolean;
}

/** The policy in force. Immutable: a new list is a new policy. */
export interface OutboundPolicy {
  /** The entries it was built from; undefined for the production default. */
  readonly allowTargets: readonly string[] | undefined;
  /**
   * Check a destination as it enters (before anything is stored). Resolves `host` only when the
   * list has address entries that a name matching no name entry must be checked against.
   */
  admit(host: string, port: number, resolve: ResolveHost): Promise<Refusal | undefined>;
  /** Check the addresses `host` resolved to at call time (for a literal address, the address itself): the first refused one, or undefined. */
  checkAddresses(host: string, port: number, addresses: readonly string[]): Refusal | undefined;
}

/** Most call-time verdicts a policy keeps (destinations, as host, port and addresses). */
const maxRememberedChecks = 4096;

/** The setting that holds the list, as refusals and errors name it. */
export const allowTargetsSetting = "--allow-targets (CONCORD_ALLOW_TARGETS)";

type NameMatch = "exact" | "matched" | "none";

type NameEntry =
  | { readonly kind: "any"; readonly port: number | undefined }
  | { readonly kind: "exact"; readonly name: string; readonly port: number | undefined }
  | { readonly kind: "suffix"; readonly suffix: string; readonly port: number | undefined };

interface AddressEntry {
  readonly list: BlockList;
  readonly port: number | undefined;
}

/** Protected ranges by what they are, the most specific first (the metadata address is also link-local). */
const protectedRanges: readonly (readonly [kind: string, cidrs: readonly string[]])[] = [
  ["cloud metadata", ["169.254.169.254/32", "fd00:ec2::254/128", "100.100.100.200/32"]],
  ["loopback", ["127.0.0.0/8", "::1/128"]],
  ["link-local", ["169.254.0.0/16", "fe80::/10"]],
  ["unspecified", ["0.0.0.0/8", "::/128"]],
];
// BlockList matches an IPv4-mapped IPv6 address (::ffff:127.0.0.1) against IPv4 rules by itself.
const protectedLists: readonly (readonly [string, BlockList])[] = protectedRanges.map(([kind, cidrs]) => {
  const list = new BlockList();
  for (const cidr of cidrs) addCidr(list, cidr);
  return [kind, list] as const;
});

const dnsLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The policy of an `allowTargets` setting (undefined: the production default). Throws an Error
 * naming the setting and every bad entry with what is wrong with it.
 */
export function createOutboundPolicy(allowTargets?: readonly string[]): OutboundPolicy {
  const names: NameEntry[] = [];
  const addresses: AddressEntry[] = [];
  const problems: string[] = [];
  if (allowTargets !== undefined && allowTargets.length === 0) problems.push("the list is empty (leave it unset for the default)");
  for (const text of allowTargets ?? []) {
    const entry = parseEntry(text);
    if (typeof entry === "string") problems.push(`"${text}": ${entry}`);
    else if ("list" in entry) addresses.push(entry);
    else names.push(entry);
  }
  if (problems.length > 0) throw new Error(`${allowTargetsSetting}: ${problems.join("; ")}`);
  const listed = allowTargets !== undefined;

  function nameMatch(name: string, port: number): NameMatch {
    let match: NameMatch = "none";
    for (const entry of names) {
      if (entry.port !== undefined && entry.port !== port) continue;
      if (entry.kind === "exact") {
        if (entry.name === name) return "exact";
      } else if (entry.kind === "any" || (name.endsWith(entry.suffix) && name.length > entry.suffix.length)) {
        match = "matched";
      }
    }
    return match;
  }

  function covered(address: string, port: number): boolean {
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    return addresses.some((entry) => (entry.port === undefined || entry.port === port) && entry.list.check(address, family));
  }

  /** One address of `host` (which may be that address) under the rules. */
  function checkAddress(host: string, address: string, port: number, match: NameMatch): Refusal | undefined {
    const bare = address.replace(/%.*$/, "");
    const kind = protectedKind(bare);
    const isCovered = covered(bare, port);
    const subject = host === bare ? `${shown(bare)} is` : `${host} resolves to ${shown(bare)},`;
    if (kind !== undefined) {
      if (isCovered || match === "exact") return undefined;
      const suggestion = host === bare ? bare : host;
      return {
        address: bare,
        reason: listed
          ? `${subject} a ${kind} address, allowed only when an address entry of ${allowTargetsSetting} covers it or the name is listed exactly; add "${suggestion}" to it`
          : `${subject} a ${kind} address, refused unless ${allowTargetsSetting} lists it; set it to "*,${suggestion}" to allow it beside any other host`,
      };
    }
    if (!listed || match !== "none" || isCovered) return undefined;
    return {
      address: bare,
      reason:
        host === bare
          ? `${shown(bare)}:${port} is not among the destinations ${allowTargetsSetting} allows; add "${bare}" to it`
          : `${host} matches no name in ${allowTargetsSetting} and resolves to ${shown(bare)}, which no address entry covers; add "${host}" to it`,
    };
  }

  function matchOf(name: string, port: number): NameMatch {
    if (!listed) return "none";
    // A literal address has no name to list exactly, but `*` allows any host.
    if (isIP(name) !== 0) return names.some((e) => e.kind === "any" && (e.port === undefined || e.port === port)) ? "matched" : "none";
    return nameMatch(name, port);
  }

  // Every branch call is checked, mostly against the same few destinations: verdicts are kept
  // (the policy never changes; a reload makes a new one), at most `maxRememberedChecks` of them.
  const verdicts = new Map<string, Refusal | null>();
  function checkAddresses(host: string, port: number, found: readonly string[]): Refusal | undefined {
    const key = `${host} ${port} ${found.join(" ")}`;
    const known = verdicts.get(key);
    if (known !== undefined) return known ?? undefined;
    const name = normalizeHost(host);
    const match = matchOf(name, port);
    let verdict: Refusal | undefined;
    for (const address of found) {
      verdict = checkAddress(name, address, port, match);
      if (verdict !== undefined) break;
    }
    if (verdict?.transient === true) return verdict;
    if (verdicts.size >= maxRememberedChecks) verdicts.clear();
    verdicts.set(key, verdict ?? null);
    return verdict;
  }

  return {
    allowTargets: listed ? Object.freeze([...allowTargets]) : undefined,
    checkAddresses,

    async admit(host, port, resolve) {
      const name = normalizeHost(host);
      if (isIP(name) !== 0) return checkAddress(name, name, port, matchOf(name, port));
      const match = matchOf(name, port);
      if (match === "exact") return undefined;
      const protectedName = protectedNameKind(name);
      if (protectedName === undefined && (!listed || match === "matched")) return undefined;
      if (addresses.length === 0) {
        if (protectedName !== undefined) {
          return {
            reason: listed
              ? `${name} names ${protectedName}, allowed only when ${allowTargetsSetting} lists it exactly or covers its addresses; add "${name}" to it`
              : `${name} names ${protectedName}, refused unless ${allowTargetsSetting} lists it; set it to "*,${name}" to allow it beside any other host`,
          };
        }
        return { reason: `${name}:${port} is not among the destinations ${allowTargetsSetting} allows; add "${name}" or "${name}:${port}" to it` };
      }
      // Only address entries can allow this name: they are matched against what it resolves to now.
      let resolved: readonly ResolvedAddress[];
      try {
        resolved = await resolve(name);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === "ENOTFOUND" || code === "ENODATA") {
          return { reason: `${name} does not resolve, so it cannot be matched against the address entries of ${allowTargetsSetting}; add "${name}" to it` };
        }
        return { reason: `${name} could not be resolved to check it against ${allowTargetsSetting}; try again`, transient: true };
      }
      if (resolved.length === 0) return { reason: `${name} resolves to no address` };
      return checkAddresses(name, port, resolved.map((r) => r.address));
    },
  };
}

/** What kind of protected address `address` is, or undefined for any other (or no) address. */
export function protectedKind(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return undefined;
  for (const [kind, list] of protectedLists) if (list.check(address, family === 6 ? "ipv6" : "ipv4")) return kind;
  return undefined;
}

/** Lowercase, without IPv6 brackets or the root's trailing dot: the one spelling names are matched in. */
export function normalizeHost(host: string): string {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return bare.toLowerCase().replace(/\.$/, "");
}

/** Names that stand for a protected address whatever DNS says. */
function protectedNameKind(name: string): string | undefined {
  if (name === "localhost" || name.endsWith(".localhost")) return "the loopback interface";
  if (name === "metadata.google.internal") return "the cloud metadata service";
  return undefined;
}

function parseEntry(raw: string): NameEntry | AddressEntry | string {
  const text = raw.trim().toLowerCase();
  if (text.includes("/")) {
    const [address = "", prefix = "", ...rest] = text.split("/");
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    if (rest.length > 0 || family === 0 || !/^[0-9]{1,3}$/.test(prefix) || Number(prefix) > max) {
      return "a CIDR is an IPv4 or IPv6 address, / and a prefix length (0-32, or 0-128 for IPv6), without a port";
    }
    const list = new BlockList();
    addCidr(list, text);
    return { list, port: undefined };
  }
  if (isIP(text) === 6) return addressEntry(text, undefined);
  let host = text;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? "";
    portText = bracketed[2];
    if (isIP(host) !== 6) return "brackets hold an IPv6 address";
  } else if (text.includes(":")) {
    const at = text.lastIndexOf(":");
    host = text.slice(0, at);
    portText = text.slice(at + 1);
    if (host.includes(":")) return "an IPv6 address with a port is written [address]:port";
  }
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^[1-9][0-9]{0,4}$/.test(portText) || Number(portText) > 65535) return "the port must be 1-65535";
    port = Number(portText);
  }
  if (isIP(host) !== 0) return addressEntry(host, port);
  if (host === "*") return { kind: "any", port };
  const wildcard = host.startsWith("*.");
  const name = (wildcard ? host.slice(2) : host).replace(/\.$/, "");
  const labels = name.split(".");
  if (name.length === 0 || name.length > 253 || !labels.every((l) => dnsLabel.test(l))) {
    return "expected *, a host name, *.domain, an IP address or a CIDR (each but a CIDR with an optional :port)";
  }
  // All-numeric labels read as an IPv4 address (999.1.1.1 is no name).
  if (labels.every((l) => /^[0-9]+$/.test(l))) return "not an IPv4 address";
  return wildcard ? { kind: "suffix", suffix: `.${name}`, port } : { kind: "exact", name, port };
}

function addressEntry(address: string, port: number | undefined): AddressEntry {
  const list = new BlockList();
  list.addAddress(address, isIP(address) === 6 ? "ipv6" : "ipv4");
  return { list, port };
}

function addCidr(list: BlockList, cidr: string): void {
  const [address = "", prefix = ""] = cidr.split("/");
  list.addSubnet(address, Number(prefix), isIP(address) === 6 ? "ipv6" : "ipv4");
}

/** An address as written in a host:port (IPv6 in brackets). */
function shown(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}
