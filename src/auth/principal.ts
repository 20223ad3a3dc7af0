/**
 * Who is calling, and what they may do. Internal module.
 *
 * Three scopes: `submit` creates and drives transactions (and reads the ones it created), `read`
 * reads any transaction, `admin` does everything (listings, force-stop, retries, topics). With no
 * authentication configured every caller is {@link openAccess}: the development default.
 */
import { Code, ConnectError } from "@connectrpc/connect";

export const scopes = ["submit", "read", "admin"] as const;
export type Scope = (typeof scopes)[number];

export interface Principal {
  /** The token's or certificate's name, a JWT's `sub`; empty for open access. Recorded as a transaction's creator. */
  readonly name: string;
  readonly scopes: ReadonlySet<Scope>;
  /** How the caller proved who it is. */
  readonly via: "open" | "token" | "jwt" | "certificate";
}

/** Every caller when authentication is off. */
export const openAccess: Principal = Object.freeze({ name: "", scopes: new Set<Scope>(scopes), via: "open" as const });

/** Whether `principal` holds `scope`; `admin` holds every scope. */
export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.has(scope) || principal.scopes.has("admin");
}

/** The answer to a caller without the scope an operation needs: no detail beyond the scope. */
export function permissionDenied(scope: Scope): ConnectError {
  return new ConnectError(`permission denied: needs the ${scope} scope`, Code.PermissionDenied);
}

/** Throw PERMISSION_DENIED unless `principal` holds `scope`. */
export function requireScope(principal: Principal, scope: Scope): void {
  if (!hasScope(principal, scope)) throw permissionDenied(scope);
}

/**
 * Whether `principal` may read a transaction created by `createdBy`, payloads and headers
 * included: `read` reads any, `submit` reads its own.
 */
export function mayRead(principal: Principal, createdBy: string): boolean {
  return hasScope(principal, "read") || (principal.scopes.has("submit") && principal.name === createdBy);
}

/** Whether `principal` may drive (submit, abort, prepare again) a transaction created by `createdBy`: its creator, or `admin`. */
export function mayDrive(principal: Principal, createdBy: string): boolean {
  return principal.scopes.has("admin") || (principal.scopes.has("submit") && principal.name === createdBy);
}

/**
 * The answer when a transaction exists but is not the caller's to read or drive. It says no
 * more than a missing scope would, so a gid's existence is only revealed to who may see it.
 */
export function transactionDenied(what: "read" | "drive"): ConnectError {
  return new ConnectError(`permission denied: this transaction is not yours to ${what}`, Code.PermissionDenied);
}

/**
 * Header names whose values are credentials: never echoed by any read (GetTransaction, the admin
 * API, dtm's query), whoever asks. They are still sent to the branches, as the client asked.
 */
export function isCredentialHeader(name: string): boolean {
  const key = name.toLowerCase();
  return (
    key === "authorization" ||
    key === "proxy-authorization" ||
    key === "cookie" ||
    key === "set-cookie" ||
    key.endsWith("-token") ||
    key.endsWith("_token") ||
    key === "token" ||
    key.endsWith("api-key") ||
    key.endsWith("apikey") ||
    key.includes("secret") ||
    key.includes("password")
  );
}

/** What stands in a read for a credential header's value. */
export const redactedValue = "[redacted]";

/** `headers` with every credential value replaced by {@link redactedValue}. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) out[key] = isCredentialHeader(key) ? redactedValue : value;
  return out;
}
