import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { isStoreUnavailable, storeUnavailableMessage, toConnectError } from "./errors.js";

/** An error shaped like pg's DatabaseError or Node's ErrnoException: a message and a code. */
const coded = (code: string, message = `failed with ${code}`) => Object.assign(new Error(message), { code });

describe("toConnectError", () => {
  it("passes a ConnectError through unchanged", () => {
    const err = new ConnectError("gid: required", Code.InvalidArgument);
    expect(toConnectError(err)).toBe(err);
  });

  it.each([
    ["SQLSTATE 08006 connection failure", coded("08006")],
    ["SQLSTATE 08001 unable to connect", coded("08001")],
    ["SQLSTATE 57P01 admin shutdown", coded("57P01", "terminating connection due to administrator command")],
    ["SQLSTATE 57P02 crash shutdown", coded("57P02")],
    ["SQLSTATE 57P03 cannot connect now", coded("57P03", "the database system is starting up")],
    ["SQLSTATE 53300 too many connections", coded("53300", "sorry, too many clients already")],
    ...["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"].map((c): [string, Error] => [`errno ${c}`, coded(c)]),
    ["pg's connection terminated", new Error("Connection terminated unexpectedly")],
    ["pg's pool connect timeout", new Error("timeout exceeded when trying to connect")],
    ["the embedded store closed", new Error("PGlite driver has been destroyed")],
    ["Kysely destroyed", new Error("driver has already been destroyed")],
    ["an outage wrapped as a cause", new Error("saving the transaction failed", { cause: coded("ECONNREFUSED") })],
    ["an outage inside an AggregateError", new AggregateError([coded("ECONNREFUSED"), coded("ECONNREFUSED")], "connect failed")],
  ])("maps a store outage (%s) to Unavailable with a safe message and the cause kept", (_name, err) => {
    expect(isStoreUnavailable(err)).toBe(true);
    const mapped = toConnectError(err);
    expect(mapped.code).toBe(Code.Unavailable);
    expect(mapped.rawMessage).toBe(storeUnavailableMessage);
    expect(mapped.cause).toBe(err);
  });

  it.each([
    ["a TypeError", new TypeError("Cannot read properties of undefined (reading 'now')")],
    ["a unique violation", coded("23505", "duplicate key value violates unique constraint")],
    ["a syntax error", coded("42601", "syntax error at or near \"SELEC\"")],
    ["a thrown string", "boom"],
    ["undefined", undefined],
  ])("maps anything else (%s) to Internal without its message, cause kept", (_name, err) => {
    expect(isStoreUnavailable(err)).toBe(false);
    const mapped = toConnectError(err);
    expect(mapped.code).toBe(Code.Internal);
    expect(mapped.rawMessage).toBe("internal error");
    expect(mapped.cause).toBe(err);
  });

  it("does not loop on a cause cycle", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    Object.assign(a, { cause: b });
    expect(toConnectError(a).code).toBe(Code.Internal);
  });
});
