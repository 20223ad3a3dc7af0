/**
 * Authentication of API calls: static bearer tokens (the tokens file), OIDC/JWT bearer tokens
 * verified against a JWKS (jose), and client certificates (mTLS). Internal module.
 *
 * A call proves who it is with `authorization: Bearer <token>` (HTTP header or gRPC metadata)
 * or with a client certificate the TLS listener verified. A bearer token that is present but
 * wrong is refused even when a certificate would do: a caller never silently becomes someone
 * else. The settings can be replaced while running (`update`), e.g. on a config reload.
 */
import { timingSafeEqual } from "node:crypto";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import { openAccess, scopes, type Principal, type Scope } from "./principal.js";
import { tokenHash, type TokenEntry } from "./tokens-file.js";

export interface JwtSettings {
  /** Where the signing keys are published. */
  readonly jwksUrl: string;
  /** Required `iss`. */
  readonly issuer?: string | undefined;
  /** Required `aud`. */
  readonly audience?: string | undefined;
  /** The claim holding the scopes: a space-separated string (OAuth's `scope`) or an array. */
  readonly scopesClaim: string;
}

export interface AuthSettings {
  /** The tokens file's entries; undefined = no tokens file. */
  readonly tokens?: readonly TokenEntry[] | undefined;
  /** JWT verification; undefined = JWTs are not accepted. */
  readonly jwt?: JwtSettings | undefined;
  /** Client certificates are verified by the listeners (`--tls-client-ca`). */
  readonly clientCertificates?: boolean;
}

/** What a call brings to prove who it is. */
export interface Credentials {
  /** The `authorization` header or metadata value. */
  readonly authorization?: string | undefined;
  /** The TLS client certificate, when the connection presented one. */
  readonly peer?: PeerCertificate | undefined;
}

export interface PeerCertificate {
  /** Whether the listener verified it against `--tls-client-ca`. */
  readonly authorized: boolean;
  /** Its subject's common name. */
  readonly subjectCN: string | undefined;
}

export type AuthResult = { readonly principal: Principal } | { readonly refused: string };

export interface Authenticator {
  /** False until some authentication is configured: every call is then {@link openAccess}. */
  readonly enabled: boolean;
  /** Who the call is, or why it is refused (for the log only: the caller is told nothing more than UNAUTHENTICATED). */
  authenticate(credentials: Credentials): Promise<AuthResult>;
  /** Replace the settings; calls from now on use the new ones. */
  update(settings: AuthSettings): void;
}

const bearer = /^Bearer +(\S+)\s*$/i;
const jwtShape = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function createAuthenticator(initial: AuthSettings): Authenticator {
  let settings = initial;
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  let jwksFor: string | undefined;
  const keySet = (url: string) => {
    if (jwksFor !== url) {
      jwks = createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
      jwksFor = url;
    }
    return jwks!;
  };
  const isEnabled = (s: AuthSettings) => s.tokens !== undefined || s.jwt !== undefined || s.clientCertificates === true;

  /** The entry whose token this is, comparing against every entry (no early exit) in constant time. */
  function tokenEntry(token: string): TokenEntry | undefined {
    const hash = tokenHash(token);
    let found: TokenEntry | undefined;
    for (const entry of settings.tokens ?? []) {
      if (entry.tokenHash !== undefined && timingSafeEqual(entry.tokenHash, hash) && found === undefined) found = entry;
    }
    return found;
  }

  async function fromJwt(token: string, jwt: JwtSettings): Promise<AuthResult> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keySet(jwt.jwksUrl), {
        ...(jwt.issuer === undefined ? {} : { issuer: jwt.issuer }),
        ...(jwt.audience === undefined ? {} : { audience: jwt.audience }),
      }));
    } catch (err) {
      return { refused: `jwt: ${(err as Error).message}` };
    }
    const claim = payload[jwt.scopesClaim];
    const given = typeof claim === "string" ? claim.split(/\s+/) : Array.isArray(claim) ? claim : [];
    const granted = new Set(given.filter((s): s is Scope => (scopes as readonly unknown[]).includes(s)));
    return { principal: { name: typeof payload.sub === "string" ? payload.sub : "", scopes: granted, via: "jwt" } };
  }

  return {
    get enabled() {
      return isEnabled(settings);
    },
    async authenticate({ authorization, peer }) {
      if (!isEnabled(settings)) return { principal: openAccess };
      if (authorization !== undefined && authorization !== "") {
        const token = bearer.exec(authorization)?.[1];
        if (token === undefined) return { refused: "authorization is not a Bearer token" };
        const entry = tokenEntry(token);
        if (entry !== undefined) return { principal: { name: entry.name, scopes: entry.scopes, via: "token" } };
        if (settings.jwt !== undefined && jwtShape.test(token)) return fromJwt(token, settings.jwt);
        return { refused: "unknown bearer token" };
      }
      if (peer !== undefined && settings.clientCertificates) {
        if (!peer.authorized) return { refused: "client certificate not trusted" };
        const entry = (settings.tokens ?? []).find((e) => e.certSubject !== undefined && e.certSubject === peer.subjectCN);
        if (entry === undefined) return { refused: `no tokens file entry for client certificate CN=${peer.subjectCN ?? ""}` };
        return { principal: { name: entry.name, scopes: entry.scopes, via: "certificate" } };
      }
      return { refused: "no credentials" };
    },
    update(next) {
      settings = next;
    },
  };
}
