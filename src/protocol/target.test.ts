import { describe, it, expect } from "vitest";
import { isValidTarget, parseTarget } from "./target.js";

describe("parseTarget", () => {
  it.each([
    ["localhost:50051/bank.v1.BankService/TransOut", "localhost:50051", "/bank.v1.BankService/TransOut"],
    ["bank.internal.example.com:443/Bank/TransIn", "bank.internal.example.com:443", "/Bank/TransIn"],
    ["10.0.0.7:1/pkg.Svc/M", "10.0.0.7:1", "/pkg.Svc/M"],
    ["[::1]:65535/_p.S_1/m_2", "[::1]:65535", "/_p.S_1/m_2"],
    ["[2001:db8::7]:8080/a.b.c.D/E", "[2001:db8::7]:8080", "/a.b.c.D/E"],
  ])("reads %s as a gRPC target of address and method", (target, address, method) => {
    expect(parseTarget(target)).toEqual({ scheme: "grpc", address, method });
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
    ["http://localhost:50051/bank.v1.BankService/TransOut", "a URL scheme no transport serves yet"],
    [" localhost:50051/bank.v1.BankService/TransOut", "leading whitespace"],
    ["localhost:50051/bank.v1.BankService/TransOut ", "trailing whitespace"],
  ])("rejects %j (%s)", (target) => {
    expect(parseTarget(target)).toBeUndefined();
  });
});

describe("isValidTarget", () => {
  it("accepts the empty target as a no-op", () => {
    expect(isValidTarget("")).toBe(true);
  });

  it("accepts a well-formed target and rejects a malformed one", () => {
    expect(isValidTarget("127.0.0.1:50051/bank.v1.BankService/TransOut")).toBe(true);
    expect(isValidTarget("127.0.0.1:50051")).toBe(false);
  });
});
