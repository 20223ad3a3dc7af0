import { describe, it, expect } from "vitest";
import { isValidTarget, maxHttpTargetLength, parseTarget, splitAddress } from "./target.js";

describe("parseTarget", () => {
  it.each([
    ["localhost:50051/bank.v1.BankService/TransOut", "localhost:50051", "/bank.v1.BankService/TransOut"],
    ["bank.internal.example.com:443/Bank/TransIn", "bank.internal.example.com:443", "/Bank/TransIn"],
    ["10.0.0.7:1/pkg.Svc/M", "10.0.0.7:1", "/pkg.Svc/M"],
    ["[::1]:65535/_p.S_1/m_2", "[::1]:65535", "/_p.S_1/m_2"],
    ["[2001:db8::7]:8080/a.b.c.D/E", "[2001:db8::7]:8080", "/a.b.c.D/E"],
  ])("reads %s as a gRPC target of address and method", (target, address, method) => {
    expect(parseTarget(target)).toEqual({ scheme: "grpc", address, method, tls: false, roundRobin: false });
  });

  it.each([
    ["grpcs://bank.example:443/bank.v1.Bank/TransOut", "bank.example:443", true, false],
    ["dns:///bank.svc:50051/bank.v1.Bank/TransOut", "bank.svc:50051", false, true],
    ["grpcs://dns:///bank.svc:443/bank.v1.Bank/TransOut", "bank.svc:443", true, true],
    ["grpcs://[::1]:8443/bank.v1.Bank/TransOut", "[::1]:8443", true, false],
  ])("reads %s with its TLS and balancing prefixes", (target, address, tls, roundRobin) => {
    expect(parseTarget(target)).toEqual({ scheme: "grpc", address, method: "/bank.v1.Bank/TransOut", tls, roundRobin });
  });

  it.each([
    ["", "empty"],
    ["localhost/bank.v1.BankService/TransOut", "no port"],
    ["localhost:0/bank.v1.BankService/TransOut", "port 0"],
    ["localhost:65536/bank.v1.BankService/TransOut", "port above 65535"],
    ["localhost:080/bank.v1.BankService/TransOut", "port with a leading zero"],
    ["localhost:50051", "no method"],
    ["localhost:50051/TransOut", "a method without a service"],
    ["localhost:50051/bank.v1.BankService/", "an empty method name"],
    ["localhost:50051/bank.v1.BankService/Trans/Out", "an extra path segment"],
    ["localhost:50051/bank..BankService/TransOut", "an empty package segment"],
    ["localhost:50051/bank.v1.1Service/TransOut", "an identifier starting with a digit"],
    ["localhost:50051/bank.v1.Bank-Service/TransOut", "a dash in an identifier"],
    ["999.1.1.1:50051/bank.v1.BankService/TransOut", "an IPv4 octet above 255"],
    ["-bank:50051/bank.v1.BankService/TransOut", "a DNS label starting with a dash"],
    ["bank..example:50051/bank.v1.BankService/TransOut", "an empty DNS label"],
    ["::1:50051/bank.v1.BankService/TransOut", "an unbracketed IPv6 address"],
    ["[::g]:50051/bank.v1.BankService/TransOut", "a bracketed non-IPv6 host"],
    ["grpc://localhost:50051/bank.v1.BankService/TransOut", "a URL scheme no transport serves"],
    ["dns:///grpcs://bank:443/bank.v1.BankService/TransOut", "the prefixes in the wrong order"],
    ["dns://bank:53/bank:443/bank.v1.BankService/TransOut", "a DNS server named (dns://authority/)"],
    ["grpcs://bank/bank.v1.BankService/TransOut", "a TLS target without a port"],
    ["GRPCS://bank:443/bank.v1.BankService/TransOut", "an upper-case prefix"],
    [" localhost:50051/bank.v1.BankService/TransOut", "leading whitespace"],
    ["localhost:50051/bank.v1.BankService/TransOut ", "trailing whitespace"],
  ])("rejects %j (%s)", (target) => {
    expect(parseTarget(target)).toBeUndefined();
  });
});

