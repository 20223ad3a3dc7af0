import { describe, expect, it } from "vitest";
import { createOutboundPolicy, normalizeHost, protectedKind, type ResolveHost } from "./outbound-policy.js";

/** A resolver from a table; a name not in it is ENOTFOUND, and a name mapped to "EAI_AGAIN" fails for now. */
function resolver(table: Record<string, readonly string[] | "EAI_AGAIN">): ResolveHost & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (name: string) => {
    asked.push(name);
    const answer = table[name];
    if (answer === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: "ENOTFOUND" });
    if (answer === "EAI_AGAIN") throw Object.assign(new Error(`getaddrinfo EAI_AGAIN ${name}`), { code: "EAI_AGAIN" });
    return answer.map((address) => ({ address, family: address.includes(":") ? (6 as const) : (4 as const) }));
  };
  return Object.assign(resolve, { asked });
}

const noDns = resolver({});

describe("protected addresses", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["169.254.169.254", "cloud metadata"],
    ["::ffff:169.254.169.254", "cloud metadata"],
    ["fd00:ec2::254", "cloud metadata"],
    ["100.100.100.200", "cloud metadata"],
    ["169.254.10.1", "link-local"],
    ["fe80::1", "link-local"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["::ffff:0.0.0.0", "unspecified"],
  ])("%s is %s", (address, kind) => {
    expect(protectedKind(address)).toBe(kind);
  });

  it.each(["10.0.0.1", "192.168.1.1", "8.8.8.8", "2001:db8::1", "fd00::1", "::ffff:10.0.0.1", "bank.internal"])("%s is not protected", (address) => {
    expect(protectedKind(address)).toBeUndefined();
  });
});

describe("the production default (no list)", () => {
  const policy = createOutboundPolicy();

  it("refuses protected literal addresses and names at admission, and says which setting allows them", async () => {
    const loopback = await policy.admit("127.0.0.1", 50051, noDns);
    expect(loopback?.reason).toMatch(/^127\.0\.0\.1 is a loopback address, refused unless --allow-targets \(CONCORD_ALLOW_TARGETS\) lists it; set it to "\*,127\.0\.0\.1"/);
    expect(loopback?.address).toBe("127.0.0.1");
    expect((await policy.admit("169.254.169.254", 80, noDns))?.reason).toMatch(/cloud metadata address/);
    expect((await policy.admit("[::1]", 80, noDns))?.reason).toMatch(/^\[::1\] is a loopback address/);
    expect((await policy.admit("::ffff:127.0.0.1", 80, noDns))?.reason).toMatch(/loopback/);
    expect((await policy.admit("localhost", 80, noDns))?.reason).toMatch(/^localhost names the loopback interface, refused unless .*"\*,localhost"/);
    expect((await policy.admit("LOCALHOST.", 80, noDns))?.reason).toMatch(/loopback interface/);
    expect((await policy.admit("api.localhost", 80, noDns))?.reason).toMatch(/loopback interface/);
    expect((await policy.admit("metadata.google.internal", 80, noDns))?.reason).toMatch(/cloud metadata service/);
  });

  it("admits any other host without asking DNS", async () => {
    const dns = resolver({});
    expect(await policy.admit("bank.internal", 50051, dns)).toBeUndefined();
    expect(await policy.admit("10.0.0.7", 80, dns)).toBeUndefined();
    expect(await policy.admit("2001:db8::1", 80, dns)).toBeUndefined();
    expect(dns.asked).toEqual([]);
  });

  it("refuses at call time a name resolving to a protected address, naming the address", () => {
    expect(policy.checkAddresses("bank.internal", 80, ["10.0.0.7"])).toBeUndefined();
    const refusal = policy.checkAddresses("bank.internal", 80, ["10.0.0.7", "127.0.0.1"]);
    expect(refusal).toMatchObject({ address: "127.0.0.1" });
    expect(refusal?.reason).toMatch(/^bank\.internal resolves to 127\.0\.0\.1, a loopback address/);
    expect(policy.checkAddresses("bank.internal", 80, ["fe80::1%eth0"])).toMatchObject({ address: "fe80::1" });
  });
});

