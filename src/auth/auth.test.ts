import { describe, expect, it } from "vitest";
import { createAuthenticator } from "./authenticator.js";
import { isCredentialHeader, mayDrive, mayRead, openAccess, redactHeaders, type Principal } from "./principal.js";
import { parseTokens } from "./tokens-file.js";

const secret = (c: string) => c.repeat(40);

describe("tokens file", () => {
  it("reads token and certificate entries", () => {
    const entries = parseTokens(`- {name: orders, token: "${secret("a")}", scopes: [submit]}\n- {name: pay, certSubject: pay.internal, scopes: [submit, read]}\n`, "t.yaml");
    expect(entries.map((e) => [e.name, [...e.scopes], e.certSubject])).toEqual([
      ["orders", ["submit"], undefined],
      ["pay", ["submit", "read"], "pay.internal"],
    ]);
    expect(entries[0]!.tokenHash).toHaveLength(32);
    expect(parseTokens("", "t.yaml")).toEqual([]);
  });

  it("names the entry and field of every mistake", () => {
    const bad: [string, RegExp][] = [
      ["name: x", /must be a YAML list/],
      [`- {token: "${secret("a")}", scopes: [read]}`, /entry 1: name must be a non-empty string/],
      [`- {name: a, token: short, scopes: [read]}`, /entry 1 \(a\): token must be a string of at least 32 characters/],
      [`- {name: a, token: "${secret("a")}", scopes: [write]}`, /unknown scope "write"/],
      [`- {name: a, token: "${secret("a")}", scopes: []}`, /scopes must be a non-empty list/],
      [`- {name: a, scopes: [read]}`, /give exactly one of token and certSubject/],
      [`- {name: a, token: "${secret("a")}", certSubject: x, scopes: [read]}`, /give exactly one of token and certSubject/],
      [`- {name: a, token: "${secret("a")}", scopes: [read], role: x}`, /unknown key "role"/],
      [`- {name: a, token: "${secret("a")}", scopes: [read]}\n- {name: a, token: "${secret("b")}", scopes: [read]}`, /entry 2: name "a" is used twice/],
      [`- {name: a, token: "${secret("a")}", scopes: [read]}\n- {name: b, token: "${secret("a")}", scopes: [read]}`, /entry 2 \(b\): this token is also another entry's/],
      ["- [", /not valid YAML/],
    ];
    for (const [text, error] of bad) expect(() => parseTokens(text, "t.yaml"), text).toThrow(error);
  });
});

describe("authenticator", () => {
  const tokens = parseTokens(`- {name: orders, token: "${secret("a")}", scopes: [submit]}\n- {name: pay, certSubject: pay.internal, scopes: [read]}\n`, "t.yaml");

  it("is open access until something is configured", async () => {
    const auth = createAuthenticator({});
    expect(auth.enabled).toBe(false);
    expect(await auth.authenticate({})).toEqual({ principal: openAccess });
  });

  it("knows bearer tokens and verified client certificates, and refuses the rest", async () => {
    const auth = createAuthenticator({ tokens, clientCertificates: true });
    expect(await auth.authenticate({ authorization: `Bearer ${secret("a")}` })).toMatchObject({ principal: { name: "orders", via: "token" } });
    expect(await auth.authenticate({ authorization: `bearer   ${secret("a")}` })).toMatchObject({ principal: { name: "orders" } });
    expect(await auth.authenticate({ authorization: `Bearer ${secret("b")}` })).toEqual({ refused: "unknown bearer token" });
    expect(await auth.authenticate({ authorization: `Basic abc` })).toMatchObject({ refused: expect.any(String) });
    expect(await auth.authenticate({})).toEqual({ refused: "no credentials" });
    expect(await auth.authenticate({ peer: { authorized: true, subjectCN: "pay.internal" } })).toMatchObject({ principal: { name: "pay", via: "certificate" } });
    expect(await auth.authenticate({ peer: { authorized: false, subjectCN: "pay.internal" } })).toMatchObject({ refused: "client certificate not trusted" });
    expect(await auth.authenticate({ peer: { authorized: true, subjectCN: "stranger" } })).toMatchObject({ refused: expect.stringContaining("CN=stranger") });
    // A wrong token is refused even beside a good certificate.
    expect(await auth.authenticate({ authorization: `Bearer ${secret("b")}`, peer: { authorized: true, subjectCN: "pay.internal" } })).toMatchObject({ refused: expect.any(String) });
  });

  it("takes new settings at once", async () => {
    const auth = createAuthenticator({ tokens });
    auth.update({ tokens: parseTokens(`- {name: fresh, token: "${secret("c")}", scopes: [admin]}`, "t.yaml") });
    expect(await auth.authenticate({ authorization: `Bearer ${secret("a")}` })).toEqual({ refused: "unknown bearer token" });
    expect(await auth.authenticate({ authorization: `Bearer ${secret("c")}` })).toMatchObject({ principal: { name: "fresh" } });
  });
});

describe("rights on a transaction", () => {
  const who = (name: string, ...scopes: Principal["scopes"] extends ReadonlySet<infer S> ? S[] : never): Principal => ({ name, scopes: new Set(scopes), via: "token" });
  it("lets readers read all, submitters read and drive their own, admins do all", () => {
    expect(mayRead(who("a", "read"), "b")).toBe(true);
    expect(mayRead(who("a", "submit"), "a")).toBe(true);
    expect(mayRead(who("a", "submit"), "b")).toBe(false);
    expect(mayDrive(who("a", "submit"), "a")).toBe(true);
    expect(mayDrive(who("a", "submit", "read"), "b")).toBe(false);
    expect(mayDrive(who("a", "read"), "a")).toBe(false);
    expect(mayDrive(who("x", "admin"), "b")).toBe(true);
    expect(mayDrive(openAccess, "b")).toBe(true);
  });

  it("redacts credential headers and nothing else", () => {
    for (const name of ["Authorization", "proxy-authorization", "Cookie", "set-cookie", "x-auth-token", "x_csrf_token", "X-Api-Key", "client-secret", "db-password"]) {
      expect(isCredentialHeader(name), name).toBe(true);
    }
    expect(redactHeaders({ authorization: "Bearer x", "x-tenant": "acme", "x-request-id": "1" })).toEqual({ authorization: "[redacted]", "x-tenant": "acme", "x-request-id": "1" });
  });
});