describe("parseTarget of HTTP targets", () => {
  it.each([
    ["http://localhost:8081/api/TransOut", "localhost:8081", "http://localhost:8081/api/TransOut"],
    ["https://bank.example.com/api/TransIn?tenant=acme", "bank.example.com:443", "https://bank.example.com/api/TransIn?tenant=acme"],
    ["http://bank.internal/TransOut", "bank.internal:80", "http://bank.internal/TransOut"],
    ["http://10.0.0.7:80/x", "10.0.0.7:80", "http://10.0.0.7/x"],
    ["http://[::1]:8080/busi/TransOut", "[::1]:8080", "http://[::1]:8080/busi/TransOut"],
    ["http://Bank.Example:9000", "bank.example:9000", "http://bank.example:9000/"],
    ["http://bank:8081/TransOut#section", "bank:8081", "http://bank:8081/TransOut"],
  ])("reads %s as an HTTP target of origin %s", (target, address, url) => {
    expect(parseTarget(target)).toEqual({ scheme: "http", address, url });
  });

  it("keys http and https URLs of one host and port on the same origin address", () => {
    expect(parseTarget("http://bank/a")?.address).toBe(parseTarget("http://bank:80/b")?.address);
  });

  it.each([
    ["ftp://bank.example/TransOut", "a scheme no transport serves"],
    ["http://", "no host"],
    ["http:///TransOut", "an empty host"],
    ["http:bank/TransOut", "no slashes after the scheme"],
    ["HTTP://bank/TransOut", "an upper-case scheme"],
    ["http://user:secret@bank/TransOut", "a user and password"],
    ["http://user@bank/TransOut", "a user name"],
    ["http://@bank/TransOut", "an empty credential"],
    ["http://bank:99999/TransOut", "a port above 65535"],
    ["http://999.1.1.1/TransOut", "an IPv4 octet above 255"],
    [`http://bank/${"a".repeat(maxHttpTargetLength)}`, "more than 2048 characters"],
    [" http://bank/TransOut", "leading whitespace"],
    ["http://bank/TransOut ", "trailing whitespace"],
    ["http://bank/Trans Out", "a space inside"],
    ["http://bank/Trans\tOut", "a tab inside"],
  ])("rejects %j (%s)", (target) => {
    expect(parseTarget(target)).toBeUndefined();
  });

  it("accepts a URL of exactly 2048 characters", () => {
    const prefix = "http://bank/";
    expect(parseTarget(prefix + "a".repeat(maxHttpTargetLength - prefix.length))?.scheme).toBe("http");
  });
});

describe("splitAddress", () => {
  it("splits host and port, taking the brackets off an IPv6 host", () => {
    expect(splitAddress("bank:50051")).toEqual({ host: "bank", port: 50051 });
    expect(splitAddress("[::1]:8080")).toEqual({ host: "::1", port: 8080 });
    expect(splitAddress("10.0.0.7:80")).toEqual({ host: "10.0.0.7", port: 80 });
  });
});

describe("isValidTarget", () => {
  it("accepts the empty target as a no-op", () => {
    expect(isValidTarget("")).toBe(true);
  });

  it("accepts a well-formed target and rejects a malformed one", () => {
    expect(isValidTarget("127.0.0.1:50051/bank.v1.BankService/TransOut")).toBe(true);
    expect(isValidTarget("127.0.0.1:50051")).toBe(false);
    expect(isValidTarget("http://127.0.0.1:8081/TransOut")).toBe(true);
    expect(isValidTarget("http://user:pw@127.0.0.1:8081/TransOut")).toBe(false);
  });
});

describe("JSON-RPC targets", () => {
  it("reads json-rpc+ and an http(s) URL naming a method as a JSON-RPC target of that URL's origin", () => {
    expect(parseTarget("json-rpc+http://busi:8081/api/json-rpc?method=TransIn")).toEqual({
      scheme: "jsonrpc",
      address: "busi:8081",
      url: "http://busi:8081/api/json-rpc?method=TransIn",
      method: "TransIn",
    });
    expect(parseTarget("json-rpc+https://busi/rpc?x=1&method=a.b")).toMatchObject({ scheme: "jsonrpc", address: "busi:443", method: "a.b" });
  });

  it.each([
    ["json-rpc+http://busi:8081/api/json-rpc", "no method"],
    ["json-rpc+http://busi:8081/api/json-rpc?method=", "an empty method"],
    ["json-rpc+busi:8081/pkg.Svc/M", "a gRPC target"],
    ["json-rpc+http://user:pw@busi/rpc?method=m", "credentials"],
    ["jsonrpc+http://busi/rpc?method=m", "another prefix"],
  ])("refuses %s (%s)", (target) => {
    expect(parseTarget(target)).toBeUndefined();
    expect(isValidTarget(target)).toBe(false);
  });
});