describe("an allow-list", () => {
  it("admits names by exact entry, *.domain, * and ports, and refuses the rest without DNS when it has no address entries", async () => {
    const policy = createOutboundPolicy(["payments:50051", "*.svc.cluster.local", "Bank.Example"]);
    expect(await policy.admit("payments", 50051, noDns)).toBeUndefined();
    expect((await policy.admit("payments", 50052, noDns))?.reason).toMatch(/^payments:50052 is not among the destinations --allow-targets \(CONCORD_ALLOW_TARGETS\) allows; add "payments" or "payments:50052"/);
    expect(await policy.admit("ledger.prod.svc.cluster.local", 80, noDns)).toBeUndefined();
    expect(await policy.admit("svc.cluster.local", 80, noDns)).toBeDefined();
    expect(await policy.admit("bank.example", 443, noDns)).toBeUndefined();
    expect(await policy.admit("evil.example", 443, noDns)).toBeDefined();
    expect(await policy.admit("10.0.0.7", 80, noDns)).toBeDefined();
    expect(noDns.asked).toEqual([]);
    expect(await createOutboundPolicy(["*:443"]).admit("anything.example", 443, noDns)).toBeUndefined();
    expect(await createOutboundPolicy(["*:443"]).admit("anything.example", 80, noDns)).toBeDefined();
  });

  it("matches a name no name entry matches against the address entries, by all its addresses", async () => {
    const policy = createOutboundPolicy(["10.0.0.0/8", "[fd00::7]:443"]);
    const dns = resolver({ inside: ["10.1.2.3"], mixed: ["10.1.2.3", "192.168.0.1"], v6: ["fd00::7"], flaky: "EAI_AGAIN" });
    expect(await policy.admit("inside", 80, dns)).toBeUndefined();
    expect((await policy.admit("mixed", 80, dns))?.reason).toMatch(/^mixed matches no name in --allow-targets .* and resolves to 192\.168\.0\.1, which no address entry covers/);
    expect(await policy.admit("v6", 443, dns)).toBeUndefined();
    expect(await policy.admit("v6", 80, dns)).toBeDefined();
    expect((await policy.admit("nowhere", 80, dns))?.reason).toMatch(/nowhere does not resolve/);
    expect(await policy.admit("flaky", 80, dns)).toMatchObject({ transient: true });
    expect(await policy.admit("10.200.0.1", 80, dns)).toBeUndefined();
    expect(await policy.admit("11.0.0.1", 80, dns)).toBeDefined();
  });

  it("still refuses protected addresses unless an address entry covers them or the name is listed exactly", async () => {
    const anyHost = createOutboundPolicy(["*"]);
    expect(await anyHost.admit("8.8.8.8", 53, noDns)).toBeUndefined();
    expect((await anyHost.admit("127.0.0.1", 80, noDns))?.reason).toMatch(/allowed only when an address entry of --allow-targets .* covers it or the name is listed exactly; add "127\.0\.0\.1"/);
    expect(await anyHost.admit("localhost", 80, noDns)).toBeDefined();
    expect(anyHost.checkAddresses("bank.example", 80, ["169.254.169.254"])).toMatchObject({ address: "169.254.169.254" });

    const loopback = createOutboundPolicy(["*", "127.0.0.0/8"]);
    expect(await loopback.admit("127.0.0.1", 80, noDns)).toBeUndefined();
    expect(loopback.checkAddresses("bank.example", 80, ["127.0.0.1"])).toBeUndefined();
    expect(loopback.checkAddresses("bank.example", 80, ["::1"])).toBeDefined();
    // localhost is resolved against the address entries: both its addresses must be covered.
    expect(await loopback.admit("localhost", 80, resolver({ localhost: ["127.0.0.1"] }))).toBeUndefined();
    expect((await loopback.admit("localhost", 80, resolver({ localhost: ["127.0.0.1", "::1"] })))?.reason).toMatch(/resolves to \[::1\], a loopback address/);

    const byName = createOutboundPolicy(["localhost", "metadata.google.internal:80", "169.254.169.254"]);
    expect(await byName.admit("localhost", 8080, noDns)).toBeUndefined();
    expect(byName.checkAddresses("localhost", 8080, ["127.0.0.1", "::1"])).toBeUndefined();
    expect(await byName.admit("metadata.google.internal", 80, noDns)).toBeUndefined();
    expect(await byName.admit("169.254.169.254", 80, noDns)).toBeUndefined();
    expect(byName.checkAddresses("other.example", 80, ["127.0.0.1"])).toBeDefined();
  });

  it("keeps the entries it was built from", () => {
    expect(createOutboundPolicy(["a:1", "10.0.0.0/8"]).allowTargets).toEqual(["a:1", "10.0.0.0/8"]);
    expect(createOutboundPolicy().allowTargets).toBeUndefined();
  });
});

describe("allow-list entries", () => {
  it.each([
    ["*"],
    ["*:443"],
    ["bank"],
    ["bank.example.com:8443"],
    ["*.svc.cluster.local"],
    ["*.example.com:443"],
    ["10.1.2.3"],
    ["10.1.2.3:443"],
    ["::1"],
    ["[::1]:50051"],
    ["[fd00::1]"],
    ["10.0.0.0/8"],
    ["fd00::/8"],
    ["0.0.0.0/0"],
  ])("accepts %s", (entry) => {
    expect(() => createOutboundPolicy([entry])).not.toThrow();
  });

  it("names the setting and every bad entry with what is wrong", () => {
    expect(() => createOutboundPolicy(["bank:0", "10.0.0.0/33", "::1:50051", "999.1.1.1", "ba_nk", "[bank]:1", "10.0.0.0/8:443", "good:1"])).toThrow(
      '--allow-targets (CONCORD_ALLOW_TARGETS): "bank:0": the port must be 1-65535; ' +
        '"10.0.0.0/33": a CIDR is an IPv4 or IPv6 address, / and a prefix length (0-32, or 0-128 for IPv6), without a port; ' +
        '"::1:50051": an IPv6 address with a port is written [address]:port; ' +
        '"999.1.1.1": not an IPv4 address; ' +
        '"ba_nk": expected *, a host name, *.domain, an IP address or a CIDR (each but a CIDR with an optional :port); ' +
        '"[bank]:1": brackets hold an IPv6 address; ' +
        '"10.0.0.0/8:443": a CIDR is an IPv4 or IPv6 address, / and a prefix length (0-32, or 0-128 for IPv6), without a port',
    );
    expect(() => createOutboundPolicy([])).toThrow(/the list is empty/);
  });
});

describe("normalizeHost", () => {
  it("lowercases, drops IPv6 brackets and the root's trailing dot", () => {
    expect(normalizeHost("Bank.Example.")).toBe("bank.example");
    expect(normalizeHost("[::1]")).toBe("::1");
  });
});
